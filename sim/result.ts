/** What a run reports: why it stopped, what happened, and how to find it in the trace. */
import type { HistoryEntry } from './clients/history.ts'
import type { Simulation } from './engine.ts'
import type { Micros } from './time.ts'
import type { DropReason, StopReason } from './trace/events.ts'

export interface RunLimit {
  /** Stop before the first event later than this simulated time (and advance the clock to it). */
  untilUs?: Micros
  /** Stop after this many more events. */
  maxEvents?: number
  /** Checked after every event. */
  stopWhen?: (sim: Simulation) => boolean
}

export interface StopInfo {
  reason: StopReason
  timeUs: Micros
  events: number
  /** For a violation, a node error or the budget: one line saying what happened. */
  message?: string
}

export interface Violation {
  invariant: string
  message: string
  timeUs: Micros
  /** Engine events handled before it (the run's position). */
  event: number
  /** The trace index of the event that caused it (-1 without a trace). */
  cause: number
}

export interface RunStats {
  sent: number
  delivered: number
  dropped: Record<DropReason, number>
  duplicated: number
  /** Bytes sent, when the run counts them (countBytes). */
  bytes: number
  timers: number
  /** Faults actually applied (a step that finds nothing to do is skipped, not counted). */
  faults: number
}

export function emptyStats(): RunStats {
  return {
    sent: 0, delivered: 0, duplicated: 0, bytes: 0, timers: 0, faults: 0,
    dropped: { loss: 0, partition: 0, 'node-down': 0, restarted: 0 },
  }
}

export interface RunResult {
  seed: string
  protocol: string
  stoppedBy: StopReason
  stopMessage: string | null
  events: number
  traceEvents: number
  simTimeUs: Micros
  violation: Violation | null
  nodeError: string | null
  /** "sha256:..." of the trace, when the run was traced. */
  traceHash: string | null
  stats: RunStats
  history: readonly HistoryEntry[]
  /** End-of-run accounts from invariants that give one (write-loss accounting); they never fail the run. */
  reports: Array<{ invariant: string } & import('./protocol.ts').InvariantReport>
}
