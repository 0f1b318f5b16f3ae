/**
 * Log replication (paper 5.3, 5.4.2): AppendEntries with the consistency check, fast backup
 * with the conflicting term and its first index (the 6.5840 "XTerm/XIndex" optimisation,
 * also described at the end of 5.3), and the commit rule that counts replicas only for
 * entries of the leader's own term (Figure 8).
 */
import type { NodeId } from '../../sim/protocol.ts'
import type { RaftMsg } from './messages.ts'
import type { RaftNode } from './node.ts'
import { sendSnapshot } from './snapshot.ts'

type Append = Extract<RaftMsg, { type: 'AppendEntries' }>
type AppendReply = Extract<RaftMsg, { type: 'AppendEntriesReply' }>

/** A new round to every peer: heartbeats (with entries where nothing is in flight), and leadership confirmation for reads. */
export function broadcastAppend(node: RaftNode): void {
  node.round++
  for (const p of node.peers) sendAppend(node, p, node.inflight.has(p), true)
}

/** New entries to every peer that has nothing in flight (the others get them when they answer). */
export function replicateNew(node: RaftNode): void {
  for (const p of node.peers) if (!node.inflight.has(p)) sendAppend(node, p)
}

/**
 * `bare`: no entries, only the consistency check at nextIndex-1 (a probe). `heartbeat`: part of
 * a broadcast round, which must reach every follower in some form.
 */
export function sendAppend(node: RaftNode, peer: NodeId, bare = false, heartbeat = false): void {
  const next = node.nextIndex.get(peer) ?? node.log.lastIndex + 1
  if (next <= node.log.offset) return sendSnapshot(node, peer, heartbeat)
  const prevLogIndex = next - 1
  const last = bare ? prevLogIndex : Math.min(node.log.lastIndex, prevLogIndex + node.config.maxEntriesPerAppend)
  if (last > prevLogIndex) node.inflight.set(peer, { last, round: node.round })
  node.ctx.send(peer, {
    type: 'AppendEntries',
    term: node.currentTerm,
    prevLogIndex,
    prevLogTerm: node.log.termAt(prevLogIndex)!,
    entries: last > prevLogIndex ? node.log.slice(next, last) : [],
    leaderCommit: node.commitIndex,
    round: node.round,
  })
}

/** Called by the follower of a leader whose message is current: remember it, and reset the election timer. */
export function heardFromLeader(node: RaftNode, from: NodeId): void {
  if (node.role !== 'follower' || node.leaderId !== from) node.becomeFollower(from)
  else node.resetElectionTimer()
  node.lastLeaderContactUs = node.ctx.now()
}

export function handleAppend(node: RaftNode, from: NodeId, msg: Append): void {
  if (msg.term < node.currentTerm) return replyAppend(node, from, msg, false, 0, 0, 0) // the stale leader learns our term and steps down
  heardFromLeader(node, from)
  const log = node.log
  let prev = msg.prevLogIndex
  let entries = msg.entries
  if (prev < log.offset) {
    // Entries we compacted away are committed, so they match the leader's: skip them.
    const skip = Math.min(entries.length, log.offset - prev)
    entries = entries.slice(skip)
    prev += skip
    if (prev < log.offset) return replyAppend(node, from, msg, true, prev)
  } else if (prev > log.lastIndex) {
    return replyAppend(node, from, msg, false, 0, 0, log.lastIndex + 1)
  } else {
    const term = log.termAt(prev)!
    if (term !== msg.prevLogTerm) return replyAppend(node, from, msg, false, 0, term, log.firstIndexOfTerm(term, prev))
  }
  mergeEntries(node, prev, entries)
  const lastNew = prev + entries.length
  node.sync() // the entries are durable before the leader may count us
  if (msg.leaderCommit > node.commitIndex) node.advanceCommitTo(Math.min(msg.leaderCommit, lastNew))
  replyAppend(node, from, msg, true, lastNew)
}

function replyAppend(node: RaftNode, to: NodeId, msg: Append, success: boolean, matchIndex: number, conflictTerm = 0, conflictIndex = 0): void {
  const rejectedIndex = success ? 0 : msg.prevLogIndex
  node.ctx.send(to, { type: 'AppendEntriesReply', term: node.currentTerm, success, matchIndex, conflictTerm, conflictIndex, rejectedIndex, round: msg.round })
}

