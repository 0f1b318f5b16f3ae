/**
 * The open's fast path: a line of one of the four most frequent event types (send, deliver,
 * drop, timer: nine in ten lines of a run), in exactly the form the writer gives it
 * (serialize.ts), is proven well formed with a few anchored regular expressions and, for a
 * send's payload, a JSON validator, without building an object. Such a line is then only
 * parsed when the viewer shows or replays it. Anything else, including the same events
 * written in another key order or with an extra field, goes to the reader's exact checks,
 * which accept it or say what is wrong with it.
 */
import type { TraceEventType } from './events.ts'
import { skipJsonValue } from './json-scan.ts'
import { typeCode } from './lazy.ts'

/** The types this path accepts: they change nothing the viewer's indexes record at open. */
export const FAST_TYPES: ReadonlySet<TraceEventType> = new Set(['send', 'deliver', 'drop', 'timer'])

/** A JSON string: no raw control characters, only JSON's escapes (the unrolled loop: linear, no backtracking blow-up). */
const STR = String.raw`"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"`
/** At most 15 digits, so every integer it matches is safe; longer ones go to the exact checks. */
const INT = String.raw`-?(?:0|[1-9]\d{0,14})`
const COUNT = String.raw`(0|[1-9]\d{0,14})`
const MESSAGE = `,"id":${INT},"from":${STR},"to":${STR},"mtype":${STR}`

const sticky = (source: string): RegExp => new RegExp(source, 'y')
/** After `"type":"`, each fast type's name, the rest of its line, and its type code. */
const REST: Array<[name: string, rest: RegExp, code: number]> = [
  ['send"', sticky(`${MESSAGE},"msg":`), typeCode('send')],
  ['deliver"', sticky(`${MESSAGE}\\}\\n`), typeCode('deliver')],
  ['drop"', sticky(`${MESSAGE},"reason":"(?:loss|partition|node-down|restarted)"\\}\\n`), typeCode('drop')],
  ['timer"', sticky(`,"node":${STR},"name":${STR},"timer":${INT}\\}\\n`), typeCode('timer')],
]
const SEND_TAIL = sticky(`,"due":${INT}\\}\\n`)
/** The 15 digits the integer patterns allow: every such number is exact in a double. */
const DIGITS_MAX = 15

export class FastLines {
  /** The time of the line last accepted, in microseconds, and its type's code (lazy.ts). */
  timeUs = 0
  typeCode = 0

  /**
   * The position just past the newline ending the line at `pos` when it is event `index`, of
   * a fast type, well formed, not earlier than `lastTimeUs`; else -1 (the caller checks it exactly).
   * The line's start is read by hand: a regular expression with captures costs more here.
   */
  accept(text: string, pos: number, index: number, lastTimeUs: number): number {
    if (!text.startsWith('{"i":', pos)) return -1
    const i = this.readCount(text, pos + 5)
    if (i !== index || !text.startsWith(',"t":', this.countEnd)) return -1
    const timeUs = this.readCount(text, this.countEnd + 5)
    if (timeUs < lastTimeUs || !text.startsWith(',"type":"', this.countEnd)) return -1
    const typeAt = this.countEnd + 9
    for (const [name, rest, code] of REST) {
      if (!text.startsWith(name, typeAt)) continue
      rest.lastIndex = typeAt + name.length
      if (!rest.test(text)) return -1
      const end = name === 'send"' ? this.sendTail(text, rest.lastIndex) : rest.lastIndex
      if (end >= 0) {
        this.timeUs = timeUs
        this.typeCode = code
      }
      return end
    }
    return -1
  }

  /** Where the number readCount read last ends. */
  private countEnd = 0

  /** The integer >= 0 written at `pos` in JSON's form with at most 15 digits, or -1. */
  private readCount(text: string, pos: number): number {
    let value = 0
    let p = pos
    for (; p - pos <= DIGITS_MAX; p++) {
      const digit = text.charCodeAt(p) - 0x30
      if (!(digit >= 0 && digit <= 9)) break
      value = value * 10 + digit
    }
    this.countEnd = p
    const digits = p - pos
    if (digits === 0 || digits > DIGITS_MAX || (digits > 1 && text.charCodeAt(pos) === 0x30)) return -1
    return value
  }

