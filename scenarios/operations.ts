/**
 * A history's operations, each once, with its outcome: the form scenario expectations and the
 * comparison table count. An operation never completed by the end counts as unknown (info), as
 * history checkers read it.
 */
import type { HistoryEntry } from '../sim/clients/history.ts'
import type { Micros } from '../sim/time.ts'

export interface Operation {
  client: string
  f: string
  key?: string
  /** What the invoke carried: the value written (a cas's [expected, new]); undefined for reads. */
  written?: unknown
  /** What an operation that ended ok returned (a read's value, a SET's "OK"). */
  result?: unknown
  error?: string
  invokeUs: Micros
  outcome: 'ok' | 'fail' | 'info'
  /** When it completed; null when it never did. */
  endUs: Micros | null
}

export function operations(history: readonly HistoryEntry[]): Operation[] {
  const byOp = new Map<number, Operation>()
  for (const h of history) {
    if (h.type === 'invoke') {
      byOp.set(h.op, { client: h.process, f: h.f, key: h.key, written: h.value, invokeUs: h.timeUs, outcome: 'info', endUs: null })
      continue
    }
    const op = byOp.get(h.op)
    if (!op) continue
    op.outcome = h.type
    op.endUs = h.timeUs
    if (h.type === 'ok') op.result = h.value
    if (h.error !== undefined) op.error = h.error
  }
  return [...byOp.values()]
}
