/**
 * checkLinearizable: splits a history by the model's partition (P-compositionality: a
 * history is linearizable exactly when each key's sub-history is), searches each part, and
 * explains a failure with the operations that cannot be ordered.
 */
import { performance } from 'node:perf_hooks'
import type { Model } from './model.ts'
import { describeOperation, type Operation } from './operation.ts'
import { searchLinearization } from './search.ts'

export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown'

export interface LinearizabilityResult {
  verdict: Verdict
  model: string
  operations: number
  partitions: number
  /** Wall time spent, in milliseconds. */
  elapsedMs: number
  /** For not-linearizable: a few lines naming the operations that cannot be ordered. */
  explanation: string[]
}

export interface CheckOptions {
  /** Give up with 'unknown' after this much wall time (default: no limit). */
  timeBudgetMs?: number
}

export function checkLinearizable(model: Model, ops: readonly Operation[], options: CheckOptions = {}): LinearizabilityResult {
  const startMs = performance.now()
  const deadlineMs = options.timeBudgetMs === undefined ? Infinity : startMs + options.timeBudgetMs
  const parts = model.partition ? model.partition(ops) : [ops.slice()]
  // Small parts first: a violation in a small part is found (and explained) cheaply.
  parts.sort((a, b) => a.length - b.length)
  let timedOut = false
  for (const part of parts) {
    const local = part.map((op, id) => ({ ...op, id }))
    const outcome = searchLinearization(model, local, deadlineMs, () => performance.now())
    if (outcome.result === 'timeout') {
      timedOut = true
      break
    }
    if (outcome.result === 'fail') {
      return result('not-linearizable', model, ops, parts.length, startMs, explain(model, local, outcome.longest!))
    }
  }
  return result(timedOut ? 'unknown' : 'linearizable', model, ops, parts.length, startMs, [])
}

function result(verdict: Verdict, model: Model, ops: readonly Operation[], partitions: number, startMs: number, explanation: string[]): LinearizabilityResult {
  return { verdict, model: model.name, operations: ops.length, partitions, elapsedMs: performance.now() - startMs, explanation }
}

const SHOWN_ORDER = 6

function explain(model: Model, ops: readonly Operation[], longest: NonNullable<ReturnType<typeof searchLinearization>['longest']>): string[] {
  const show = (id: number) => `${describeOperation(ops[id]!)}  [history #${ops[id]!.call}${ops[id]!.ret === Infinity ? '' : `..#${ops[id]!.ret}`}]`
  const state = model.describeState ? model.describeState(longest.state) : JSON.stringify(longest.state)
  const key = ops[0]?.key
  const lines = [`no order of these operations${key === undefined ? '' : ` on key ${key}`} is valid:`]
  const order = longest.order
  const skipped = Math.max(0, order.length - SHOWN_ORDER)
  lines.push(`  the longest valid order linearizes ${order.length} of ${ops.length} operations${skipped > 0 ? `; its last ${SHOWN_ORDER}:` : ':'}`)
  for (const id of order.slice(skipped)) lines.push(`    ${show(id)}`)
  lines.push(`  which leaves the state at ${state}; then`)
  if (longest.stuck !== null) lines.push(`    ${show(longest.stuck)}`)
  lines.push('  must take effect before it returns, but neither it nor any operation that could go first fits:')
  const others = longest.candidates.filter((c) => c !== longest.stuck)
  for (const id of others.slice(0, SHOWN_ORDER)) lines.push(`    ${show(id)}`)
  if (others.length === 0) lines.push('    (no other operation was pending)')
  else if (others.length > SHOWN_ORDER) lines.push(`    ... and ${others.length - SHOWN_ORDER} more`)
  return lines
}
