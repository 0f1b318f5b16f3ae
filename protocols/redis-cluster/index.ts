/**
 * Redis Cluster: 16384 hash slots over masters with asynchronous replicas, a gossip bus with
 * failure detection, replica failover by epoch-numbered elections, redirections, resharding.
 * Not linearizable by design: the checks measure and explain lost writes (see README.md).
 */
import type { Protocol } from '../../sim/protocol.ts'
import { createRedisClient, makeRedisOp } from './client.ts'
import { DEFAULT_CONFIG, parseConfig } from './config.ts'
import { redisInvariants } from './invariants.ts'
import { slotMapLiveness } from './convergence.ts'
import { RedisNode } from './node.ts'
import { redisTactics } from './tactics.ts'
import type { RedisClusterConfig, RedisMsg } from './types.ts'

export { keySlot } from './keyslot.ts'
export { clusterNodesText, clusterSlotsText, clusterSlotsValue } from './cluster-text.ts'
export { RedisNode } from './node.ts'

export const redisCluster: Protocol<RedisMsg, RedisClusterConfig, RedisNode> = {
  name: 'redis-cluster',
  summary: 'Redis Cluster: hash slots, gossip with PFAIL/FAIL, replica failover by configEpoch, MOVED/ASK, resharding, write-loss accounting',
  defaultConfig: DEFAULT_CONFIG,
  parseConfig,
  createNode: (ctx, { config, mutant }) => new RedisNode(ctx, config, mutant),
  messageType: (msg) => msg.type,
  invariants: (setup) => redisInvariants(setup.config),
  mutants: [
    { name: 'double-vote', description: 'a master forgets lastVoteEpoch and voted_time and votes for every request: two replicas win one epoch (caught by one-vote-per-epoch)' },
    { name: 'no-epoch-collision', description: 'the configEpoch collision rule is removed: two masters claiming the same slots at one epoch never resolve (caught by the converged-slot-map check)' },
    { name: 'no-rank-delay', description: 'rank is always 0: a replica behind a sibling asks for votes as early as the sibling, so a less up-to-date replica can win and lose writes (caught by failover-waits-rank-delay)' },
    { name: 'ignore-config-epoch', description: 'claims are compared without their configEpoch, so a bound slot never moves: after a failover the old owner\'s stale claim keeps winning (caught by the converged-slot-map check)' },
  ],
  workload: { mix: { get: 2, set: 2, incr: 1, mset: 1 }, keys: 8 },
  makeOp: makeRedisOp,
  createClient: createRedisClient,
  liveness: (setup) => slotMapLiveness(setup.config),
  historyCheck: { kind: 'write-loss' },
  faultTactics: redisTactics,
}
