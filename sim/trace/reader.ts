/**
 * Reads a trace back, strictly: any malformed, truncated or edited trace fails with one
 * TraceError naming the source and line, and nothing else is ever thrown for bad input.
 * A trace that parses is whole, unchanged since it was written, and every event has the
 * fields of its type, so the viewer and the timeline can trust it without checking again.
 */
import { isAscii } from 'node:buffer'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { systemReason, TraceError } from './errors.ts'
import { TRACE_FORMAT, TRACE_VERSION, type TraceEvent, type TraceFooter, type TraceHeader } from './events.ts'
import { FAST_TYPES, FastLines } from './fast-lines.ts'
import { compile, describe, EVENT_FIELDS, type CheckContext, type Field, fieldProblem, FOOTER_FIELDS, HEADER_FIELDS, isObject } from './fields.ts'
import { LazyTrace, LineTable, typeCode } from './lazy.ts'

export { TraceError } from './errors.ts'
export { LazyTrace, type TraceEvents, eventsOf } from './lazy.ts'

export interface Trace {
  header: TraceHeader
  events: TraceEvent[]
  footer: TraceFooter
}

/** Versions this code reads. A version is bumped whenever a reader of the old one could misread the new. */
export const SUPPORTED_VERSIONS: readonly number[] = [TRACE_VERSION]

const NEWLINE = 0x0a
const HEADER = compile(HEADER_FIELDS)
const FOOTER = compile(FOOTER_FIELDS)
/** A Map, not an object, so a type such as "constructor" finds nothing. */
const EVENTS = new Map<string, { fields: Field[]; label: string }>(
  Object.entries(EVENT_FIELDS).map(([type, table]) => [type, { fields: compile(table), label: `event '${type}'` }]),
)
/** The header and footer name no nodes or clients that need checking against a header. */
const NO_HEADER: CheckContext = { nodes: new Set(), clients: new Set() }

export function readTraceFile(path: string): Trace {
  const bytes = readBytes(path)
  const text = bytes.toString('utf8')
  // Hashing the bytes read spares encoding the text again; newlines are the same bytes either way.
  const footerStartByte = bytes.lastIndexOf(NEWLINE, bytes.at(-1) === NEWLINE ? -2 : -1) + 1
  return new TraceParser(text, path, () => sha256(bytes.subarray(0, footerStartByte))).parse()
}

export function parseTrace(text: string, source = 'trace'): Trace {
  return new TraceParser(text, source, (footerStart) => sha256(text.slice(0, footerStart))).parse()
}

/** Sees, in order, every event whose type is not one of FAST_TYPES, as the open checks it. */
export type EventVisitor = (event: TraceEvent, index: number) => void
/** Given the header once it is checked, the visitor for the events. */
export type VisitorFor = (header: TraceHeader) => EventVisitor

/**
 * Opens a trace as strictly as `readTraceFile` (any malformed, truncated or edited line is a
 * TraceError here, never later) but keeps its events as bytes, parsed when asked for: the
 * frequent lines are only validated (fast-lines.ts), the others parsed, checked, handed to
 * the visitor (so the caller can build its indexes in the same pass) and dropped.
 */
export function openTraceFile(path: string, visitorFor?: VisitorFor): LazyTrace {
  return openBytes(readBytes(path), path, visitorFor)
}

/** `openTraceFile` on a trace's text. */
export function openTrace(text: string, source = 'trace', visitorFor?: VisitorFor): LazyTrace {
  return openBytes(Buffer.from(text, 'utf8'), source, visitorFor)
}

function openBytes(bytes: Buffer, source: string, visitorFor: VisitorFor | undefined): LazyTrace {
  // Latin-1 maps each byte to one character, so positions in this text are byte offsets; UTF-8's
  // multi-byte characters only occur inside JSON strings, where any byte from 0x80 up is allowed.
  const text = bytes.toString('latin1')
  const lines = new LineTable(Math.ceil(bytes.length / 100))
  // In an all-ASCII file (the usual case) the Latin-1 text is the UTF-8 text: a line is a slice of it.
  const lineText: LineText = isAscii(bytes) ? (start, end) => text.slice(start, end) : (start, end) => bytes.toString('utf8', start, end)
  const parser = new TraceParser(text, source, (footerStart) => sha256(bytes.subarray(0, footerStart)), lineText)
  const { header, footer, footerStart } = parser.scan(lines, visitorFor ?? (() => () => {}))
  return new LazyTrace(header, footer, bytes, lines.finish(footerStart))
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (err) {
    throw new TraceError(path, null, `cannot read the trace: ${systemReason(err)}`)
  }
}

