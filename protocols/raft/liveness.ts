/**
 * What `faultline check` requires of Raft once it has healed everything: within 10 s of
 * simulated time (the 6.5840 tester allows 5 s for an election; a client operation needs a
 * little more), exactly one leader whose term a majority follows with it as their leader, and a
 * client operation completed ok after the heal.
 */
import type { InvariantContext, Liveness } from '../../sim/protocol.ts'
import { US_PER_S } from '../../sim/time.ts'
import type { RaftNode } from './node.ts'

export const LIVENESS_WITHIN_US = 10 * US_PER_S

/** Leaders acknowledged by a majority: nodes (the leader included) in its term that name it as leader. */
export function acknowledgedLeaders(ctx: InvariantContext<RaftNode>): string[] {
  const majority = Math.floor(ctx.nodeIds.length / 2) + 1
  const out: string[] = []
  for (const id of ctx.nodeIds) {
    const leader = ctx.node(id)
    if (!leader?.isLeader) continue
    let acks = 0
    for (const other of ctx.nodeIds) {
      const n = ctx.node(other)
      if (n && n.currentTerm === leader.currentTerm && n.leaderId === id) acks++
    }
    if (acks >= majority) out.push(id)
  }
  return out
}

export function raftLiveness(): Liveness<RaftNode> {
  let healedAtUs: number | null = null
  return {
    description: 'exactly one leader acknowledged by a majority, and a client operation completes ok after the heal',
    withinUs: LIVENESS_WITHIN_US,
    check(ctx) {
      if (healedAtUs === null) healedAtUs = ctx.time
      const leaders = acknowledgedLeaders(ctx)
      if (leaders.length !== 1) return leaders.length === 0 ? 'no leader acknowledged by a majority' : `${leaders.length} leaders acknowledged by majorities (${leaders.join(', ')})`
      const since = healedAtUs
      for (let i = ctx.history.length - 1; i >= 0; i--) {
        const h = ctx.history[i]!
        if (h.timeUs < since) break
        if (h.type === 'ok') return null
      }
      return 'no client operation has completed ok since the heal'
    },
  }
}
