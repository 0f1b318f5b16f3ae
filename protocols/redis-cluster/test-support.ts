/** Helpers for this folder's tests: building a run and reading the nodes' state. */
import { Simulation } from '../../sim/engine.ts'
import type { SimulationOptions } from '../../sim/options.ts'
import { US_PER_S } from '../../sim/time.ts'
import { redisCluster } from './index.ts'
import type { RedisNode } from './node.ts'
import type { RedisClusterConfig } from './types.ts'

export const S = US_PER_S

export function cluster(nodes: number, config: Partial<RedisClusterConfig>, extra: Partial<SimulationOptions> = {}): Simulation {
  return new Simulation({ protocol: redisCluster, seed: 1, nodes, config: { ...redisCluster.defaultConfig, ...config }, ...extra })
}

export function nodeOf(sim: Simulation, id: string): RedisNode {
  const node = sim.node<RedisNode>(id)
  if (!node) throw new Error(`${id} is down`)
  return node
}

/** "five masters A to E, A with replicas A1 and A2": n1..n5 masters, n6 and n7 replicate n1. */
export function fiveMastersTwoReplicasOfA(extra: Partial<SimulationOptions> = {}): Simulation {
  return cluster(7, { masters: 5, replicaOf: { n6: 'n1', n7: 'n1' } }, extra)
}

/** The slot owned by `key` in node `viewer`'s map, as an engine address. */
export function ownerAddr(sim: Simulation, viewer: string, slot: number): string | null {
  const node = nodeOf(sim, viewer)
  const owner = node.owner[slot] ?? null
  return owner === null ? null : (node.peers.get(owner)?.addr ?? null)
}
