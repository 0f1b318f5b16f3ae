/**
 * Cluster state OK/FAIL (clusterUpdateState): FAIL when a slot has no live owner (with
 * cluster-require-full-coverage) or when this node cannot reach a majority of the
 * slot-owning masters: that is how a master on the minority side stops taking writes.
 * A master turning OK again waits the rejoin delay, and after boot the writable delay.
 */
import { MAX_REJOIN_DELAY_MS, MIN_REJOIN_DELAY_MS, SLOTS, WRITABLE_DELAY_MS } from './constants.ts'
import type { RedisNode } from './node.ts'
import { US_PER_MS } from '../../sim/time.ts'

export function updateState(node: RedisNode): void {
  const now = node.ctx.now()
  if (node.isMaster() && node.state === 'fail' && now - node.bootUs < WRITABLE_DELAY_MS * US_PER_MS) return
  let next: 'ok' | 'fail' = 'ok'
  if (node.config.requireFullCoverage && !fullyCovered(node)) next = 'fail'
  const masters = node.slotMasters()
  const quorum = Math.floor(masters.length / 2) + 1
  const reachable = masters.filter((p) => p.name === node.myName || (!p.pfail && !p.fail)).length
  if (reachable < quorum) {
    next = 'fail'
    if (node.amongMinorityUs < now - node.nodeTimeoutUs || node.state === 'ok') {
      node.minorityEvents.push({ atUs: now, contactUs: majorityContactUs(node, quorum) })
    }
    node.amongMinorityUs = now
  }
  if (next === node.state) return
  const rejoinDelayUs = Math.min(MAX_REJOIN_DELAY_MS, Math.max(MIN_REJOIN_DELAY_MS, node.config.nodeTimeoutMs)) * US_PER_MS
  if (next === 'ok' && node.isMaster() && now - node.amongMinorityUs < rejoinDelayUs) return
  node.state = next
  node.ctx.note(next === 'ok' ? 'cluster-state-ok' : 'cluster-state-fail', reachable < quorum ? { reachable, quorum } : {})
}

/** Every slot has an owner not flagged FAIL (counted from the per-owner slot counts, not slot by slot). */
function fullyCovered(node: RedisNode): boolean {
  let served = 0
  for (const p of node.peers.values()) if (!p.fail) served += node.numSlots(p.name)
  return served === SLOTS
}

/** The last time this node had heard from a majority (itself included) of slot-owning masters. */
export function majorityContactUs(node: RedisNode, quorum: number): number {
  const heard = node.slotMasters().filter((p) => p.name !== node.myName).map((p) => p.dataReceivedUs).sort((a, b) => b - a)
  const othersNeeded = quorum - 1
  if (othersNeeded <= 0) return node.ctx.now()
  return heard[othersNeeded - 1] ?? 0
}
