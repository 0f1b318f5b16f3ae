/**
 * Reads histories into operations: the project's own history (sim/clients/history.ts, as
 * objects or JSON Lines) and Jepsen's text logs (the etcd register tests Porcupine ships).
 * Failed operations are dropped (they certainly did not happen); info and never-completed
 * operations have an unknown outcome; reads of unknown outcome are dropped too, as they
 * change nothing and tell nothing.
 */
import type { HistoryEntry } from '../../sim/clients/history.ts'
import { InputError } from '../../sim/time.ts'
import type { Operation } from './operation.ts'

interface Pending {
  process: string
  f: string
  key: string | undefined
  input: unknown
  call: number
}

const READS = new Set(['get', 'read', 'sync-get'])

/** Pairs invokes with completions (by process and op number) into operations. */
export function operationsFromHistory(history: readonly HistoryEntry[]): Operation[] {
  const open = new Map<string, Pending>()
  const ops: Operation[] = []
  history.forEach((h, position) => {
    const id = `${h.process}/${h.op}`
    if (h.type === 'invoke') {
      open.set(id, { process: h.process, f: h.f, key: h.key, input: h.value, call: position })
      return
    }
    const inv = open.get(id)
    if (!inv) throw new InputError(`bad history: entry ${h.index} (${h.type} of ${h.process} op ${h.op}) completes an operation that was never invoked`)
    open.delete(id)
    if (h.type === 'ok') ops.push(makeOp(ops.length, inv, true, h.value, position))
    else if (h.type === 'info' && !READS.has(inv.f)) ops.push(makeOp(ops.length, inv, false, undefined, Infinity))
  })
  for (const inv of open.values()) if (!READS.has(inv.f)) ops.push(makeOp(ops.length, inv, false, undefined, Infinity))
  return ops
}

function makeOp(id: number, inv: Pending, known: boolean, output: unknown, ret: number): Operation {
  return { id, process: inv.process, f: inv.f, key: inv.key, input: inv.input, output: known ? (output ?? null) : undefined, known, call: inv.call, ret }
}

/** Parses the project's history JSON Lines, one entry a line, checking each entry's shape. */
export function parseHistoryJsonl(text: string, source = 'history'): HistoryEntry[] {
  const entries: HistoryEntry[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    let raw: unknown
    try {
      raw = JSON.parse(line)
    } catch {
      throw new InputError(`${source}: line ${i + 1} is not JSON`)
    }
    entries.push(historyEntry(raw, `${source}: line ${i + 1}`))
  })
  return entries
}

function historyEntry(raw: unknown, where: string): HistoryEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${where}: expected an object like {"type":"invoke","process":"c1","op":1,"f":"put","key":"k0","value":3}`)
  const e = raw as Record<string, unknown>
  if (!['invoke', 'ok', 'fail', 'info'].includes(e.type as string)) throw new InputError(`${where}: "type" must be invoke, ok, fail or info`)
  if (typeof e.process !== 'string' && typeof e.process !== 'number') throw new InputError(`${where}: "process" must be a string or number`)
  if (typeof e.op !== 'number' && e.op !== undefined) throw new InputError(`${where}: "op" must be a number`)
  if (typeof e.f !== 'string') throw new InputError(`${where}: "f" must be a string`)
  if (e.key !== undefined && typeof e.key !== 'string') throw new InputError(`${where}: "key" must be a string`)
  return { ...(e as unknown as HistoryEntry), process: String(e.process), op: (e.op as number | undefined) ?? -1 }
}

const JEPSEN_LINE = /^INFO\s+jepsen\.util\s+-\s+(\S+)\s+:(invoke|ok|fail|info)\s+:(\S+)\s*(.*)$/

/**
 * Jepsen's log lines ("INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]") as history entries.
 * Each process runs one operation at a time, so a completion belongs to its process's open invoke.
 */
export function parseJepsenLog(text: string, source = 'log'): HistoryEntry[] {
  const entries: HistoryEntry[] = []
  const opOf = new Map<string, number>()
  let count = 0
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    const m = JEPSEN_LINE.exec(line.trim())
    if (!m) throw new InputError(`${source}: line ${i + 1} is not a Jepsen history line ("INFO  jepsen.util - <process> :invoke :read nil")`)
    const [, process, type, f, valueText] = m as unknown as [string, string, HistoryEntry['type'], string, string]
    let op = opOf.get(process)
    if (type === 'invoke') opOf.set(process, (op = count++))
    else if (op === undefined) throw new InputError(`${source}: line ${i + 1} completes an operation process ${process} never invoked`)
    else opOf.delete(process)
    const value = ednValue(valueText.trim(), `${source}: line ${i + 1}`)
    entries.push({ index: entries.length, type, process, op, f, timeUs: 0, ...(value === undefined ? {} : { value }) })
  })
  return entries
}

/** The few EDN values these logs hold: nil, integers, [a b], keywords (:timed-out: no value). */
function ednValue(text: string, where: string): unknown {
  if (text === '' || text.startsWith(':')) return undefined
  if (text === 'nil') return null
  if (/^-?\d+$/.test(text)) return Number(text)
  const vec = /^\[(.*)\]$/.exec(text)
  if (vec) return vec[1]!.trim() === '' ? [] : vec[1]!.trim().split(/[\s,]+/).map((part) => ednValue(part, where))
  if (/^"[^"]*"$/.test(text)) return text.slice(1, -1)
  throw new InputError(`${where}: cannot read the value '${text}'`)
}

/** Jepsen's log or our JSON Lines, told apart by the first non-empty line. */
export function parseAnyHistory(text: string, source: string): HistoryEntry[] {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return first.trim().startsWith('{') ? parseHistoryJsonl(text, source) : parseJepsenLog(text, source)
}
