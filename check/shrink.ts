/**
 * Shrinking a failing run's spec to a few fault steps, given only "does this spec still fail the
 * same way?". Runs are chaotic: one step less moves every later random draw, so a plan from which
 * no single step can go (1-minimal) can still be long. Four moves, repeated to a fixpoint:
 *
 * - remove chunks of steps, halves down to single steps, or keep one chunk alone (ddmin);
 * - remove a fault together with the step that undoes it (a crash and its restart, a partition
 *   and its heal), which single-step removal cannot: without its undo a fault lasts to the heal;
 * - drop the first steps and pull the rest earlier, keeping their spacing;
 * - while the plan is long, calm the run (one client, no loss, duplication or reordering, a fixed
 *   latency, a smaller cluster): a calmer run has fewer draws for a removal to move, so more go.
 *
 * Every candidate order is fixed, so the result is a pure function of the spec and the predicate
 * (as long as the wall-time deadline does not cut it short).
 */
import { performance } from 'node:perf_hooks'
import { KIND_OF_ACTION, type Plan, type PlanStep } from '../sim/nemesis/types.ts'
import { defaultNodeIds } from '../sim/options.ts'
import type { NetworkSpec, RunSpec } from './run-spec.ts'
import { runSeed } from './seeds.ts'

export interface ShrinkOptions {
  /** Wall-clock time (performance.now() milliseconds) after which no new candidate runs. */
  deadlineMs: number
  /** Cluster sizes the run may take (a tactic's, or the check's); smaller ones are tried. */
  nodeSizes: readonly number[]
  /** A plan with more steps than this (default 10) is shrunk again under other seeds. */
  enoughSteps?: number
  /** The clock the deadline is read from (tests pass their own). */
  nowMs?: () => number
}

export interface SpecShrink {
  spec: RunSpec
  /** Candidates accepted (each one a smaller or calmer spec that still failed). */
  shrinks: number
  /** Candidates tried (a spec met again is not run again). */
  tries: number
  /** True when the deadline came before a fixpoint. */
  interrupted: boolean
}

/** The calmest network: the latency a calm run uses, and no loss, duplication or reordering. */
export const CALM_NETWORK: NetworkSpec = { latency: 'fixed:2ms', loss: 0, duplicate: 0, reorder: 0 }

/**
 * Shrinks `spec` while `stillFails` holds, until no move helps or the deadline passes: removing
 * steps first (so never worse than step removal alone), then, if the plan is still long, again
 * from the start calming first (a calm run often sheds many more steps, but not always: a
 * tactic's pattern may need its noise); the shorter plan wins, the first on a tie. A plan still over `enoughSteps` is a run so chaotic
 * that no step can go without losing the failure: then the shortest spec so far under other
 * simulation seeds (a fixed sequence from its own), or the original spec where that passes,
 * each that still fails shrunk the same way, the shortest kept. The seed is noise, not part of the failure's explanation.
 */
export function shrinkSpec(spec: RunSpec, stillFails: (spec: RunSpec) => boolean, given: ShrinkOptions): SpecShrink {
  const options: Resolved = { ...given, enoughSteps: given.enoughSteps ?? ENOUGH_STEPS, nowMs: given.nowMs ?? (() => performance.now()) }
  let best = shrinkOneSeed(spec, stillFails, options)
  let tries = best.tries
  for (let k = 1; k <= RESEEDS && best.spec.faults.length > options.enoughSteps && !best.interrupted; k++) {
    if (options.nowMs() > options.deadlineMs) {
      best.interrupted = true
      break
    }
    // The shrunk spec under the new seed first (calmer, shorter: it often still fails, and then
    // sheds most of its steps), else the original under it.
    const seed = runSeed(spec.seed, k)
    const reseeded = [{ ...best.spec, seed }, { ...spec, seed }].find((candidate) => {
      tries++
      return stillFails(candidate)
    })
    if (reseeded === undefined) continue
    const shrunk = shrinkOneSeed(reseeded, stillFails, options)
    tries += shrunk.tries
    const interrupted = shrunk.interrupted
    if (shrunk.spec.faults.length < best.spec.faults.length) best = { ...shrunk, shrinks: best.shrinks + 1 + shrunk.shrinks }
    best.interrupted = interrupted
  }
  return { ...best, tries }
}

