/**
 * How a leader brings a learner up to date (LearnerHandler.syncFollower and
 * queueCommittedProposals), as a pure decision over the leader's log and the learner's last
 * zxid:
 * - DIFF: the learner's last zxid is in the leader's recent log; send what follows it.
 * - TRUNC: the learner has transactions the leader does not (it is ahead of the leader's
 *   log, or diverges inside one epoch); it drops them, then takes what follows.
 * - SNAP: the learner is older than the recent log the leader keeps (commitLogCount), or
 *   diverges across an epoch boundary, which ZooKeeper never truncates across.
 */
import type { SyncMode, Txn } from './messages.ts'
import { counterOf, epochOf, type Zxid } from './zxid.ts'

export interface SyncPlan {
  mode: SyncMode
  /** TRUNC: the learner keeps its log up to this zxid. */
  truncZxid: Zxid | null
  /** Position in the leader's history from which transactions are sent (SNAP: after the snapshot). */
  fromIndex: number
}

export interface LeaderLogView {
  /** The leader's logged transactions, in zxid order, after its snapshot. */
  history: readonly Txn[]
  /** The zxid the leader's log starts after (its snapshot's). */
  baseZxid: Zxid
  commitLogCount: number
}

export function planSync(leader: LeaderLogView, peerLastZxid: Zxid): SyncPlan {
  const { history, baseZxid } = leader
  const leaderLast = history.length > 0 ? history[history.length - 1]!.zxid : baseZxid
  if (peerLastZxid === leaderLast) return { mode: 'DIFF', truncZxid: null, fromIndex: history.length }
  if (peerLastZxid > leaderLast) return { mode: 'TRUNC', truncZxid: leaderLast, fromIndex: history.length }
  // The recent log a leader can replay: its last commitLogCount transactions.
  const windowStart = Math.max(0, history.length - leader.commitLogCount)
  const minZxid = windowStart === 0 ? baseZxid : history[windowStart - 1]!.zxid
  if (peerLastZxid < minZxid) return snap(history.length)
  // First position whose zxid is above the learner's last.
  let next = windowStart
  while (next < history.length && history[next]!.zxid <= peerLastZxid) next++
  const prevZxid = next > 0 ? history[next - 1]!.zxid : baseZxid
  if (prevZxid === peerLastZxid || counterOf(peerLastZxid) === 0) return { mode: 'DIFF', truncZxid: null, fromIndex: next }
  // The learner's last zxid is not in our log: it holds a transaction we never committed.
  if (epochOf(history[next]!.zxid) !== epochOf(peerLastZxid)) return snap(history.length)
  return { mode: 'TRUNC', truncZxid: prevZxid, fromIndex: next }
}

function snap(historyLength: number): SyncPlan {
  return { mode: 'SNAP', truncZxid: null, fromIndex: historyLength }
}
