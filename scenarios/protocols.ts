/** The protocols a scenario may name: the three real systems (pingpong is the engine's example, not a claim). */
import { raft } from '../protocols/raft/index.ts'
import { redisCluster } from '../protocols/redis-cluster/index.ts'
import { zab } from '../protocols/zab/index.ts'
import type { AnyProtocol } from '../sim/protocol.ts'

export const PROTOCOL_NAMES = ['raft', 'zab', 'redis-cluster'] as const

const BY_NAME: Record<(typeof PROTOCOL_NAMES)[number], AnyProtocol> = { raft, zab, 'redis-cluster': redisCluster }

export function scenarioProtocol(name: string): AnyProtocol {
  return BY_NAME[name as (typeof PROTOCOL_NAMES)[number]]!
}

/** The protocol's name as people write it, for narration. */
export const PROTOCOL_TITLES: Record<string, string> = { raft: 'Raft', zab: 'ZooKeeper (ZAB)', 'redis-cluster': 'Redis Cluster' }

/**
 * What each protocol calls the era a view's `term` field counts (every viewer pane reads
 * `term`): ZooKeeper's is the epoch.
 */
export const ERA_NAMES: Record<string, string> = { raft: 'term', zab: 'epoch', 'redis-cluster': 'term' }
