/**
 * The rank delay of an automatic failover (clusterHandleSlaveFailover and
 * clusterGetSlaveRank in cluster_legacy.c): a replica whose master is FAIL waits
 * 500 ms + random(0..500 ms) + rank x 1000 ms before it asks for votes, where its rank counts
 * the sibling replicas it knows to have a larger replication offset. While it waits it
 * recomputes the rank, and a worse rank adds 1000 ms per place; a manual failover has no delay.
 *
 * So for every FAILOVER_AUTH_REQUEST that is not a manual failover's, sent at local time t:
 *
 *   t >= start + 500 ms + rank(t) x 1000 ms
 *
 * where rank(t) is computed here from the replica's own node table at t (never the rank the
 * node used: that is what a bug gets wrong), and start is the earliest moment, since the
 * replica's previous request (or boot), at which it was a replica whose master it saw FAIL.
 * Why that start and not "the last time it marked the master FAIL": the attempt is scheduled
 * at a cron tick where the master is FAIL, and a FAIL that clears and comes back while the
 * attempt waits does not reschedule it (as in Redis), so the last FAIL can be later than the
 * schedule; the earliest observation since the last request never is. A new attempt starts
 * only after the previous request, so the reset there is sound.
 *
 * Times are the replica's own clock (ctx.now()), as its timers and comparisons are: a skewed
 * or drifting clock changes nothing, and a jump backwards only makes start smaller, because
 * start is the smallest reading seen.
 */
import type { Invariant } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import { FAILOVER_FIXED_DELAY_MS, FAILOVER_RANK_DELAY_MS } from './constants.ts'
import type { RedisNode } from './node.ts'
import { siblingsAhead } from './failover.ts'

interface Watch {
  /** Requests already checked (an index into node.authRequests). */
  checked: number
  /** The smallest local reading, since the last request, at which the master was FAIL in this node's view. */
  startLocalUs: number | null
}

/**
 * The replica's rank as Redis computes it, from what this node knows: siblings ahead of its
 * offset (counted as failover.ts does, but never through the node's own `replicaRank`, which
 * the no-rank-delay mutant makes lie).
 */
export function knownRank(node: RedisNode): { rank: number; ahead: string[] } {
  if (node.me.role !== 'slave' || node.me.master === null) return { rank: 0, ahead: [] }
  const ahead = siblingsAhead(node).map((p) => `${p.addr}@${p.replOffset}`)
  return { rank: ahead.length, ahead }
}

/** A replica whose master is FAIL in its own view: the only state in which an automatic failover is scheduled. */
function masterFailing(node: RedisNode): boolean {
  return node.me.role === 'slave' && node.myMaster?.fail === true
}

export function failoverWaitsRankDelay(): Invariant<RedisNode> {
  // Keyed by the node object: a restarted node is a fresh object with a fresh failover state.
  const watches = new WeakMap<RedisNode, Watch>()
  return {
    name: 'failover-waits-rank-delay',
    check(ctx) {
      if (ctx.touched === null) return null
      const node = ctx.node(ctx.touched)
      if (!node || node.myName === '') return null
      let watch = watches.get(node)
      if (!watch) watches.set(node, (watch = { checked: 0, startLocalUs: null }))
      const nowUs = node.ctx.now()
      if (masterFailing(node)) watch.startLocalUs = Math.min(watch.startLocalUs ?? nowUs, nowUs)
      if (watch.checked === node.authRequests.length) return null
      const requests = node.authRequests.slice(watch.checked)
      watch.checked = node.authRequests.length
      const startUs = watch.startLocalUs
      watch.startLocalUs = null
      for (const request of requests) {
        if (request.forced) continue
        const problem = tooEarly(node, ctx.touched, request.atLocalUs, request.epoch, startUs)
        if (problem !== null) return problem
      }
      return null
    },
  }
}

function tooEarly(node: RedisNode, id: string, atUs: number, epoch: number, startUs: number | null): string | null {
  const master = node.myMaster?.addr ?? '?'
  if (startUs === null) return `${id} asked for failover votes (epoch ${epoch}) without having seen its master ${master} FAIL`
  const { rank, ahead } = knownRank(node)
  const neededMs = FAILOVER_FIXED_DELAY_MS + rank * FAILOVER_RANK_DELAY_MS
  if (atUs - startUs >= neededMs * US_PER_MS) return null
  const waitedMs = Math.round((atUs - startUs) / US_PER_MS)
  const why = rank === 0 ? 'rank 0' : `rank ${rank} (${ahead.join(', ')} ahead of its offset ${node.offset})`
  return `${id} asked for failover votes (epoch ${epoch}) ${waitedMs} ms after it saw its master ${master} FAIL; with ${why} it must wait at least ${neededMs} ms`
}
