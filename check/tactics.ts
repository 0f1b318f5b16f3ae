/**
 * Fault tactics in the check: a protocol's `faultTactics` (sim/protocol.ts) are plan generators
 * for fault patterns random plans rarely hit (Figure 8's three leaders, a voter restarting
 * between two candidates of one term). One run in TACTIC_SHARE of a protocol that has tactics
 * uses one of them, chosen from the run's own seed, so the choice is a pure function of
 * (seed, index) like the rest of the run: workers and shards see the same runs.
 */
import fc from 'fast-check'
import { defaultNodeIds } from '../sim/options.ts'
import type { AnyProtocol, FaultTactic } from '../sim/protocol.ts'
import { InputError } from '../sim/time.ts'
import { memoArbitrary, networkArbitrary, runSpecArbitrary, type RunSpec, type SpecShape } from './run-spec.ts'
import { runSeed } from './seeds.ts'
import { RandomStream } from '../sim/random.ts'

/** One run in this many is a tactic's run, when the protocol has tactics. */
export const TACTIC_SHARE = 3

/** The tactic run `index` of a check with `seed` uses, or null for a random plan. */
export function tacticFor(protocol: AnyProtocol, seed: number, index: number): FaultTactic | null {
  const tactics = protocol.faultTactics ?? []
  if (tactics.length === 0) return null
  // A second hash of the run's seed: the fast-check draws of the run itself use the first.
  const h = runSeed(runSeed(seed, index), 0x7ac)
  return h % TACTIC_SHARE === 0 ? tactics[Math.floor(h / TACTIC_SHARE) % tactics.length]! : null
}

/** The specs of run `index`: a tactic's, or random (swarm) ones. */
export function specArbitraryFor(protocol: AnyProtocol, seed: number, index: number, shape: SpecShape): fc.Arbitrary<RunSpec> {
  const tactic = tacticFor(protocol, seed, index)
  return tactic ? tacticSpecArbitrary(tactic, shape) : runSpecArbitrary(shape)
}

/**
 * Specs whose faults are a tactic's plan: the tactic's cluster sizes and configs when it names
 * them (else the shape's), clients and network drawn as for random runs. The plan's own draws
 * come from one seed that does not shrink: fast-check shrinks the rest (fewer clients, calmer
 * network), and the checker's step removal shrinks the plan.
 */
export function tacticSpecArbitrary(tactic: FaultTactic, shape: SpecShape): fc.Arbitrary<RunSpec> {
  let byShape = tacticCache.get(tactic)
  if (byShape === undefined) tacticCache.set(tactic, (byShape = new Map()))
  return memoArbitrary(byShape, JSON.stringify(shape), () => buildTacticSpecArbitrary(tactic, shape))
}

/** Per tactic (by identity: a tactic is code) and shape; see memoArbitrary. */
const tacticCache = new WeakMap<FaultTactic, Map<string, fc.Arbitrary<RunSpec>>>()

function buildTacticSpecArbitrary(tactic: FaultTactic, shape: SpecShape): fc.Arbitrary<RunSpec> {
  const nodes = tacticNodes(tactic, shape)
  const configs = tactic.configs && tactic.configs.length > 0 ? tactic.configs : shape.configs
  return fc.noBias(
    fc
      .record({
        seed: fc.noShrink(fc.nat({ max: 0xffffffff })),
        nodes: fc.constantFrom(...nodes),
        clients: fc.integer({ min: 1, max: shape.maxClients }),
        config: fc.constantFrom(...configs),
        network: networkArbitrary,
        planSeed: fc.noShrink(fc.nat({ max: 0xffffffff })),
      })
      .map(({ planSeed, ...rest }): RunSpec => ({
        ...rest,
        faults: tacticPlan(tactic, rest.nodes, shape.faultUs, planSeed),
        faultUs: shape.faultUs,
        tactic: tactic.name,
      })),
  )
}

/** The cluster sizes a tactic's runs take: its own, else the shape's. */
export function tacticNodes(tactic: FaultTactic, shape: SpecShape): readonly number[] {
  return tactic.nodes && tactic.nodes.length > 0 ? tactic.nodes : shape.nodes
}

/** The tactic's plan for a cluster, from a seed; steps outside [0, faultUs) are a tactic's mistake. */
export function tacticPlan(tactic: FaultTactic, nodes: number, faultUs: number, planSeed: number): RunSpec['faults'] {
  const plan = tactic.plan({ nodeIds: defaultNodeIds(nodes), faultUs, random: tacticRandom(planSeed) })
  const outside = plan.find((step) => !(step.at >= 0 && step.at < faultUs))
  if (outside) throw new InputError(`fault tactic '${tactic.name}' made a step at ${outside.at}us, outside the fault phase [0, ${faultUs}us)`)
  // Steps in time order, ties in the tactic's order (a stable sort).
  return [...plan].sort((a, b) => a.at - b.at)
}

/** Configs a check may run: the shape's and every tactic's (each validated before any run). */
export function tacticConfigs(protocol: AnyProtocol): Array<Record<string, unknown> | null> {
  return (protocol.faultTactics ?? []).flatMap((t) => [...(t.configs ?? [])])
}

/** The tactic's `random`: the project's seeded stream, forked for tactic plans (uniform in [0, 1)). */
export function tacticRandom(planSeed: number): () => number {
  const stream = RandomStream.root(planSeed).fork('tactic')
  return () => stream.next()
}
