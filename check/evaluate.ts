/**
 * Generating, running and shrinking one indexed run. Generation and shrinking both go through
 * fast-check with the run's own seed, so the value a worker ran is the value the shrinker starts from.
 */
import fc from 'fast-check'
import type { AnyProtocol } from '../sim/protocol.ts'
import { runOne, type FailureKind, type RunContext, type RunOutcome } from './run-one.ts'
import { runSpecArbitrary, type RunSpec, type SpecShape } from './run-spec.ts'
import { runSeed } from './seeds.ts'

export interface RunTask {
  seed: number
  index: number
  mutant: string | null
  shape: SpecShape
  historyBudgetMs: number
}

/** What a worker sends back for one run: small and structured-clone safe. */
export interface RunSummary {
  index: number
  failed: boolean
  kind: FailureKind | null
  events: number
  simTimeUs: number
  history: RunOutcome['history']
  reports: string[]
}

export function specFor(task: RunTask): RunSpec {
  return fc.sample(runSpecArbitrary(task.shape), { seed: runSeed(task.seed, task.index), numRuns: 1 })[0]!
}

export function contextFor(protocol: AnyProtocol, task: Pick<RunTask, 'mutant' | 'historyBudgetMs'>): RunContext {
  return { protocol, mutant: task.mutant, historyBudgetMs: task.historyBudgetMs }
}

export function evaluateRun(protocol: AnyProtocol, task: RunTask): RunSummary {
  const outcome = runOne(contextFor(protocol, task), specFor(task))
  return {
    index: task.index, failed: outcome.failure !== null, kind: outcome.failure?.kind ?? null,
    events: outcome.events, simTimeUs: outcome.simTimeUs, history: outcome.history, reports: outcome.reports,
  }
}

export interface Shrunk {
  spec: RunSpec
  outcome: RunOutcome
  shrinks: number
  /** Fault steps of the run as first generated. */
  originalSteps: number
  /** True when the shrink budget ran out before a minimum was reached. */
  interrupted: boolean
}

/**
 * Shrinks a failing run with fast-check, keeping the kind of failure (an invariant violation
 * does not shrink into a liveness failure, which would explain something else).
 */
export function shrinkRun(protocol: AnyProtocol, task: RunTask, kind: FailureKind, budgetMs: number): Shrunk {
  const ctx = contextFor(protocol, task)
  const original = specFor(task)
  const property = fc.property(runSpecArbitrary(task.shape), (spec) => runOne(ctx, spec).failure?.kind !== kind)
  const details = fc.check(property, { seed: runSeed(task.seed, task.index), numRuns: 1, interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false })
  const spec = details.failed && details.counterexample ? details.counterexample[0] : original
  return { spec, outcome: runOne(ctx, spec), shrinks: details.numShrinks, originalSteps: original.faults.length, interrupted: details.interrupted }
}
