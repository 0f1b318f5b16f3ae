/**
 * What one checked run is, as data: cluster size, network, a fault plan and clients. A spec
 * maps one-to-one onto `faultline run` flags (see reproduce.ts), so any run the checker makes,
 * shrunk or not, is one command away. fast-check generates specs (swarm testing: each spec
 * draws its own fault kinds and rates) and shrinks them: fewer steps, earlier times, fewer
 * nodes and clients, calmer networks.
 */
import fc from 'fast-check'
import { faultPlanArbitrary } from '../sim/nemesis/arbitrary.ts'
import { FAULT_KINDS, KIND_OF_ACTION, type FaultKind, type Plan, type PlanStep } from '../sim/nemesis/types.ts'
import { defaultNodeIds } from '../sim/options.ts'
import { type Micros, US_PER_S } from '../sim/time.ts'

export interface NetworkSpec {
  latency: string
  loss: number
  duplicate: number
  reorder: number
}

export interface RunSpec {
  /** The simulation's seed (a 32-bit whole number). */
  seed: number
  nodes: number
  clients: number
  network: NetworkSpec
  /** Fault steps, all within [0, faultUs); every fault is undone by then. */
  faults: Plan
  /** Length of the fault phase; the liveness phase starts here. */
  faultUs: Micros
  /** The protocol's raw config for this run (`--config`), or null for its defaults. */
  config: Record<string, unknown> | null
  /** The fault tactic (sim/protocol.ts FaultTactic) that made `faults`, when not a random plan. */
  tactic?: string
}

export interface SpecShape {
  /** Cluster sizes to draw from (default 3 and 5). */
  nodes: readonly number[]
  /** Simulated length of the fault phase (default 10 s). */
  faultUs: Micros
  /** Client counts from 1 up to this (default 4). */
  maxClients: number
  /**
   * Protocol configs to draw from, one per run (swarm over the protocol's options); null is
   * its defaults. Each must be a correct configuration: the correct protocol must pass with it.
   */
  configs: ReadonlyArray<Record<string, unknown> | null>
}

export const DEFAULT_SHAPE: SpecShape = { nodes: [3, 5], faultUs: 10 * US_PER_S, maxClients: 4, configs: [null] }

const LATENCIES = ['uniform:1ms..5ms', 'exp:1ms+3ms', 'longtail:1ms..40ms', 'uniform:5ms..30ms']

/**
 * The fault tempo, also drawn per run: the fault phase is cut into windows of this length, each
 * with its own fault plan (all undone by the window's end). Short windows make many short
 * faults, so many elections and recoveries, where bugs of recovery live (check/README.md has
 * the measurements behind these choices).
 */
const WINDOWS_US = [500_000, 1_000_000, 2_500_000]

/** A run's network: latency shape, loss up to 15%, duplication up to 5%, reordering up to 20%. */
export const networkArbitrary: fc.Arbitrary<NetworkSpec> = fc.record({
  latency: fc.constantFrom(...LATENCIES),
  loss: fc.integer({ min: 0, max: 150 }).map((p) => p / 1000),
  duplicate: fc.integer({ min: 0, max: 50 }).map((p) => p / 1000),
  reorder: fc.integer({ min: 0, max: 200 }).map((p) => p / 1000),
})

/** Per-seed fault rates and kinds (swarm testing): some runs are all partitions, some all crashes. */
const swarmArbitrary = fc.record({
  kinds: fc.oneof(fc.constant([...FAULT_KINDS]), fc.subarray([...FAULT_KINDS], { minLength: 1 })),
  windowUs: fc.constantFrom(...WINDOWS_US),
  network: networkArbitrary,
})

export function runSpecArbitrary(shape: SpecShape = DEFAULT_SHAPE): fc.Arbitrary<RunSpec> {
  return memoArbitrary(runSpecCache, JSON.stringify(shape), () => buildRunSpecArbitrary(shape))
}

const runSpecCache = new Map<string, fc.Arbitrary<RunSpec>>()

function buildRunSpecArbitrary(shape: SpecShape): fc.Arbitrary<RunSpec> {
  return fc.noBias(
    fc
      .record({
        seed: fc.noShrink(fc.nat({ max: 0xffffffff })),
        nodes: fc.constantFrom(...shape.nodes),
        clients: fc.integer({ min: 1, max: shape.maxClients }),
        config: fc.constantFrom(...shape.configs),
        swarm: swarmArbitrary,
      })
      .chain(({ seed, nodes, clients, config, swarm }) =>
        windowedPlanArbitrary(nodes, shape.faultUs, swarm.windowUs).map(
          (plan): RunSpec => ({ seed, nodes, clients, network: swarm.network, faults: onlyKinds(plan, swarm.kinds), faultUs: shape.faultUs, config }),
        ),
      ),
  )
}

/** Fault plans for consecutive windows of the fault phase, one after the other. */
function windowedPlanArbitrary(nodes: number, faultUs: Micros, windowUs: Micros): fc.Arbitrary<Plan> {
  return memoArbitrary(windowedCache, `${nodes}/${faultUs}/${windowUs}`, () => buildWindowedPlanArbitrary(nodes, faultUs, windowUs))
}

const windowedCache = new Map<string, fc.Arbitrary<Plan>>()

function buildWindowedPlanArbitrary(nodes: number, faultUs: Micros, windowUs: Micros): fc.Arbitrary<Plan> {
  const ids = defaultNodeIds(nodes)
  const size = Math.min(windowUs, faultUs)
  const count = Math.max(1, Math.floor(faultUs / size))
  return fc
    .array(faultPlanArbitrary(ids, size), { minLength: count, maxLength: count })
    .map((plans) => plans.flatMap((plan, i) => plan.map((step): PlanStep => ({ ...step, at: step.at + i * size }))))
}

/**
 * An arbitrary is an immutable description of how to draw, so one built for a key serves every
 * run with that key, drawing the same values. Building them per run (the plan's tree of
 * arbitraries, once for each run's chain) was a fifth of a run's spec generation.
 */
export function memoArbitrary<T>(cache: Map<string, fc.Arbitrary<T>>, key: string, build: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  const known = cache.get(key)
  if (known !== undefined) return known
  if (cache.size >= MEMO_LIMIT) cache.clear()
  const made = build()
  cache.set(key, made)
  return made
}

/** Entries a memo keeps: far more than the shapes of one check, and bounded for long-lived processes. */
const MEMO_LIMIT = 64

/** Keeps the steps of the chosen kinds; a fault and its undo share a kind, so pairs stay whole. */
function onlyKinds(plan: Plan, kinds: readonly FaultKind[]): Plan {
  return plan.filter((step) => (kinds as readonly string[]).includes(KIND_OF_ACTION[step.do]))
}

/**
 * The liveness phase's opening, at `atUs`: heal every partition, put the network back to
 * the run's start without loss, duplication or reordering, restart every crashed node, resume
 * every paused one, and set every clock right. Steps that find nothing to do are skipped.
 */
export function healSteps(nodes: number, atUs: Micros): PlanStep[] {
  const ids = defaultNodeIds(nodes)
  return [
    { at: atUs, do: 'heal' },
    { at: atUs, do: 'network', reset: true, loss: 0, duplicate: 0, reorder: 0 },
    ...ids.map((): PlanStep => ({ at: atUs, do: 'restart', node: 'crashed' })),
    ...ids.map((): PlanStep => ({ at: atUs, do: 'resume', node: 'paused' })),
    ...ids.map((id): PlanStep => ({ at: atUs, do: 'clock', node: id, offset: '0ms', driftPpm: 0 })),
  ]
}
