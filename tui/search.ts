/**
 * The event log's search, over an index of the log's lines: events in chunks, each chunk one
 * lowercase string of its events' descriptions (as the log shows them, after the index and
 * time), so a search is a native `indexOf` over the text rather than describing every event
 * again. A chunk is built the first time a search reaches it, or ahead of time while the
 * viewer is idle (`buildNext`); a million-event trace's index is some 60 to 120 MB.
 */
import type { TraceEvents } from '../sim/trace/lazy.ts'
import { describeEvent, describeLine, type LogFilter, matches, TYPE_GROUPS } from './panes/events.ts'
import type { Session } from './session.ts'

/** Events per chunk: big enough that indexOf dominates, small enough that one builds in a few ms. */
export const CHUNK_EVENTS = 2048

interface Chunk {
  /** The lowercase descriptions, each followed by a newline. */
  text: string
  /** Where each event's line starts in `text`; one more entry: the text's length. */
  starts: Int32Array
}

export class SearchIndex {
  private readonly events: TraceEvents
  private readonly chunkEvents: number
  private readonly chunks: Array<Chunk | undefined>
  private built = 0
  /** No chunk before this one is missing. */
  private nextUnbuilt = 0

  constructor(events: TraceEvents, chunkEvents = CHUNK_EVENTS) {
    this.events = events
    this.chunkEvents = chunkEvents
    this.chunks = new Array(Math.ceil(events.length / chunkEvents))
  }

  /** True once every chunk is built. */
  get complete(): boolean {
    return this.built === this.chunks.length
  }

  /** Builds the first chunk not built yet (for idle time); false when there was none left. */
  buildNext(): boolean {
    while (this.nextUnbuilt < this.chunks.length && this.chunks[this.nextUnbuilt] !== undefined) this.nextUnbuilt++
    if (this.nextUnbuilt === this.chunks.length) return false
    this.chunk(this.nextUnbuilt)
    return true
  }

  /**
   * The nearest event after `from` (direction 1) or before it (-1), at most `limit` events
   * away, whose log line contains `needle` (lowercase, not empty) and that `accept` takes;
   * -1 when there is none.
   */
  find(from: number, direction: 1 | -1, needle: string, accept: (index: number) => boolean, limit: number): number {
    const first = Math.max(0, direction === 1 ? from + 1 : from - limit)
    const last = Math.min(this.events.length - 1, direction === 1 ? from + limit : from - 1)
    if (first > last) return -1
    const firstChunk = Math.floor(first / this.chunkEvents)
    const lastChunk = Math.floor(last / this.chunkEvents)
    for (let k = direction === 1 ? firstChunk : lastChunk; k >= firstChunk && k <= lastChunk; k += direction) {
      const base = k * this.chunkEvents
      const lo = Math.max(first, base) - base
      const hi = Math.min(last, base + this.chunkEvents - 1) - base
      const found = direction === 1 ? forward(this.chunk(k), lo, hi, needle, (i) => accept(base + i)) : backward(this.chunk(k), lo, hi, needle, (i) => accept(base + i))
      if (found >= 0) return base + found
    }
    return -1
  }

  private chunk(k: number): Chunk {
    const existing = this.chunks[k]
    if (existing !== undefined) return existing
    const base = k * this.chunkEvents
    const count = Math.min(this.chunkEvents, this.events.length - base)
    const lines: string[] = []
    const starts = new Int32Array(count + 1)
    const raw = this.events.lines?.(base, count)
    let offset = 0
    let rawAt = 0
    for (let i = 0; i < count; i++) {
      let line: string | null = null
      if (raw !== undefined) {
        const end = raw.indexOf('\n', rawAt)
        line = describeLine(raw.slice(rawAt, end))
        rawAt = end + 1
      }
      if (line === null) {
        const e = this.events.event(base + i)
        // Checkpoints are not in the log; an empty line keeps the positions.
        line = e.type === 'checkpoint' ? '' : describeEvent(e)
      }
      starts[i] = offset
      lines.push(line)
      offset += line.length + 1
    }
    starts[count] = offset
    const chunk = { text: lowercase(lines, starts), starts }
    this.chunks[k] = chunk
    this.built++
    return chunk
  }
}

/** The lines joined, each followed by a newline, in lowercase: in one call, far quicker than one per line. */
function lowercase(lines: string[], starts: Int32Array): string {
  const whole = `${lines.join('\n')}\n`
  const lower = whole.toLowerCase()
  if (lower.length === whole.length) return lower
  // A few characters lengthen in lowercase (İ becomes i and a dot): then each line on its own.
  let offset = 0
  const lowered = lines.map((line, i) => {
    starts[i] = offset
    const l = line.toLowerCase()
    offset += l.length + 1
    return l
  })
  starts[lines.length] = offset
  return `${lowered.join('\n')}\n`
}

/** The first line in lo..hi containing the needle and accepted, or -1. */
function forward(chunk: Chunk, lo: number, hi: number, needle: string, accept: (line: number) => boolean): number {
  const { text, starts } = chunk
  let at = starts[lo]!
  for (;;) {
    const hit = text.indexOf(needle, at)
    if (hit < 0 || hit >= starts[hi + 1]!) return -1
    const line = lineOf(starts, hit)
    if (hit + needle.length < starts[line + 1]! && accept(line)) return line
    at = starts[line + 1]!
  }
}

/** The last line in lo..hi containing the needle and accepted, or -1. */
function backward(chunk: Chunk, lo: number, hi: number, needle: string, accept: (line: number) => boolean): number {
  const { text, starts } = chunk
  // A match in line L ends before its newline, at starts[L + 1] - 1.
  let at = starts[hi + 1]! - 1 - needle.length
  while (at >= starts[lo]!) {
    const hit = text.lastIndexOf(needle, at)
    if (hit < starts[lo]!) return -1
    const line = lineOf(starts, hit)
    if (hit + needle.length < starts[line + 1]! && accept(line)) return line
    at = starts[line]! - 1 - needle.length
  }
  return -1
}

/** The line whose span holds text position `pos`. */
function lineOf(starts: Int32Array, pos: number): number {
  let lo = 0
  let hi = starts.length - 2
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= pos) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * The nearest event after `from` (direction 1) or before it (-1), at most `limit` events away,
 * that the log filter lets through, or -1. A search text goes through the index; node and
 * type filters alone look at the events one by one.
 */
export function findMatch(session: Session, filter: LogFilter, from: number, direction: 1 | -1, limit: number): number {
  if (filter.search !== '') {
    const rest = { ...filter, search: '' }
    return session.search.find(from, direction, filter.search, (i) => matches(session.event(i), rest), limit)
  }
  const types = filter.typeGroup === null ? null : TYPE_GROUPS[filter.typeGroup]!
  const end = direction === 1 ? Math.min(session.length, from + limit + 1) : Math.max(-1, from - limit - 1)
  for (let i = Math.max(-1, Math.min(session.length, from)) + direction; i !== end && i >= 0 && i < session.length; i += direction) {
    // The type is known without parsing: a rare type's filter passes over the rest at no cost.
    if (types !== null && !types.includes(session.typeAt(i))) continue
    if (matches(session.event(i), filter)) return i
  }
  return -1
}
