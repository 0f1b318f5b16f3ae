/**
 * Safety checks run after every event: one vote per master per epoch, epochs that never go
 * backward, a replica that waits its rank delay before asking for votes (rank-delay.ts); and
 * the write-loss account, which reports and never fails a run.
 */
import type { Invariant, NodeId } from '../../sim/protocol.ts'
import type { RedisNode } from './node.ts'
import { failoverWaitsRankDelay } from './rank-delay.ts'
import type { RedisClusterConfig } from './types.ts'
import { writeLossAccount } from './write-loss.ts'

export function redisInvariants(config: RedisClusterConfig): Invariant<RedisNode>[] {
  return [oneVotePerEpoch(), epochsNeverGoBack(), failoverWaitsRankDelay(), writeLossAccount(config)]
}

/** A master grants at most one FAILOVER_AUTH_ACK per epoch (lastVoteEpoch): else two replicas can win one epoch. */
export function oneVotePerEpoch(): Invariant<RedisNode> {
  const votes = new Map<NodeId, Map<number, string>>()
  const seen = new WeakMap<RedisNode, number>()
  return {
    name: 'one-vote-per-epoch',
    check(ctx) {
      if (ctx.touched === null) return null
      const node = ctx.node(ctx.touched)
      if (!node) return null
      const from = seen.get(node) ?? 0
      if (from === node.votes.length) return null
      seen.set(node, node.votes.length)
      let mine = votes.get(ctx.touched)
      if (!mine) votes.set(ctx.touched, (mine = new Map()))
      for (const vote of node.votes.slice(from)) {
        const earlier = mine.get(vote.epoch)
        if (earlier !== undefined) return `${ctx.touched} voted twice in epoch ${vote.epoch}: for ${earlier.slice(0, 8)} and for ${vote.for.slice(0, 8)}`
        mine.set(vote.epoch, vote.for)
      }
      return null
    },
  }
}

/** currentEpoch and configEpoch only grow on a node, across restarts too (nodes.conf is fsynced). */
export function epochsNeverGoBack(): Invariant<RedisNode> {
  const last = new Map<NodeId, { current: number; config: number }>()
  return {
    name: 'epochs-never-go-back',
    check(ctx) {
      if (ctx.touched === null) return null
      const node = ctx.node(ctx.touched)
      if (!node || node.myName === '') return null
      const now = { current: node.currentEpoch, config: node.me.configEpoch }
      const before = last.get(ctx.touched)
      last.set(ctx.touched, now)
      if (!before) return null
      if (now.current < before.current) return `${ctx.touched}'s currentEpoch went back from ${before.current} to ${now.current}`
      if (now.config < before.config) return `${ctx.touched}'s configEpoch went back from ${before.config} to ${now.config}`
      return null
    },
  }
}
