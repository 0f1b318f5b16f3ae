/**
 * A trace opened for viewing: the trace, its timeline (checkpointed seeking), the index of
 * interesting events, and the few facts every pane needs. Read-only once built; the viewer's
 * changing state lives in model.ts. The last state asked for is kept, because every pane of a
 * frame asks for the same moment.
 */
import { formatSeed, parseSeed } from '../sim/seed.ts'
import type { EventOf } from '../sim/trace/events.ts'
import type { Trace } from '../sim/trace/reader.ts'
import { type ClusterState, indexAtTime, Timeline } from '../sim/trace/timeline.ts'
import { InterestIndex } from './interesting.ts'

export interface SessionOptions {
  /** Where the trace came from, for the status bar and the reproduction line. */
  source: string
  /** The exact command that made the run, when the viewer knows it (`run --tui`). */
  reproduce?: string
  /** The run is still being produced: the footer is a stand-in (live view). */
  running?: boolean
}

export class Session {
  readonly trace: Trace
  readonly timeline: Timeline
  readonly interest: InterestIndex
  readonly source: string
  readonly reproduce: string
  /** The first violation or node error: what `v` jumps to; -1 when the run was clean. */
  readonly problemIndex: number
  readonly running: boolean
  /** Message ids that are network copies (from a `duplicate` event). */
  readonly copies: ReadonlySet<number>
  private cached: ClusterState | null = null

  constructor(trace: Trace, options: SessionOptions) {
    this.trace = trace
    this.timeline = new Timeline(trace)
    this.interest = InterestIndex.build(trace.events)
    this.source = options.source
    this.running = options.running ?? false
    this.reproduce = options.reproduce ?? reproduceFromHeader(trace, options.source)
    const copies = new Set<number>()
    let problem = -1
    for (const e of trace.events) {
      if (e.type === 'duplicate') copies.add(e.copy)
      else if (problem === -1 && (e.type === 'violation' || e.type === 'node-error')) problem = e.i
    }
    this.copies = copies
    this.problemIndex = problem
  }

  get length(): number {
    return this.trace.events.length
  }

  get nodes(): readonly string[] {
    return this.trace.header.nodes
  }

  get protocol(): string {
    return this.trace.header.protocol
  }

  /** The cluster after event `index` (-1: before the first). */
  stateAt(index: number): ClusterState {
    if (this.cached?.index !== index) this.cached = this.timeline.stateAt(index)
    return this.cached
  }

  timeAt(index: number): number {
    return index < 0 ? 0 : this.trace.events[index]!.t
  }

  indexAtTime(timeUs: number): number {
    return indexAtTime(this.trace, timeUs)
  }

  problem(): EventOf<'violation'> | EventOf<'node-error'> | null {
    if (this.problemIndex < 0) return null
    return this.trace.events[this.problemIndex] as EventOf<'violation'> | EventOf<'node-error'>
  }
}

/**
 * The trace alone does not keep the command line that made it, but its header holds the
 * seed and whole config, and `faultline verify` re-runs exactly that; the `run` form is
 * exact only for runs without a plan file or custom network, so it is given as a hint.
 */
export function reproduceFromHeader(trace: Trace, source: string): string {
  const seed = formatSeed(parseSeed(trace.header.seed))
  return `faultline verify ${shellWord(source)}  (re-runs seed ${seed} and the header's config)`
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}
