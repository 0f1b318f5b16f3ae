/**
 * A trace opened for viewing: its events, its timeline (checkpointed seeking), the index of
 * interesting events, the search index, and the few facts every pane needs. Read-only once
 * built; the viewer's changing state lives in model.ts. The last state asked for is kept,
 * because every pane of a frame asks for the same moment.
 *
 * `Session.open` reads a file the fast way: the reader checks every line and keeps the
 * events as bytes, and the indexes are built from the events it parses in the same pass
 * (the frequent send, deliver, drop and timer lines are never interesting and change no
 * index), so a million-event trace opens without a million objects.
 */
import { formatSeed, parseSeed } from '../sim/seed.ts'
import type { EventOf, TraceEvent, TraceFooter, TraceHeader } from '../sim/trace/events.ts'
import { eventsOf, openTrace, openTraceFile, type Trace, type TraceEvents } from '../sim/trace/reader.ts'
import { lastIndexAtOrBefore } from '../sim/trace/query.ts'
import { type ClusterState, Timeline, TimelineIndex } from '../sim/trace/timeline.ts'
import { InterestBuilder, type InterestIndex } from './interesting.ts'
import { type ScenarioInfo, scenarioOf } from './scenario.ts'
import { SearchIndex } from './search.ts'

export interface SessionOptions {
  /** Where the trace came from, for the status bar and the reproduction line. */
  source: string
  /** The exact command that made the run, when the viewer knows it (`run --tui`). */
  reproduce?: string
  /** The run is still being produced: the footer is a stand-in (live view). */
  running?: boolean
}

/** Everything a session learns in one pass over the events. */
export class SessionIndexes {
  readonly timeline: TimelineIndex
  readonly interest = new InterestBuilder()
  /** Message ids that are network copies (from a `duplicate` event). */
  readonly copies = new Set<number>()
  problemIndex = -1

  constructor(header: TraceHeader) {
    this.timeline = new TimelineIndex(header.nodes)
  }

  readonly visit = (e: TraceEvent, position: number): void => {
    this.timeline.visit(e, position)
    this.interest.visit(e, position)
    if (e.type === 'duplicate') this.copies.add(e.copy)
    else if (this.problemIndex === -1 && (e.type === 'violation' || e.type === 'node-error')) this.problemIndex = position
  }
}

export class Session {
  readonly events: TraceEvents
  readonly timeline: Timeline
  readonly interest: InterestIndex
  readonly search: SearchIndex
  readonly source: string
  readonly reproduce: string
  /** The first violation or node error: what `v` jumps to; -1 when the run was clean. */
  readonly problemIndex: number
  readonly running: boolean
  /** Message ids that are network copies (from a `duplicate` event). */
  readonly copies: ReadonlySet<number>
  /** The narration of a scenario run (`header.config.scenario`), null for any other trace. */
  readonly scenario: ScenarioInfo | null
  private cached: ClusterState | null = null

  /** A trace file, checked whole (a TraceError, exit 2, for any problem), its events parsed when shown. */
  static open(path: string, options: SessionOptions): Session {
    let indexes: SessionIndexes | null = null
    const events = openTraceFile(path, (header) => (indexes = new SessionIndexes(header)).visit)
    return new Session(events, options, indexes!)
  }

  /** A trace's text (a run just made), checked and opened as `open` does a file. */
  static fromText(text: string, options: SessionOptions): Session {
    let indexes: SessionIndexes | null = null
    const events = openTrace(text, options.source, (header) => (indexes = new SessionIndexes(header)).visit)
    return new Session(events, options, indexes!)
  }

  /** On a whole trace or any events; the indexes are built here unless given. */
  constructor(trace: Trace | TraceEvents, options: SessionOptions, indexes?: SessionIndexes) {
    const events = 'events' in trace ? eventsOf(trace) : trace
    this.scenario = scenarioOf(events.header, options.source)
    if (indexes === undefined) {
      indexes = new SessionIndexes(events.header)
      for (let position = 0; position < events.length; position++) indexes.visit(events.event(position), position)
    }
    this.events = events
    this.timeline = new Timeline(events, indexes.timeline)
    this.interest = indexes.interest.finish()
    this.search = new SearchIndex(events)
    this.source = options.source
    this.running = options.running ?? false
    this.reproduce = options.reproduce ?? reproduceFromHeader(events.header, options.source)
    this.copies = indexes.copies
    this.problemIndex = indexes.problemIndex
  }

  get length(): number {
    return this.events.length
  }

  get header(): TraceHeader {
    return this.events.header
  }

  get footer(): TraceFooter {
    return this.events.footer
  }

  get nodes(): readonly string[] {
    return this.events.header.nodes
  }

  get protocol(): string {
    return this.events.header.protocol
  }

  /** Event `index`, parsed when first asked for. Shared: do not change it. */
  event(index: number): TraceEvent {
    return this.events.event(index)
  }

  /** The type of event `index`, without parsing it. */
  typeAt(index: number): TraceEvent['type'] {
    return this.events.typeAt(index)
  }

  /** The cluster after event `index` (-1: before the first). */
  stateAt(index: number): ClusterState {
    if (this.cached?.index !== index) this.cached = this.timeline.stateAt(index)
    return this.cached
  }

  timeAt(index: number): number {
    return index < 0 ? 0 : this.events.timeUs(index)
  }

  /** The index of the last event at or before `timeUs`, or -1 if the first event is later. */
  indexAtTime(timeUs: number): number {
    return lastIndexAtOrBefore(this.length, (i) => this.events.timeUs(i), timeUs)
  }

  problem(): EventOf<'violation'> | EventOf<'node-error'> | null {
    if (this.problemIndex < 0) return null
    return this.event(this.problemIndex) as EventOf<'violation'> | EventOf<'node-error'>
  }
}

/**
 * The trace alone does not keep the command line that made it, but its header holds the
 * seed and whole config, and `faultline verify` re-runs exactly that; the `run` form is
 * exact only for runs without a plan file or custom network, so it is given as a hint.
 */
export function reproduceFromHeader(header: TraceHeader, source: string): string {
  const seed = formatSeed(parseSeed(header.seed))
  return `faultline verify ${shellWord(source)}  (re-runs seed ${seed} and the header's config)`
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}
