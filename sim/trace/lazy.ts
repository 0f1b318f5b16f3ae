/**
 * Random access to a trace's events, whether they are all in memory (a `Trace` from
 * `parseTrace`) or parsed one at a time from the file's bytes (a `LazyTrace` from
 * `openTraceFile`). The viewer and the timeline read events through this interface, so a
 * million-event trace opens without building a million objects first.
 */
import type { Micros } from '../time.ts'
import type { TraceEvent, TraceEventType, TraceFooter, TraceHeader } from './events.ts'
import { EVENT_FIELDS } from './fields.ts'

/** Every event type; its position is its code in a LazyTrace's table of types. */
const EVENT_TYPES = Object.keys(EVENT_FIELDS) as TraceEventType[]
const TYPE_CODE = new Map(EVENT_TYPES.map((type, code) => [type, code]))

/** The code of a known event type (the reader has checked it is one). */
export function typeCode(type: TraceEventType): number {
  return TYPE_CODE.get(type)!
}

export interface TraceEvents {
  readonly header: TraceHeader
  readonly footer: TraceFooter
  readonly length: number
  /** Event `index` (0..length-1). Shared: callers must not change it. */
  event(index: number): TraceEvent
  /** Its simulated time, without parsing it. */
  timeUs(index: number): Micros
  /** Its type, without parsing it: a filter by type passes over the others at no cost. */
  typeAt(index: number): TraceEventType
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
    typeAt: (index) => events[index]!.type,
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
  private readonly types: Uint8Array
  private readonly cached: Array<TraceEvent | undefined> = new Array(CACHE_SLOTS)
  private readonly cachedIndex = new Int32Array(CACHE_SLOTS).fill(-1)

  constructor(header: TraceHeader, footer: TraceFooter, bytes: Buffer, table: { lineStarts: Uint32Array; times: Float64Array; types: Uint8Array }) {
    this.header = header
    this.footer = footer
    this.bytes = bytes
    this.length = table.lineStarts.length - 1
    this.lineStarts = table.lineStarts
    this.times = table.times
    this.types = table.types
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

  typeAt(index: number): TraceEventType {
    return EVENT_TYPES[this.types[index]!]!
  }

  lines(first: number, count: number): string {
    const last = Math.min(this.length, first + count)
    return first >= last ? '' : this.bytes.toString('utf8', this.lineStarts[first]!, this.lineStarts[last]!)
  }
}

/** Line starts, times and type codes of the events, gathered as the reader goes, in typed arrays that double when full. */
export class LineTable {
  count = 0
  private starts: Uint32Array
  private times: Float64Array
  private types: Uint8Array

  constructor(expected: number) {
    const size = Math.max(16, expected)
    this.starts = new Uint32Array(size)
    this.times = new Float64Array(size)
    this.types = new Uint8Array(size)
  }

  add(lineStart: number, timeUs: number, type: number): void {
    if (this.count + 1 >= this.starts.length) this.grow()
    this.starts[this.count] = lineStart
    this.times[this.count] = timeUs
    this.types[this.count] = type
    this.count++
  }

  /** The table, closed by where the footer starts. */
  finish(footerStart: number): { lineStarts: Uint32Array; times: Float64Array; types: Uint8Array } {
    this.starts[this.count] = footerStart
    return { lineStarts: this.starts.slice(0, this.count + 1), times: this.times.slice(0, this.count), types: this.types.slice(0, this.count) }
  }

  private grow(): void {
    const size = this.starts.length * 2
    this.starts = grown(this.starts, new Uint32Array(size))
    this.times = grown(this.times, new Float64Array(size))
    this.types = grown(this.types, new Uint8Array(size))
  }
}

function grown<T extends Uint32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from)
  return to
}
