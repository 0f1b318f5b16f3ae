/**
 * Votes and their order (FastLeaderElection.totalOrderPredicate, Vote.equals).
 */
import type { ServerState } from './messages.ts'
import type { Zxid } from './zxid.ts'

export interface Vote {
  /** The proposed leader's sid. */
  leader: number
  zxid: Zxid
  electionEpoch: number
  peerEpoch: number
  state: ServerState
}

/**
 * Is the new vote (newLeader, newZxid, newEpoch) better than the current one? Higher peer
 * epoch first, then higher zxid, then higher server id: the server with the most recent
 * history wins, and ids only break ties. The elect-by-id mutant compares ids alone.
 */
export function totalOrderPredicate(
  next: { leader: number; zxid: Zxid; peerEpoch: number },
  current: { leader: number; zxid: Zxid; peerEpoch: number },
  byIdOnly = false,
): boolean {
  if (byIdOnly) return next.leader > current.leader
  if (next.peerEpoch !== current.peerEpoch) return next.peerEpoch > current.peerEpoch
  if (next.zxid !== current.zxid) return next.zxid > current.zxid
  return next.leader > current.leader
}

/** The field that made a vote win in totalOrderPredicate's order: what a vote change is "because of". */
export type VoteEdge = 'peerEpoch' | 'zxid' | 'sid'

/** Which field makes `next` better than `current` (null if it is not better). */
export function betterBy(
  next: { leader: number; zxid: Zxid; peerEpoch: number },
  current: { leader: number; zxid: Zxid; peerEpoch: number },
  byIdOnly = false,
): VoteEdge | null {
  if (!totalOrderPredicate(next, current, byIdOnly)) return null
  if (byIdOnly) return 'sid'
  if (next.peerEpoch !== current.peerEpoch) return 'peerEpoch'
  return next.zxid !== current.zxid ? 'zxid' : 'sid'
}

/**
 * Vote.equals: while either side is still LOOKING, every field of the vote must match;
 * between servers that already follow or lead, the leader and its epoch are enough (their
 * zxids move on as the leader commits).
 */
export function sameVote(a: Vote, b: Vote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch
  }
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch
}

/** Strictly more than half of the voters (QuorumMaj). */
export function isQuorum(count: number, voters: number): boolean {
  return count * 2 > voters
}

/** Do the votes in `votes` that equal `target` form a quorum (SyncedLearnerTracker.hasAllQuorums)? */
export function hasQuorumFor(votes: ReadonlyMap<number, Vote>, target: Vote, voters: number): boolean {
  let count = 0
  for (const vote of votes.values()) if (sameVote(vote, target)) count++
  return isQuorum(count, voters)
}