/** Shrunk plans this short end the search over other seeds (check/README.md's target). */
export const ENOUGH_STEPS = 10

type Resolved = Required<ShrinkOptions>

/** Other seeds tried for a plan that stays long (2 of 30 failed again for raft stale-read, seed 10). */
const RESEEDS = 30

/** Removal first; calming first too when that left more than `enoughSteps` (it costs as much again). */
function shrinkOneSeed(spec: RunSpec, stillFails: (spec: RunSpec) => boolean, options: Resolved): SpecShrink {
  // Each fixpoint round re-tries the calm candidates, and the two orders meet the same specs: run each once.
  const seen = new Map<string, boolean>()
  const remembered = (candidate: RunSpec) => {
    const key = JSON.stringify(candidate)
    let fails = seen.get(key)
    if (fails === undefined) seen.set(key, (fails = stillFails(candidate)))
    return fails
  }
  const removeFirst = toFixpoint(new Shrinker(spec, remembered, options), options, false)
  if (removeFirst.spec.faults.length <= options.enoughSteps || removeFirst.interrupted) return removeFirst.result()
  const calmFirst = toFixpoint(new Shrinker(spec, remembered, options), options, true)
  const best = calmFirst.spec.faults.length < removeFirst.spec.faults.length ? calmFirst : removeFirst
  return { ...best.result(), tries: removeFirst.tries + calmFirst.tries, interrupted: calmFirst.interrupted }
}

/**
 * The moves until none helps. Calming only while the plan is longer than `enoughSteps`: it is a
 * means to remove more steps, and it costs up to seven runs a round (on Redis liveness failures,
 * 2 to 3 s a run, it doubled the shrink time of 1- and 2-step plans).
 */
function toFixpoint(s: Shrinker, options: Resolved, calmFirst: boolean): Shrinker {
  const calmIfLong = () => s.spec.faults.length > options.enoughSteps && calm(s, options.nodeSizes)
  if (calmFirst) calmIfLong()
  for (let changed = true; changed && !s.interrupted; ) {
    const before = s.shrinks
    removeChunks(s)
    removeUndoPairs(s)
    dropPrefix(s)
    calmIfLong()
    changed = s.shrinks > before
  }
  return s
}

/** The current spec and the one way to change it: a candidate that still fails. */
class Shrinker {
  shrinks = 0
  tries = 0
  interrupted = false

  constructor(
    public spec: RunSpec,
    private readonly stillFails: (spec: RunSpec) => boolean,
    private readonly options: Resolved,
  ) {}

  /** Runs the candidate (unless out of time); adopts it when it still fails. */
  try(candidate: RunSpec): boolean {
    if (this.interrupted || this.options.nowMs() > this.options.deadlineMs) {
      this.interrupted = true
      return false
    }
    this.tries++
    if (!this.stillFails(candidate)) return false
    this.spec = candidate
    this.shrinks++
    return true
  }

  result(): SpecShrink {
    return { spec: this.spec, shrinks: this.shrinks, tries: this.tries, interrupted: this.interrupted }
  }

  tryFaults(faults: Plan): boolean {
    return this.try({ ...this.spec, faults })
  }
}

/** One client, then a calm network, then a smaller cluster. */
function calm(s: Shrinker, nodeSizes: readonly number[]): void {
  if (s.spec.clients > 1) s.try({ ...s.spec, clients: 1 })
  // Every calm part at once, else each part alone (a failure may need loss but not reordering).
  const parts = calmParts(s.spec.network)
  if (parts.length > 1 && s.try({ ...s.spec, network: CALM_NETWORK })) return calmCluster(s, nodeSizes)
  for (const part of parts) s.try({ ...s.spec, network: { ...s.spec.network, ...part } })
  calmCluster(s, nodeSizes)
}

