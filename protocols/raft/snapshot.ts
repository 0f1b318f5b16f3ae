/**
 * Snapshots and log compaction (paper section 7): a node snapshots its state machine (the
 * key-value data and the client sessions) once `snapshotThreshold` entries have been applied
 * since the last snapshot, and drops the log prefix it covers. A leader sends InstallSnapshot
 * to a follower whose next entry was compacted away. The whole image travels in one message:
 * our snapshots are small, so the paper's chunking (offset, done) is left out.
 */
import type { NodeId } from '../../sim/protocol.ts'
import { deepFreezeShared } from '../../sim/freeze.ts'
import { US_PER_MS } from '../../sim/time.ts'
import type { RaftMsg } from './messages.ts'
import type { RaftNode } from './node.ts'
import { acknowledge, heardFromLeader, noteResponse, settleInflight } from './replication.ts'

type Install = Extract<RaftMsg, { type: 'InstallSnapshot' }>
type InstallReply = Extract<RaftMsg, { type: 'InstallSnapshotReply' }>

export function maybeSnapshot(node: RaftNode): void {
  if (node.lastApplied - node.log.snapshotIndex < node.config.snapshotThreshold) return
  // Frozen and marked (the key-value store never changes a value in place): storage keeps it
  // without a copy, and the InstallSnapshot messages that carry it do not walk it again.
  node.log.takeSnapshot(node.lastApplied, deepFreezeShared(node.kv.snapshot()))
  node.sync()
  node.ctx.note('snapshot taken', { index: node.log.snapshotIndex, term: node.log.snapshotTerm })
}

/**
 * Sends the snapshot, at most once per minimum election timeout to a peer: a snapshot is the
 * biggest message there is, and one in flight to a slow (or crashed) follower is not resent on
 * every heartbeat (etcd pauses a follower's progress while its snapshot is pending). In between,
 * heartbeats send a bare AppendEntries that keeps the follower's election timer quiet.
 */
export function sendSnapshot(node: RaftNode, peer: NodeId, heartbeat: boolean): void {
  const { snapshotIndex, snapshotTerm, snapshotState, offset } = node.log
  const nowUs = node.ctx.now()
  const lastUs = node.snapshotSentUs.get(peer)
  if (lastUs !== undefined && nowUs - lastUs < node.config.electionTimeoutMinMs * US_PER_MS) {
    // Only heartbeats probe: answering the probe's rejection with another probe would ping-pong.
    if (heartbeat) node.ctx.send(peer, { type: 'AppendEntries', term: node.currentTerm, prevLogIndex: offset, prevLogTerm: node.log.offsetTerm, entries: [], leaderCommit: node.commitIndex, round: node.round })
    return
  }
  node.snapshotSentUs.set(peer, nowUs)
  node.inflight.set(peer, { last: snapshotIndex, round: node.round })
  node.ctx.send(peer, {
    type: 'InstallSnapshot',
    term: node.currentTerm,
    lastIncludedIndex: snapshotIndex,
    lastIncludedTerm: snapshotTerm,
    state: snapshotState!,
    round: node.round,
  })
}

export function handleInstallSnapshot(node: RaftNode, from: NodeId, msg: Install): void {
  if (msg.term < node.currentTerm) return replyInstall(node, from, msg, 0)
  heardFromLeader(node, from)
  // Already have everything it covers, committed: nothing to do (an old or duplicated snapshot).
  if (msg.lastIncludedIndex <= node.commitIndex) return replyInstall(node, from, msg, node.commitIndex)
  node.log.install(msg.lastIncludedIndex, msg.lastIncludedTerm, msg.state)
  node.sync()
  node.kv.restore(msg.state)
  node.commitIndex = node.lastApplied = msg.lastIncludedIndex
  node.ctx.note('snapshot installed', { index: msg.lastIncludedIndex, term: msg.lastIncludedTerm, from })
  replyInstall(node, from, msg, msg.lastIncludedIndex)
}

function replyInstall(node: RaftNode, to: NodeId, msg: Install, matchIndex: number): void {
  node.ctx.send(to, { type: 'InstallSnapshotReply', term: node.currentTerm, matchIndex, round: msg.round })
}

export function handleInstallSnapshotReply(node: RaftNode, from: NodeId, msg: InstallReply): void {
  if (!node.isLeader || msg.term !== node.currentTerm) return
  noteResponse(node, from, msg.round)
  settleInflight(node, from, msg.matchIndex, msg.round)
  if (msg.matchIndex > 0) acknowledge(node, from, msg.matchIndex)
  node.requests.onAcknowledged()
}