function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/** Hashes the trace before its footer, which starts at that index of the text. */
type PrefixHash = (footerStart: number) => string
/** The text of a line, from its start to its end (exclusive); differs from a slice when the text is bytes as Latin-1. */
type LineText = (start: number, end: number) => string

/** Where the events go as they are read: kept (parse), or their lines indexed (scan). */
interface EventStore {
  readonly count: number
  /** When set, lines of the fast types are accepted by it and never built. */
  readonly fast: FastLines | null
  /** An event built, or a fast line (null) of that time and type code. */
  add(event: TraceEvent | null, lineStart: number, timeUs: number, type: number): void
}

class TraceParser {
  private readonly text: string
  private readonly source: string
  private readonly prefixHash: PrefixHash
  private readonly lineText: LineText
  /** Where the last line ends: the final newline, if any, ends it rather than starting another. */
  private readonly end: number
  private pos = 0
  private lineNo = 0

  constructor(text: string, source: string, prefixHash: PrefixHash, lineText?: LineText) {
    this.text = text
    this.source = source
    this.prefixHash = prefixHash
    this.lineText = lineText ?? ((start, end) => text.slice(start, end))
    this.end = text.endsWith('\n') ? text.length - 1 : text.length
  }

  /** Every event built and kept. */
  parse(): Trace {
    const events: TraceEvent[] = []
    const store: EventStore = { get count() { return events.length }, fast: null, add: (e) => void events.push(e!) }
    const { header, footer } = this.read(store)
    return { header, events, footer }
  }

  /** Every line checked; the lines' starts and times recorded; the events not of a fast type visited. */
  scan(lines: LineTable, visitorFor: VisitorFor): { header: TraceHeader; footer: TraceFooter; footerStart: number } {
    let visit: EventVisitor = () => {}
    const store: EventStore = {
      get count() { return lines.count },
      fast: new FastLines(),
      add: (event, lineStart, timeUs, type) => {
        if (event !== null && !FAST_TYPES.has(event.type)) visit(event, lines.count)
        lines.add(lineStart, timeUs, type)
      },
    }
    return this.read(store, (header) => (visit = visitorFor(header)))
  }

  private read(store: EventStore, onHeader?: (header: TraceHeader) => void): { header: TraceHeader; footer: TraceFooter; footerStart: number } {
    if (/^\s*$/.test(this.text)) this.fail(1, 'the file is empty (a trace starts with a header line)')
    const header = this.header(this.nextObject())
    onHeader?.(header)
    const ctx: CheckContext = { nodes: new Set(header.nodes), clients: new Set(header.clients) }
    let lastTimeUs = 0
    for (;;) {
      if (this.atEnd) this.fail(this.lineNo, 'truncated: no footer (the run did not finish writing it)')
      const lineStart = this.pos
      const fastEnd = store.fast?.accept(this.text, lineStart, store.count, lastTimeUs) ?? -1
      if (fastEnd >= 0) {
        this.pos = fastEnd
        this.lineNo++
        lastTimeUs = store.fast!.timeUs
        store.add(null, lineStart, lastTimeUs, store.fast!.typeCode)
        continue
      }
      const obj = this.nextObject()
      if (obj.type === 'footer') {
        const footer = this.footer(obj, lineStart, store.count)
        if (!this.atEnd) this.fail(this.lineNo + 1, 'content after the footer (the footer must be the last line)')
        return { header, footer, footerStart: lineStart }
      }
      const event = this.event(obj, store.count, lastTimeUs, ctx)
      lastTimeUs = event.t
      store.add(event, lineStart, lastTimeUs, typeCode(event.type))
    }
  }

  private get atEnd(): boolean {
    return this.pos > this.end
  }

