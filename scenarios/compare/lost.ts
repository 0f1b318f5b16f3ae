/**
 * Acknowledged writes lost, computed, never declared. One measure for every protocol, Redis
 * Cluster's write-loss account (protocols/redis-cluster/write-loss.ts): a write acknowledged
 * before a read began, and invoked after the write that read saw was acknowledged, yet
 * invisible to it, is lost. A read after the heal of every key is what makes it a statement
 * about the final state: a key written but never read after the heal is reported as unjudged.
 *
 * For a protocol whose run carries the write-loss report (Redis Cluster), its figure and
 * detail lines are used as they are. For the others (Raft, ZAB) the same measure runs on the
 * history, with their linearizable reads standing for GET and puts for SET: a linearizable
 * history gives 0.
 */
import type { HistoryEntry } from '../../sim/clients/history.ts'
import type { RunResult } from '../../sim/result.ts'
import type { Micros } from '../../sim/time.ts'
import { findLostWrites } from '../../protocols/redis-cluster/write-loss.ts'
import type { Sides } from './types.ts'

export interface LostWrite {
  key: string
  value: unknown
  /** The client that wrote it, when the history names one. */
  client: string | null
}

export interface LostWrites {
  source: 'write-loss report' | 'history'
  total: number
  bySide: Map<string, number>
  writes: LostWrite[]
  /** Keys written and acknowledged that no read after the heal saw: their losses cannot be judged. */
  unreadKeys: string[]
}

/** Reads that see the latest committed state (a ZooKeeper plain get may be stale: only sync-get counts). */
const LINEARIZABLE_READS: Record<string, string[]> = { zab: ['sync-get'], raft: ['get'], 'redis-cluster': ['get'] }
const WRITES_AS_SET = new Set(['put', 'set'])

export function lostWrites(result: RunResult, sides: Sides, healUs: Micros): LostWrites {
  const reads = new Set(LINEARIZABLE_READS[result.protocol] ?? ['get'])
  const report = result.reports.find((r) => r.invariant === 'write-loss')
  const found = report ? fromReport(report.details, result.history) : fromHistory(result.history, reads)
  const total = report ? Number(report.data?.lost ?? NaN) : found.length
  const sideOf = new Map(Object.entries(sides).flatMap(([side, clients]) => clients.map((c) => [c, side] as const)))
  const bySide = new Map<string, number>()
  for (const w of found) {
    const side = w.client === null ? undefined : sideOf.get(w.client)
    if (side !== undefined) bySide.set(side, (bySide.get(side) ?? 0) + 1)
  }
  return { source: report ? 'write-loss report' : 'history', total, bySide, writes: found, unreadKeys: unreadKeys(result.history, reads, healUs) }
}

function fromHistory(history: readonly HistoryEntry[], reads: ReadonlySet<string>): LostWrite[] {
  const asRedis = history.map((h) => (WRITES_AS_SET.has(h.f) ? { ...h, f: 'set' } : reads.has(h.f) ? { ...h, f: 'get' } : { ...h, f: `other:${h.f}` }))
  return findLostWrites(asRedis).map((w) => ({ key: w.key, value: w.value, client: writerOf(history, w.key, w.value) }))
}

/** The report's detail lines read "set k2=\"m3\" acknowledged at 4.110s: lost (minority-side)". */
const DETAIL = /^(\S+) (.+?)=(.*) acknowledged at [0-9.]+s: lost \(/

function fromReport(details: readonly string[], history: readonly HistoryEntry[]): LostWrite[] {
  return details.flatMap((line) => {
    const m = DETAIL.exec(line)
    if (!m) return []
    const value = parseValue(m[3]!)
    return [{ key: m[2]!, value, client: writerOf(history, m[2]!, value) }]
  })
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Written values are unique in a run, so the invoke that carried it names the writer. */
function writerOf(history: readonly HistoryEntry[], key: string, value: unknown): string | null {
  const json = JSON.stringify(value)
  const inv = history.find((h) => h.type === 'invoke' && h.key === key && JSON.stringify(h.value) === json)
  return inv?.process ?? null
}

function unreadKeys(history: readonly HistoryEntry[], reads: ReadonlySet<string>, healUs: Micros): string[] {
  const invokes = new Map<number, HistoryEntry>()
  const written = new Set<string>()
  const readAfter = new Set<string>()
  for (const h of history) {
    if (h.type === 'invoke') invokes.set(h.op, h)
    else if (h.type === 'ok') {
      const inv = invokes.get(h.op)
      if (inv?.key === undefined) continue
      if (WRITES_AS_SET.has(inv.f)) written.add(inv.key)
      else if (reads.has(inv.f) && inv.timeUs >= healUs) readAfter.add(inv.key)
    }
  }
  return [...written].filter((k) => !readAfter.has(k)).sort()
}
