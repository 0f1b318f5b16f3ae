/**
 * Random access to a trace's events, whether they are all in memory (a `Trace` from
 * `parseTrace`) or parsed one at a time from the file's bytes (a `LazyTrace` from
 * `openTraceFile`). The viewer and the timeline read events through this interface, so a
 * million-event trace opens without building a million objects first.
 */
import type { Micros } from '../time.ts'
import type { TraceEvent, TraceFooter, TraceHeader } from './events.ts'

export interface TraceEvents {
  readonly header: TraceHeader
  readonly footer: TraceFooter
  readonly length: number
  /** Event `index` (0..length-1). Shared: callers must not change it. */
  event(index: number): TraceEvent
  /** Its simulated time, without parsing it. */
  timeUs(index: number): Micros
  /** When the events are still text: the lines of events first..first+count-1, each ending in a newline. */
  lines?(first: number, count: number): string
}

/** The events of a trace held whole in memory. */
export function eventsOf(trace: { header: TraceHeader; events: TraceEvent[]; footer: TraceFooter }): TraceEvents {
  const events = trace.events
  return {
    header: trace.header,
    footer: trace.footer,
    get length() {
      return events.length
    },
    event: (index) => events[index]!,
    timeUs: (index) => events[index]!.t,
  }
}

/** Recently parsed events kept, by index modulo this: a screen, a seek's replay and stepping hit it. */
const CACHE_SLOTS = 8192

/**
 * A checked trace whose events stay as the file's bytes until asked for. The reader has
 * proven every line well formed when it opened the file, so parsing one later cannot fail.
 */
export class LazyTrace implements TraceEvents {
  readonly header: TraceHeader
  readonly footer: TraceFooter
  readonly length: number
  private readonly bytes: Buffer
  /** Byte offset where each event's line starts; one more entry: where the footer starts. */
  private readonly lineStarts: Uint32Array
  private readonly times: Float64Array
  private readonly cached: Array<TraceEvent | undefined> = new Array(CACHE_SLOTS)
  private readonly cachedIndex = new Int32Array(CACHE_SLOTS).fill(-1)

  constructor(header: TraceHeader, footer: TraceFooter, bytes: Buffer, lineStarts: Uint32Array, times: Float64Array) {
    this.header = header
    this.footer = footer
    this.bytes = bytes
    this.length = lineStarts.length - 1
    this.lineStarts = lineStarts
    this.times = times
  }

  event(index: number): TraceEvent {
    if (!(index >= 0 && index < this.length)) throw new RangeError(`event index ${index} is outside the trace (0..${this.length - 1})`)
    const slot = index % CACHE_SLOTS
    if (this.cachedIndex[slot] === index) return this.cached[slot]!
    // The line without its newline.
    const event = JSON.parse(this.bytes.toString('utf8', this.lineStarts[index]!, this.lineStarts[index + 1]! - 1)) as TraceEvent
    this.cached[slot] = event
    this.cachedIndex[slot] = index
    return event
  }

  timeUs(index: number): Micros {
    return this.times[index]!
  }

  lines(first: number, count: number): string {
    const last = Math.min(this.length, first + count)
    return first >= last ? '' : this.bytes.toString('utf8', this.lineStarts[first]!, this.lineStarts[last]!)
  }
}

/** Line starts and times of the events, gathered as the reader goes, in typed arrays that double when full. */
export class LineTable {
  count = 0
  private starts: Uint32Array
  private times: Float64Array

  constructor(expected: number) {
    this.starts = new Uint32Array(Math.max(16, expected))
    this.times = new Float64Array(Math.max(16, expected))
  }

  add(lineStart: number, timeUs: number): void {
    if (this.count + 1 >= this.starts.length) this.grow()
    this.starts[this.count] = lineStart
    this.times[this.count] = timeUs
    this.count++
  }

  /** The table, closed by where the footer starts. */
  finish(footerStart: number): { lineStarts: Uint32Array; times: Float64Array } {
    this.starts[this.count] = footerStart
    return { lineStarts: this.starts.slice(0, this.count + 1), times: this.times.slice(0, this.count) }
  }

  private grow(): void {
    const starts = new Uint32Array(this.starts.length * 2)
    starts.set(this.starts)
    const times = new Float64Array(this.times.length * 2)
    times.set(this.times)
    this.starts = starts
    this.times = times
  }
}