  private nextObject(): Record<string, unknown> {
    let lineEnd = this.text.indexOf('\n', this.pos)
    if (lineEnd === -1) lineEnd = this.end
    const line = this.lineText(this.pos, lineEnd)
    this.pos = lineEnd + 1
    this.lineNo++
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (err) {
      if (line.trim() === '') this.fail(this.lineNo, 'empty line (every line of a trace is one JSON object)')
      if (this.atEnd && !this.text.endsWith('\n')) {
        this.fail(this.lineNo, 'truncated: the last line is cut off (the run did not finish writing it)')
      }
      this.fail(this.lineNo, `not valid JSON (${err instanceof Error ? err.message : String(err)})`)
    }
    if (!isObject(value)) this.fail(this.lineNo, `expected a JSON object, got ${describe(value)}`)
    return value
  }

  private header(obj: Record<string, unknown>): TraceHeader {
    if (obj.type !== 'header') {
      this.fail(1, `not a faultline trace: the first line must be its header, found type ${describe(obj.type)}`)
    }
    if (obj.format !== TRACE_FORMAT) {
      this.fail(1, `not a faultline trace: format is ${describe(obj.format)}, expected '${TRACE_FORMAT}'`)
    }
    if (typeof obj.version !== 'number' || !SUPPORTED_VERSIONS.includes(obj.version)) {
      const plural = SUPPORTED_VERSIONS.length > 1 ? 's' : ''
      this.fail(1, `unsupported trace version ${describe(obj.version)}: this faultline reads version${plural} ${SUPPORTED_VERSIONS.join(', ')}`)
    }
    this.check(fieldProblem(obj, HEADER, 'header', NO_HEADER))
    return obj as unknown as TraceHeader
  }

  /** The hot path: one call per event, so no allocation and the common case first. */
  private event(obj: Record<string, unknown>, index: number, lastTimeUs: number, ctx: CheckContext): TraceEvent {
    const type = obj.type
    const spec = typeof type === 'string' ? EVENTS.get(type) : undefined
    if (spec === undefined) this.fail(this.lineNo, unknownType(type))
    const { i, t } = obj
    if (i !== index) this.fail(this.lineNo, badIndex(spec.label, i, index))
    if (!Number.isSafeInteger(t)) this.fail(this.lineNo, `${spec.label} field 't' must be an integer, got ${describe(t)}`)
    if ((t as number) < lastTimeUs) this.fail(this.lineNo, `time goes backward: t ${t as number} after ${lastTimeUs}`)
    this.check(fieldProblem(obj, spec.fields, spec.label, ctx))
    if (type === 'view' && obj.view === undefined && obj.changes === undefined && obj.removed === undefined) {
      this.fail(this.lineNo, "event 'view' needs field 'view', 'changes' or 'removed'")
    }
    return obj as unknown as TraceEvent
  }

  private footer(obj: Record<string, unknown>, footerStart: number, eventCount: number): TraceFooter {
    this.check(fieldProblem(obj, FOOTER, 'footer', NO_HEADER))
    if (obj.events !== eventCount) this.fail(this.lineNo, `the footer counts ${obj.events as number} events but the trace has ${eventCount}`)
    if (this.prefixHash(footerStart) !== obj.hash) this.fail(this.lineNo, 'hash mismatch: the file was changed after it was written')
    return obj as unknown as TraceFooter
  }

  private check(problem: string | null): void {
    if (problem !== null) this.fail(this.lineNo, problem)
  }

  private fail(line: number, detail: string): never {
    throw new TraceError(this.source, line, detail)
  }
}

function unknownType(type: unknown): string {
  if (type === undefined) return "event is missing field 'type'"
  if (type === 'header') return 'a second header (only the first line is a header)'
  return `unknown event type ${describe(type)}`
}

function badIndex(label: string, i: unknown, expected: number): string {
  if (i === undefined) return `${label} is missing field 'i'`
  if (!Number.isSafeInteger(i)) return `${label} field 'i' must be an integer, got ${describe(i)}`
  return `${label} has i ${i as number}, expected ${expected} (events are numbered from 0, one per line)`
}
