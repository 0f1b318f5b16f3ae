/**
 * Generating, running and shrinking one indexed run. Generation goes through fast-check with the
 * run's own seed, so the value a worker ran is the value the shrinker starts from; shrinking is
 * shrink.ts's moves, then (for a plan still long) fast-check's own under the same seed.
 */
import fc from 'fast-check'
import { performance } from 'node:perf_hooks'
import type { AnyProtocol } from '../sim/protocol.ts'
import { phaseClock, type PhaseTimes } from './phases.ts'
import { runOne, type FailureKind, type RunContext, type RunOutcome } from './run-one.ts'
import type { RunSpec, SpecShape } from './run-spec.ts'
import { runSeed } from './seeds.ts'
import { ENOUGH_STEPS, shrinkSpec } from './shrink.ts'
import { specArbitraryFor, tacticFor, tacticNodes } from './tactics.ts'

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
  /** The fault tactic the run used, or null for a random plan. */
  tactic: string | null
}

/** Run `index`'s spec: a random (swarm) plan, or one of the protocol's fault tactics (check/tactics.ts). */
export function specFor(protocol: AnyProtocol, task: RunTask): RunSpec {
  return fc.sample(specArbitraryFor(protocol, task.seed, task.index, task.shape), { seed: runSeed(task.seed, task.index), numRuns: 1 })[0]!
}

export function contextFor(protocol: AnyProtocol, task: Pick<RunTask, 'mutant' | 'historyBudgetMs'>): RunContext {
  return { protocol, mutant: task.mutant, historyBudgetMs: task.historyBudgetMs }
}

/** Makes and judges run `task.index`; `phaseMs` (the bench's breakdown) collects where its wall time went. */
export function evaluateRun(protocol: AnyProtocol, task: RunTask, phaseMs: PhaseTimes | null = null): RunSummary {
  const lap = phaseClock(phaseMs)
  const spec = specFor(protocol, task)
  lap('spec')
  const outcome = runOne({ ...contextFor(protocol, task), phaseMs, generated: true }, spec)
  return {
    tactic: spec.tactic ?? null,
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
 * Shrinks a failing run, keeping the kind of failure (an invariant violation does not shrink
 * into a liveness failure, which would explain something else). First `shrinkSpec` (shrink.ts):
 * remove chunks of fault steps and fault-undo pairs, calm the run, to a fixpoint (and, for a plan
 * still long, the same under other simulation seeds). Chunk removal
 * beats fast-check's one-element-at-a-time shrinking of a long windowed plan, which stalls on
 * chaotic runs (measured on ZAB and Raft mutants: 98 -> 17, 156 -> 6 and 156 -> 4 steps in
 * seconds, against 47, 23 and 3 after 24 s of fast-check). Then, if the plan is still long, with
 * what is left of a tenth of the budget, fast-check's own shrinking under the run's seed (only
 * then: on the raft and zab mutants it never beat shrinkSpec, and spent its whole share every
 * time); the smaller result wins.
 */
export function shrinkRun(protocol: AnyProtocol, task: RunTask, kind: FailureKind, budgetMs: number): Shrunk {
  const ctx = contextFor(protocol, task)
  const startMs = performance.now()
  const original = specFor(protocol, task)
  const fails = (spec: RunSpec) => runOne(ctx, spec).failure?.kind === kind
  const tactic = tacticFor(protocol, task.seed, task.index)
  const nodeSizes = tactic ? tacticNodes(tactic, task.shape) : task.shape.nodes
  const shrunk = shrinkSpec(original, fails, { deadlineMs: startMs + budgetMs, nodeSizes })
  let spec = shrunk.spec
  let shrinks = shrunk.shrinks
  let interrupted = shrunk.interrupted
  const fcBudgetMs = Math.min(budgetMs * FAST_CHECK_SHARE, startMs + budgetMs - performance.now())
  if (spec.faults.length > ENOUGH_STEPS && fcBudgetMs > 0) {
    const property = fc.property(specArbitraryFor(protocol, task.seed, task.index, task.shape), (candidate) => !fails(candidate))
    const details = fc.check(property, { seed: runSeed(task.seed, task.index), numRuns: 1, interruptAfterTimeLimit: Math.floor(fcBudgetMs), markInterruptAsFailure: false })
    const found = details.failed && details.counterexample ? details.counterexample[0] : null
    if (found && found.faults.length < spec.faults.length) {
      spec = found
      shrinks += details.numShrinks
    }
    // Stopped by its time limit, it might have found a shorter plan with more time: say so.
    interrupted ||= details.interrupted
  }
  return { spec, outcome: runOne(ctx, spec), shrinks, originalSteps: original.faults.length, interrupted }
}

/** The most of the shrink budget fast-check gets, after shrinkSpec. */
const FAST_CHECK_SHARE = 0.1
