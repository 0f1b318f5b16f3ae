/**
 * Helpers for Raft's tests (imported by *.test.ts files only): a fast "storm" nemesis plan
 * that packs many elections, crashes and partitions into a few simulated seconds, and a seed
 * search that runs a plan per seed until an invariant is violated.
 */
import { Simulation } from '../../sim/engine.ts'
import { crashFault, partitionFault, type PartitionShape } from '../../sim/nemesis/faults.ts'
import { presetPlan } from '../../sim/nemesis/presets.ts'
import { budgetTrack, episodesToPlan, lastUndoUs, sequentialTrack } from '../../sim/nemesis/timeline.ts'
import type { Plan } from '../../sim/nemesis/types.ts'
import { defaultNetworkConfig } from '../../sim/network/config.ts'
import { parseLatency } from '../../sim/network/latency.ts'
import { defaultNodeIds } from '../../sim/options.ts'
import { RandomStream } from '../../sim/random.ts'
import type { RunResult } from '../../sim/result.ts'
import { US_PER_MS, US_PER_S } from '../../sim/time.ts'
import type { RaftConfig } from './config.ts'
import { raft } from './index.ts'

const STORM_SHAPES: PartitionShape[] = ['isolate-leader', 'isolate-random', 'random-halves', 'majorities-ring', 'bridge', 'groups']

/**
 * Partitions every 0.5-2 s lasting 0.3-2 s, and crashes every 0.3-2 s lasting 5-600 ms
 * (at most a minority down at once): each fault outlives an election timeout or two, and quick
 * restarts land in the middle of elections, where persistence mistakes show.
 */
export function stormPlan(nodes: readonly string[], durationUs: number, rng: RandomStream): Plan {
  const endUs = lastUndoUs(durationUs)
  const ms = (lo: number, hi: number) => [lo * US_PER_MS, hi * US_PER_MS] as const
  const partitions = sequentialTrack(rng, endUs, { gapUs: ms(500, 2000), lengthUs: ms(300, 2000) }, (r) => partitionFault(r.pick(STORM_SHAPES), nodes, r))
  const crashes = budgetTrack(rng, endUs, { gapUs: ms(300, 2000), lengthUs: ms(5, 600) }, Math.floor((nodes.length - 1) / 2), [], (r) =>
    crashFault(r.pick(['leader', 'random'] as const)),
  )
  return episodesToPlan([...partitions, ...crashes])
}

export interface SearchOptions {
  mutant: string | null
  /** 'storm' (stormPlan) or a nemesis preset name. */
  plan: string
  seeds: number
  durationS: number
  config?: Partial<RaftConfig>
  loseUnsyncedWrites?: boolean
  clients?: number
  /** Network latency for every link, such as 'uniform:1ms..60ms' (default: the engine's LAN). */
  latency?: string
}

export function planFor(name: string, seed: number, durationUs: number, nodes = defaultNodeIds(5)): Plan {
  const rng = RandomStream.root(seed).fork('plan')
  return name === 'storm' ? stormPlan(nodes, durationUs, rng) : presetPlan(name, { nodes, durationUs, rng })
}

export function runRaft(seed: number, o: Omit<SearchOptions, 'seeds'>): RunResult {
  const durationUs = o.durationS * US_PER_S
  const sim = new Simulation({
    protocol: raft, seed, nodes: 5, plan: planFor(o.plan, seed, durationUs),
    config: o.config, mutant: o.mutant, network: o.latency ? { ...defaultNetworkConfig(), latency: parseLatency(o.latency, 'latency') } : undefined, workload: { clients: o.clients ?? 5 }, loseUnsyncedWrites: o.loseUnsyncedWrites ?? false,
  })
  sim.run({ untilUs: durationUs })
  return sim.finish()
}

/** Seeds 1..seeds in order; the first failed run (a violation or a node error), or null. */
export function searchSeeds(o: SearchOptions): { seed: number; result: RunResult } | null {
  for (let seed = 1; seed <= o.seeds; seed++) {
    const result = runRaft(seed, o)
    if (result.violation || result.nodeError) return { seed, result }
  }
  return null
}