/** The smallest allowed cluster the run still fails on, when the steps name no node it lacks. */
function calmCluster(s: Shrinker, nodeSizes: readonly number[]): void {
  for (const nodes of [...new Set(nodeSizes)].filter((n) => n < s.spec.nodes).sort((a, b) => a - b)) {
    if (mentionsOnly(s.spec.faults, defaultNodeIds(nodes), defaultNodeIds(s.spec.nodes)) && s.try({ ...s.spec, nodes })) break
  }
}

/** Each part of the calm network that differs from `network`. */
function calmParts(network: NetworkSpec): Array<Partial<NetworkSpec>> {
  return (Object.keys(CALM_NETWORK) as Array<keyof NetworkSpec>)
    .filter((key) => network[key] !== CALM_NETWORK[key])
    .map((key): Partial<NetworkSpec> => ({ [key]: CALM_NETWORK[key] }))
}

/** True when no step names a node of `all` outside `kept` (a smaller cluster has no such node). */
export function mentionsOnly(faults: Plan, kept: readonly string[], all: readonly string[]): boolean {
  const gone = new Set(all.filter((id) => !kept.includes(id)))
  const names = (value: unknown): boolean =>
    typeof value === 'string' ? gone.has(value) : Array.isArray(value) ? value.some(names) : typeof value === 'object' && value !== null && Object.values(value).some(names)
  return !faults.some(names)
}

/**
 * ddmin over the steps: at each granularity (halves, quarters, ... single steps), first try
 * keeping one chunk alone (while there are at most MOST_SUBSETS chunks: a big jump when the
 * failure needs only the steps of one stretch of time), then removing each chunk.
 */
function removeChunks(s: Shrinker): void {
  for (let chunk = Math.ceil(s.spec.faults.length / 2); chunk >= 1; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
    keepOneChunk(s, chunk)
    for (let i = 0; i < s.spec.faults.length && !s.interrupted; ) {
      const faults = s.spec.faults
      if (!s.tryFaults([...faults.slice(0, i), ...faults.slice(i + chunk)])) i += chunk
    }
  }
}

/** The most chunks a granularity tries keeping alone: 2 + 4 + 8 + 16 runs at most per pass. */
const MOST_SUBSETS = 16

function keepOneChunk(s: Shrinker, chunk: number): void {
  const faults = s.spec.faults
  if (chunk < 2 || chunk >= faults.length || Math.ceil(faults.length / chunk) > MOST_SUBSETS) return
  for (let i = 0; i < faults.length && !s.interrupted; i += chunk) if (s.tryFaults(faults.slice(i, i + chunk))) return
}

/** Removes a fault with the next later step of its kind (its undo, usually), pair by pair. */
function removeUndoPairs(s: Shrinker): void {
  for (let i = 0; i < s.spec.faults.length && !s.interrupted; ) {
    const faults = s.spec.faults
    const j = undoOf(faults, i)
    if (j === -1 || !s.tryFaults(faults.filter((_, k) => k !== i && k !== j))) i++
  }
}

/**
 * Drops the first steps and pulls the rest earlier, so the kept steps start where the plan
 * started, their spacing unchanged: a failure in a tactic's second cycle needs that cycle's
 * timing, not the first cycle, and plain removal of the first cycle moves the second. Longest
 * prefix first; the first that still fails is kept (the fixpoint loop comes back for more).
 */
function dropPrefix(s: Shrinker): void {
  const faults = s.spec.faults
  for (let i = faults.length - 1; i >= 1 && !s.interrupted; i--) {
    if (s.tryFaults(faults.slice(i).map((step) => shifted(step, faults[0]!.at - faults[i]!.at)))) return
  }
}

/** The step `byUs` later (earlier when negative), its waiting window with it. */
function shifted(step: PlanStep, byUs: number): PlanStep {
  return step.until === undefined ? { ...step, at: step.at + byUs } : { ...step, at: step.at + byUs, until: step.until + byUs }
}

/** The index of the first step after `i` of the same kind (crash and restart, partition and heal), or -1. */
export function undoOf(faults: Plan, i: number): number {
  const kind = kindOf(faults[i]!)
  for (let j = i + 1; j < faults.length; j++) if (kindOf(faults[j]!) === kind) return j
  return -1
}

function kindOf(step: PlanStep): string {
  return KIND_OF_ACTION[step.do]
}