/** Appends what is new; truncates only at a real conflict, so a stale, shorter message never drops entries. */
function mergeEntries(node: RaftNode, prev: number, entries: readonly Append['entries'][number][]): void {
  const log = node.log
  const i = log.matchingPrefix(prev, entries)
  if (i === entries.length) return
  // A correct leader never asks to overwrite a committed entry; a mutant may, and the invariants judge it.
  if (log.termAt(prev + 1 + i) !== undefined) log.truncateAfter(prev + i)
  log.append(i === 0 ? entries : entries.slice(i)) // storage copies the list it is given
}

export function handleAppendReply(node: RaftNode, from: NodeId, msg: AppendReply): void {
  if (!node.isLeader || msg.term !== node.currentTerm) return
  noteResponse(node, from, msg.round)
  if (msg.success) {
    settleInflight(node, from, msg.matchIndex, msg.round)
    acknowledge(node, from, msg.matchIndex)
  } else if (msg.rejectedIndex === node.nextIndex.get(from)! - 1) {
    // Only a rejection of what we are sending now counts: a stale or duplicated one (its index
    // is no longer nextIndex-1) is ignored, as etcd's MaybeDecrTo does.
    node.inflight.delete(from)
    node.nextIndex.set(from, Math.max(1, Math.min(backupTo(node, msg.conflictTerm, msg.conflictIndex), node.log.lastIndex + 1)))
    sendAppend(node, from)
  }
  node.requests.onAcknowledged()
}

/**
 * The batch in flight to a peer is settled by a reply that covers it, or by a reply to a later
 * round (a heartbeat sent after it was answered, so the batch was lost or overtaken).
 */
export function settleInflight(node: RaftNode, peer: NodeId, matchIndex: number, round: number): void {
  const f = node.inflight.get(peer)
  if (f !== undefined && (matchIndex >= f.last || round > f.round)) node.inflight.delete(peer)
}

/** Where the leader retries after a rejection: past its own last entry of the conflicting term, else the follower's first index of it. */
function backupTo(node: RaftNode, conflictTerm: number, conflictIndex: number): number {
  if (conflictTerm === 0) return conflictIndex
  const last = node.log.lastIndexOfTerm(conflictTerm)
  return last > 0 ? last + 1 : conflictIndex
}

/** A peer answered in this term: it counts for CheckQuorum, and for ReadIndex up to `round`. */
export function noteResponse(node: RaftNode, from: NodeId, round: number): void {
  node.recentlyActive.add(from)
  if (round > node.ackedRound.get(from)!) node.ackedRound.set(from, round)
}

/** A peer holds the leader's log up to `matchIndex`: count it, commit what a majority holds, and keep it fed. */
export function acknowledge(node: RaftNode, from: NodeId, matchIndex: number): void {
  if (matchIndex > node.matchIndex.get(from)!) node.matchIndex.set(from, matchIndex)
  if (matchIndex + 1 > node.nextIndex.get(from)!) node.nextIndex.set(from, matchIndex + 1)
  advanceLeaderCommit(node)
  // Keep a lagging follower fed, unless entries are already on their way to it.
  if (node.nextIndex.get(from)! <= node.log.lastIndex && !node.inflight.has(from)) sendAppend(node, from)
}

/** The highest index a majority holds (the leader counts its own log); committed only if it is of the current term. */
export function advanceLeaderCommit(node: RaftNode): void {
  const n = quorumValue(node, node.log.lastIndex, node.matchIndex)
  if (n <= node.commitIndex) return
  // Figure 8: counting replicas commits only entries of the leader's own term; older ones commit with them.
  if (node.mutant !== 'commit-previous-term' && node.log.termAt(n) !== node.currentTerm) return
  node.advanceCommitTo(n)
}

const scratch: number[] = []

/** The majority-th highest of the leader's own value and its peers' (the value a majority has reached). */
export function quorumValue(node: RaftNode, own: number, peers: ReadonlyMap<NodeId, number>): number {
  scratch.length = 0
  scratch.push(own)
  for (const p of node.peers) scratch.push(peers.get(p)!)
  // Insertion sort, descending: clusters are small, and this runs on every acknowledgement.
  for (let i = 1; i < scratch.length; i++) {
    const x = scratch[i]!
    let j = i - 1
    while (j >= 0 && scratch[j]! < x) scratch[j + 1] = scratch[j--]!
    scratch[j + 1] = x
  }
  return scratch[node.majority - 1]!
}
