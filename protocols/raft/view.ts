/**
 * What a Raft node shows the trace and the viewer. The log is shown as the term of each of
 * its last VIEW_TERMS entries (logFrom is the index of the first one shown): enough to see
 * divergence and repair without copying whole logs after every event.
 */
import type { NodeView } from '../../sim/protocol.ts'
import type { RaftNode } from './node.ts'

export const VIEW_TERMS = 50

export function raftView(node: RaftNode): NodeView {
  const { log } = node
  const logFrom = Math.max(log.offset + 1, log.lastIndex - VIEW_TERMS + 1)
  const view: NodeView = {
    role: node.role,
    leads: node.isLeader,
    term: node.currentTerm,
    votedFor: node.votedFor,
    leader: node.leaderId,
    logFrom,
    logTerms: log.slice(logFrom, log.lastIndex).map((e) => e.term),
    lastIndex: log.lastIndex,
    commitIndex: node.commitIndex,
    lastApplied: node.lastApplied,
    snapshotIndex: log.snapshotIndex,
  }
  if (node.isLeader) {
    view.nextIndex = Object.fromEntries(node.nextIndex)
    view.matchIndex = Object.fromEntries(node.matchIndex)
  }
  return view
}
