/**
 * The table's figures for one scenario run, one row per side, all computed from the run's
 * history (and, for lost writes, the protocol's write-loss report when it has one):
 *
 * - writes invoked by the side's clients while the partition is up, by outcome: accepted (ok),
 *   refused (fail: certainly not done), unknown (info, or never completed);
 * - acknowledged writes lost (lost.ts), over the whole run, by the side of the client that wrote;
 * - how long the side waited for its first acknowledged write after the cut (a write invoked
 *   while the partition is up) and after the heal (a write invoked after it), in milliseconds
 *   from the side's first write invoked in that window (not from the cut or heal itself, so
 *   idle time before the load's next write is not counted); null when none came.
 */
import type { RunResult } from '../../sim/result.ts'
import type { Micros } from '../../sim/time.ts'
import { operations, type Operation } from '../operations.ts'
import { lostWrites, type LostWrites } from './lost.ts'
import type { FigureName, Sides } from './types.ts'

/** Operation names that change state, across the three protocols. */
export const WRITE_OPS: ReadonlySet<string> = new Set(['put', 'append', 'cas', 'set', 'mset', 'incr'])

export type Row = Record<FigureName, number | null>

export interface RunFigures {
  /** Side name -> its row. */
  rows: Map<string, Row>
  lost: LostWrites
}

export function runFigures(result: RunResult, sides: Sides, fromUs: Micros, toUs: Micros): RunFigures {
  const writes = operations(result.history).filter((o) => WRITE_OPS.has(o.f))
  const lost = lostWrites(result, sides, toUs)
  const rows = new Map<string, Row>()
  for (const [side, clients] of Object.entries(sides)) {
    const mine = writes.filter((o) => clients.includes(o.client))
    const during = mine.filter((o) => o.invokeUs >= fromUs && o.invokeUs < toUs)
    rows.set(side, {
      writes: during.length,
      accepted: during.filter((o) => o.outcome === 'ok').length,
      refused: during.filter((o) => o.outcome === 'fail').length,
      unknown: during.filter((o) => o.outcome === 'info').length,
      lost: lost.bySide.get(side) ?? 0,
      firstOkAfterCutMs: firstOkMs(during),
      firstOkAfterHealMs: firstOkMs(mine.filter((o) => o.invokeUs >= toUs)),
    })
  }
  return { rows, lost }
}

/** Milliseconds from the earliest invocation among these writes to their earliest acknowledgement, or null. */
function firstOkMs(writes: readonly Operation[]): number | null {
  let first: number | null = null
  let start: number | null = null
  for (const o of writes) {
    if (start === null || o.invokeUs < start) start = o.invokeUs
    if (o.outcome === 'ok' && o.endUs !== null && (first === null || o.endUs < first)) first = o.endUs
  }
  return first === null || start === null ? null : Math.round((first - start) / 1000)
}
