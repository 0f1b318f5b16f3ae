/**
 * A client history in the shape checkers expect (Jepsen and Porcupine alike): every
 * operation appears as an invoke and then exactly one completion: ok, fail (it certainly
 * did not happen) or info (unknown: it may take effect at any time after the invoke, or never).
 */
import type { ClientId } from '../protocol.ts'
import type { Micros } from '../time.ts'

export type Outcome = 'ok' | 'fail' | 'info'

export interface HistoryEntry {
  /** Position in the history, from 0. */
  index: number
  type: 'invoke' | Outcome
  process: ClientId
  /** The operation's number within the run (shared by its invoke and completion). */
  op: number
  f: string
  key?: string
  /** For an invoke: the value written (or the cas [expected, new]); for ok: the value read or returned. */
  value?: unknown
  error?: string
  timeUs: Micros
}

/** Writes a history as JSON Lines, one entry a line: the format `faultline check-history` reads. */
export function historyToJsonl(history: readonly HistoryEntry[]): string {
  return history.map((h) => JSON.stringify(h)).join('\n') + (history.length > 0 ? '\n' : '')
}

