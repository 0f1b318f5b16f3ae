/**
 * Leader election (paper 5.2, 5.4.1), PreVote (dissertation 9.6) and the CheckQuorum vote
 * lease (dissertation 6.2, etcd's `inLease`). Timers reset only on starting an election,
 * granting a vote, and a valid message from the current leader (replication.ts).
 */
import type { NodeId } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import type { RaftMsg } from './messages.ts'
import type { RaftNode } from './node.ts'

type VoteRequest = Extract<RaftMsg, { type: 'PreVote' | 'RequestVote' }>
type VoteReply = Extract<RaftMsg, { type: 'PreVoteReply' | 'RequestVoteReply' }>

export function onElectionTimeout(node: RaftNode): void {
  if (node.config.preVote) startPreVote(node)
  else startElection(node)
}

/** Asks for votes for term+1 without bumping our own term: a node that cannot win disrupts nobody. */
function startPreVote(node: RaftNode): void {
  node.role = 'precandidate'
  node.leaderId = null
  node.votes = new Set([node.id])
  node.resetElectionTimer()
  node.ctx.note('pre-vote', { term: node.currentTerm + 1 })
  if (node.votes.size >= node.majority) return startElection(node)
  requestVotes(node, 'PreVote', node.currentTerm + 1)
}

export function startElection(node: RaftNode): void {
  node.currentTerm++
  node.votedFor = node.id
  node.persistHardState()
  node.role = 'candidate'
  node.leaderId = null
  node.votes = new Set([node.id])
  node.resetElectionTimer()
  node.ctx.note('election started', { term: node.currentTerm })
  if (node.votes.size >= node.majority) return node.becomeLeader()
  requestVotes(node, 'RequestVote', node.currentTerm)
}

function requestVotes(node: RaftNode, type: 'PreVote' | 'RequestVote', term: number): void {
  const msg = { type, term, lastLogIndex: node.log.lastIndex, lastLogTerm: node.log.lastTerm } as const
  for (const p of node.peers) node.ctx.send(p, msg)
}

/** True while this node believes a leader is alive: it heard from one within the minimum election timeout. */
function inLease(node: RaftNode): boolean {
  if (!node.config.checkQuorum || node.leaderId === null) return false
  if (node.isLeader) return true
  return node.ctx.now() - node.lastLeaderContactUs < node.config.electionTimeoutMinMs * US_PER_MS
}

/**
 * A message with a higher term. Returns whether to go on handling it. A vote request inside
 * the lease is ignored outright (it must not bump our term); a PreVote never bumps it; a
 * granted PreVote reply carries the future term and bumps nothing either.
 */
export function stepsUpOnHigherTerm(node: RaftNode, from: NodeId, msg: RaftMsg): boolean {
  if (msg.type === 'PreVote' || msg.type === 'RequestVote') {
    if (inLease(node)) return false
    if (msg.type === 'PreVote') return true
  }
  if (msg.type === 'PreVoteReply' && msg.granted) return true
  const fromLeader = msg.type === 'AppendEntries' || msg.type === 'InstallSnapshot'
  node.adoptTerm(msg.term, fromLeader ? from : null)
  return true
}

/** The vote rule (5.4.1): the candidate's log is at least as up-to-date: last term, then length. */
export function logUpToDate(node: RaftNode, lastLogTerm: number, lastLogIndex: number): boolean {
  if (node.mutant === 'vote-without-log-check') return true
  const myTerm = node.log.lastTerm
  return lastLogTerm > myTerm || (lastLogTerm === myTerm && lastLogIndex >= node.log.lastIndex)
}

export function handleVoteRequest(node: RaftNode, from: NodeId, msg: VoteRequest): void {
  const upToDate = logUpToDate(node, msg.lastLogTerm, msg.lastLogIndex)
  if (msg.type === 'PreVote') {
    // Granting a pre-vote changes nothing here: no term, no votedFor, no timer reset.
    const granted = msg.term > node.currentTerm && upToDate && !inLease(node)
    node.ctx.send(from, { type: 'PreVoteReply', term: granted ? msg.term : node.currentTerm, granted })
    return
  }
  const granted = msg.term === node.currentTerm && (node.votedFor === null || node.votedFor === from) && upToDate
  if (granted) {
    node.votedFor = from
    node.persistHardState() // synced before the reply leaves
    node.resetElectionTimer()
    node.ctx.note('vote granted', { to: from, term: node.currentTerm })
  }
  node.ctx.send(from, { type: 'RequestVoteReply', term: node.currentTerm, granted })
}

export function handlePreVoteReply(node: RaftNode, from: NodeId, msg: VoteReply): void {
  if (node.role !== 'precandidate' || !msg.granted || msg.term !== node.currentTerm + 1) return
  node.votes.add(from)
  if (node.votes.size >= node.majority) startElection(node)
}

export function handleVoteReply(node: RaftNode, from: NodeId, msg: VoteReply): void {
  if (node.role !== 'candidate' || !msg.granted || msg.term !== node.currentTerm) return
  node.votes.add(from)
  if (node.votes.size >= node.majority) node.becomeLeader()
}
