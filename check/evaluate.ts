/**
 * Generating, running and shrinking one indexed run. Generation and shrinking both go through
 * fast-check with the run's own seed, so the value a worker ran is the value the shrinker starts from.
 */
import fc from 'fast-check'
import { performance } from 'node:perf_hooks'
import type { AnyProtocol } from '../sim/protocol.ts'
import { phaseClock, type PhaseTimes } from './phases.ts'
import { runOne, type FailureKind, type RunContext, type RunOutcome } from './run-one.ts'
import type { RunSpec, SpecShape } from './run-spec.ts'
import { runSeed } from './seeds.ts'
import { specArbitraryFor } from './tactics.ts'

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
  const outcome = runOne({ ...contextFor(protocol, task), phaseMs }, spec)
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
 * into a liveness failure, which would explain something else). First, removing chunks of
 * fault steps, halves first (ddmin-style): a failure usually needs a few of many steps, and
 * runs are chaotic (one step less moves every later draw), so fast-check's one-element-at-a-time
 * shrinking of a long windowed plan stalls where chunk removal does not (measured on ZAB and
 * Raft mutants: 98 -> 17, 156 -> 6 and 156 -> 4 steps in seconds, against 47, 23 and 3 after
 * 24 s of fast-check). Then, with a short budget, fast-check's own shrinking under the run's
 * seed (smaller clusters, fewer clients, calmer networks, earlier steps); the smaller result wins.
 */
export function shrinkRun(protocol: AnyProtocol, task: RunTask, kind: FailureKind, budgetMs: number): Shrunk {
  const ctx = contextFor(protocol, task)
  const startMs = performance.now()
  const original = specFor(protocol, task)
  const fails = (spec: RunSpec) => runOne(ctx, spec).failure?.kind === kind
  const removed = removeSteps(original, fails, startMs + budgetMs)
  let spec = removed.spec
  let shrinks = removed.removals
  let interrupted = removed.interrupted
  const fcBudgetMs = Math.min(budgetMs * FAST_CHECK_SHARE, startMs + budgetMs - performance.now())
  if (spec.faults.length > 2 && fcBudgetMs > 0) {
    const property = fc.property(specArbitraryFor(protocol, task.seed, task.index, task.shape), (candidate) => !fails(candidate))
    const details = fc.check(property, { seed: runSeed(task.seed, task.index), numRuns: 1, interruptAfterTimeLimit: Math.floor(fcBudgetMs), markInterruptAsFailure: false })
    const found = details.failed && details.counterexample ? details.counterexample[0] : null
    if (found && found.faults.length < spec.faults.length) {
      spec = found
      shrinks = details.numShrinks
      interrupted = details.interrupted
    }
  }
  return { spec, outcome: runOne(ctx, spec), shrinks, originalSteps: original.faults.length, interrupted }
}

/** The most of the shrink budget fast-check gets, after step removal. */
const FAST_CHECK_SHARE = 0.1

/** Removes chunks of fault steps while the run still fails the same way: chunks of half, a quarter, ... one step. */
function removeSteps(spec: RunSpec, stillFails: (spec: RunSpec) => boolean, deadlineMs: number): { spec: RunSpec; removals: number; interrupted: boolean } {
  let faults = spec.faults
  let removals = 0
  for (let chunk = Math.ceil(faults.length / 2); chunk >= 1; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
    for (let i = 0; i < faults.length; ) {
      if (performance.now() > deadlineMs) return { spec: { ...spec, faults }, removals, interrupted: true }
      const candidate = { ...spec, faults: [...faults.slice(0, i), ...faults.slice(i + chunk)] }
      if (stillFails(candidate)) {
        faults = candidate.faults
        removals++
      } else {
        i += chunk
      }
    }
  }
  return { spec: { ...spec, faults }, removals, interrupted: false }
}