  /** After `"msg":`: one JSON value, then the due time and the end of the line. */
  private sendTail(text: string, pos: number): number {
    const afterMsg = skipJsonValue(text, pos)
    if (afterMsg < 0) return -1
    SEND_TAIL.lastIndex = afterMsg
    return SEND_TAIL.test(text) ? SEND_TAIL.lastIndex : -1
  }
}

/** The fields of a fast-type line, as text where a display can use them so (the payload stays JSON text). */
export interface FastFields {
  type: 'send' | 'deliver' | 'drop' | 'timer'
  t: number
  /** from, to, mtype (send, deliver, drop); node, name (timer). */
  a: string
  b: string
  c: string
  /** drop: the reason; send: the payload's JSON text. */
  extra: string
  /** send: due. */
  due: number
}

const anchored = (body: string): RegExp => new RegExp(`^\\{"i":${COUNT},"t":${COUNT},${body}\\}$`)
const CAPTURED_MESSAGE = `,"id":${INT},"from":(${STR}),"to":(${STR}),"mtype":(${STR})`
const LINE: Record<FastFields['type'], RegExp> = {
  deliver: anchored(`"type":"deliver"${CAPTURED_MESSAGE}`),
  drop: anchored(`"type":"drop"${CAPTURED_MESSAGE},"reason":"(loss|partition|node-down|restarted)"`),
  timer: anchored(`"type":"timer","node":(${STR}),"name":(${STR}),"timer":${INT}`),
  // The payload is the longest text before the last field, due; the open has proven it JSON.
  send: anchored(`"type":"send"${CAPTURED_MESSAGE},"msg":(.*),"due":(${INT})`),
}

/**
 * The fields of one line (without its newline) in the writer's form of a fast type, or null
 * for any other line: for showing or searching many lines without building their events.
 */
export function fastFields(line: string): FastFields | null {
  const typeAt = line.indexOf('"type":"')
  const type = line.slice(typeAt + 8, line.indexOf('"', typeAt + 8)) as FastFields['type']
  const m = Object.hasOwn(LINE, type) ? LINE[type].exec(line) : null
  if (m === null) return null
  return { type, t: Number(m[2]), a: unquote(m[3]!), b: unquote(m[4]!), c: type === 'timer' ? '' : unquote(m[5]!), extra: m[6] ?? '', due: Number(m[7] ?? 0) }
}

function unquote(json: string): string {
  return json.includes('\\') ? (JSON.parse(json) as string) : json.slice(1, -1)
}

/** The fields of a note or view line in the writer's form: its node, and its object's JSON text. */
export interface NoteOrViewFields {
  type: 'note' | 'view'
  node: string
  /** note: its kind; view: 'view' for a whole view, 'changes' for changed fields. */
  kind: string
  /** The data, view or changes as JSON text; '' for a note without data. */
  json: string
}

const NOTE_LINE = anchored(`"type":"note","node":(${STR}),"kind":(${STR})(?:,"data":(\\{.*\\}))?`)
const VIEW_LINE = anchored(`"type":"view","node":(${STR}),"(view|changes)":(\\{.*\\})`)

/**
 * The fields of a note, or of a view event holding only a whole view or only changes,
 * written as the writer writes them; null for any other line. The object is checked to be
 * one JSON value, so a line with more fields after it is not misread.
 */
export function noteOrViewFields(line: string): NoteOrViewFields | null {
  const note = line.includes('"type":"note"')
  const m = (note ? NOTE_LINE : VIEW_LINE).exec(line)
  if (m === null) return null
  // Groups 1 and 2 are the index and time.
  const json = m[5] ?? ''
  if (json !== '' && skipJsonValue(line, line.length - 1 - json.length) !== line.length - 1) return null
  return { type: note ? 'note' : 'view', node: unquote(m[3]!), kind: note ? unquote(m[4]!) : m[4]!, json }
}
