/**
 * A Raft node: persistent state (currentTerm, votedFor, the log), volatile state (commit and
 * applied index, the leader's nextIndex/matchIndex), the role transitions and the timers.
 * The rules themselves live beside it: election.ts (votes, PreVote), replication.ts
 * (AppendEntries, commit), snapshot.ts (compaction, InstallSnapshot), requests.ts (clients,
 * ReadIndex). The public read-only accessors are the harness-facing API (README.md).
 */
import type { ClientRequest, NodeCommand, NodeContext, NodeHandlers, NodeId, NodeView } from '../../sim/protocol.ts'
import { deepFreezeShared } from '../../sim/freeze.ts'
import { US_PER_MS } from '../../sim/time.ts'
import type { RaftConfig } from './config.ts'
import { handlePreVoteReply, handleVoteReply, handleVoteRequest, onElectionTimeout, stepsUpOnHigherTerm } from './election.ts'
import { KvStore } from './kv.ts'
import { RaftLog } from './log.ts'
import { assertJsonValue, isKvCommand, type Command, type Entry, type RaftMsg } from './messages.ts'
import { broadcastAppend, handleAppend, handleAppendReply, replicateNew } from './replication.ts'
import { ClientRequests } from './requests.ts'
import { handleInstallSnapshot, handleInstallSnapshotReply, maybeSnapshot } from './snapshot.ts'
import { raftView } from './view.ts'

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader'

interface HardState {
  term: number
  votedFor: NodeId | null
}

/** How many applied commands `applied` keeps for a harness to read. */
export const APPLIED_KEPT = 1000

export class RaftNode implements NodeHandlers<RaftMsg> {
  role: Role = 'follower'
  currentTerm = 0
  votedFor: NodeId | null = null
  leaderId: NodeId | null = null
  readonly log: RaftLog
  commitIndex: number
  lastApplied: number
  readonly kv = new KvStore()
  /** The last APPLIED_KEPT applied entries, oldest first (a harness's apply channel). */
  readonly applied: Array<{ index: number; command: Command }> = []
  /** The outcome of the latest `start` command (6.5840's Start(): index, term, isLeader). */
  lastStart: { index: number; term: number; isLeader: boolean } | null = null

  // Election state.
  votes = new Set<NodeId>()
  electionDeadlineUs = 0
  lastLeaderContactUs = Number.NEGATIVE_INFINITY
  private electionArmed = false
  private heartbeatArmed = false
  private quorumCheckArmed = false

  // Leader state (volatile, reset at each election).
  readonly nextIndex = new Map<NodeId, number>()
  readonly matchIndex = new Map<NodeId, number>()
  /**
   * Per peer, the entries (or snapshot) sent and not yet answered: the last index and the round
   * they went out in. Such a peer gets no more entries until it answers, only bare heartbeats
   * (etcd's probe state), so a slow or dead follower is not sent the same batch every heartbeat,
   * and duplicated replies cannot multiply the messages in flight.
   */
  readonly inflight = new Map<NodeId, { last: number; round: number }>()
  /** When each peer was last sent a snapshot (local us), so a slow or dead one is not flooded with them. */
  readonly snapshotSentUs = new Map<NodeId, number>()
  /** Peers heard from since the last CheckQuorum round. */
  readonly recentlyActive = new Set<NodeId>()
  /** Broadcast rounds: an AppendEntries carries the round, its reply acknowledges it (ReadIndex). */
  round = 0
  readonly ackedRound = new Map<NodeId, number>()
  readonly requests: ClientRequests

  readonly peers: readonly NodeId[]
  readonly majority: number

  constructor(
    readonly ctx: NodeContext<RaftMsg>,
    readonly config: RaftConfig,
    readonly mutant: string | null,
  ) {
    this.peers = ctx.nodes.filter((id) => id !== ctx.id)
    this.majority = Math.floor(ctx.nodes.length / 2) + 1
    const hard = ctx.storage.get<HardState>('hard')
    if (hard) {
      this.currentTerm = hard.term
      this.votedFor = hard.votedFor
    }
    this.log = new RaftLog(ctx.storage, mutant !== 'forget-log')
    if (this.log.snapshotState) this.kv.restore(this.log.snapshotState)
    this.commitIndex = this.lastApplied = this.log.snapshotIndex
    this.requests = new ClientRequests(this)
  }

  get id(): NodeId {
    return this.ctx.id
  }

  get isLeader(): boolean {
    return this.role === 'leader'
  }

  /** Log entries still held (after the snapshot), with their indexes. */
  entries(): Array<{ index: number; term: number; command: Command }> {
    const from = this.log.offset + 1
    return this.log.slice(from, this.log.lastIndex).map((e, i) => ({ index: from + i, term: e.term, command: e.command }))
  }

  onStart(): void {
    this.armElectionTimer()
  }

  onMessage(from: NodeId, msg: RaftMsg): void {
    if (msg.term > this.currentTerm && !stepsUpOnHigherTerm(this, from, msg)) return
    switch (msg.type) {
      case 'PreVote':
      case 'RequestVote':
        return handleVoteRequest(this, from, msg)
      case 'PreVoteReply':
        return handlePreVoteReply(this, from, msg)
      case 'RequestVoteReply':
        return handleVoteReply(this, from, msg)
      case 'AppendEntries':
        return handleAppend(this, from, msg)
      case 'AppendEntriesReply':
        return handleAppendReply(this, from, msg)
      case 'InstallSnapshot':
        return handleInstallSnapshot(this, from, msg)
      case 'InstallSnapshotReply':
        return handleInstallSnapshotReply(this, from, msg)
    }
  }

  onTimer(name: string): void {
    if (name === 'election') return this.onElectionTimer()
    if (name === 'heartbeat') return this.onHeartbeatTimer()
    if (name === 'check-quorum') return this.onQuorumCheckTimer()
  }

  onClientRequest(request: ClientRequest): void {
    this.requests.onRequest(request)
  }

  /** `{type: 'start', command}`: propose `command` if leader (the harness's Start()). */
  onCommand(command: NodeCommand): void {
    if (command.type !== 'start') throw new Error(`raft: unknown command '${command.type}' (commands: start)`)
    this.lastStart = this.isLeader
      ? { index: this.propose(command.command ?? null), term: this.currentTerm, isLeader: true }
      : { index: -1, term: this.currentTerm, isLeader: false }
  }

  view(): NodeView {
    return raftView(this)
  }

  // ---- persistence -----------------------------------------------------------------

  /** currentTerm and votedFor reach the disk (synced) before any message that depends on them. */
  persistHardState(): void {
    const votedFor = this.mutant === 'forget-voted-for' ? null : this.votedFor
    this.ctx.storage.put('hard', Object.freeze({ term: this.currentTerm, votedFor } satisfies HardState)) // frozen: stored without a copy
    this.sync()
  }

  sync(): void {
    if (this.mutant !== 'skip-sync') this.ctx.storage.sync()
  }

  // ---- role transitions ----------------------------------------------------------------

  /** Adopts a newer term (figure 2, "all servers"): forget the vote, become a follower. */
  adoptTerm(term: number, leader: NodeId | null): void {
    const wasLeader = this.isLeader
    this.currentTerm = term
    this.votedFor = null
    this.persistHardState()
    if (wasLeader && this.mutant === 'no-step-down') return
    this.becomeFollower(leader)
  }

  becomeFollower(leader: NodeId | null): void {
    if (this.isLeader) this.ctx.note('stepped down', { term: this.currentTerm })
    const wasLeader = this.isLeader
    this.role = 'follower'
    this.leaderId = leader
    this.votes.clear()
    if (wasLeader) this.requests.abandonAll()
    this.resetElectionTimer()
  }

  becomeLeader(): void {
    this.role = 'leader'
    this.leaderId = this.id
    this.ctx.note('became leader', { term: this.currentTerm })
    for (const p of this.peers) {
      this.nextIndex.set(p, this.log.lastIndex + 1)
      this.matchIndex.set(p, 0)
      this.ackedRound.set(p, 0)
      this.snapshotSentUs.delete(p)
    }
    this.recentlyActive.clear()
    this.inflight.clear()
    // The no-op (section 8): commits the previous terms' entries and lets ReadIndex start.
    this.propose(null)
    this.armHeartbeatTimer()
    if (this.config.checkQuorum) this.armQuorumCheckTimer()
  }

  /**
   * Appends a command to the leader's log (synced), sends it out; returns its index. The entry
   * is frozen and marked so (deepFreezeShared): storage keeps it without a copy, and neither
   * the sends that carry it nor the stores that keep it walk its contents again.
   */
  propose(command: Command): number {
    assertJsonValue(command) // a real log holds bytes: a command JSON cannot hold fails here, in the proposer, before the log takes it
    const entry: Entry = deepFreezeShared({ term: this.currentTerm, command })
    this.log.append([entry])
    this.sync()
    replicateNew(this)
    if (this.majority === 1) this.advanceCommitTo(this.log.lastIndex)
    return this.log.lastIndex
  }

  // ---- commit and apply ----------------------------------------------------------------

  advanceCommitTo(index: number): void {
    if (index <= this.commitIndex) return
    this.commitIndex = Math.min(index, this.log.lastIndex)
    this.ctx.note('commit advanced', { commitIndex: this.commitIndex })
    this.applyCommitted()
    if (this.isLeader) this.requests.onCommit()
  }

  private applyCommitted(): void {
    while (this.lastApplied < this.commitIndex) {
      const index = ++this.lastApplied
      const command = this.log.entry(index)!.command
      const result = isKvCommand(command) ? this.kv.apply(command) : null
      this.recordApplied(index, command)
      if (this.isLeader) this.requests.onApplied(index, result)
    }
    maybeSnapshot(this)
  }

  recordApplied(index: number, command: Command): void {
    this.applied.push({ index, command })
    // Trim in halves: amortised O(1) per entry.
    if (this.applied.length > 2 * APPLIED_KEPT) this.applied.splice(0, this.applied.length - APPLIED_KEPT)
  }

  // ---- timers (lazy: one pending timer each, re-armed when it fires early) -----------------

  /** A fresh randomized timeout, counted from now (on a valid leader message, a granted vote, an election). */
  resetElectionTimer(): void {
    const { electionTimeoutMinMs: lo, electionTimeoutMaxMs: hi } = this.config
    this.electionDeadlineUs = this.ctx.now() + Math.round((lo + (hi - lo) * this.ctx.random()) * US_PER_MS)
    this.armElectionTimer()
  }

  private armElectionTimer(): void {
    if (this.electionDeadlineUs === 0) return this.resetElectionTimer()
    if (this.electionArmed) return
    this.electionArmed = true
    this.ctx.setTimer('election', Math.max(0, this.electionDeadlineUs - this.ctx.now()))
  }

  private onElectionTimer(): void {
    this.electionArmed = false
    if (this.isLeader) return
    if (this.ctx.now() < this.electionDeadlineUs) return this.armElectionTimer()
    onElectionTimeout(this)
  }

  private armHeartbeatTimer(): void {
    if (this.heartbeatArmed) return
    this.heartbeatArmed = true
    this.ctx.setTimer('heartbeat', this.config.heartbeatMs * US_PER_MS)
  }

  private onHeartbeatTimer(): void {
    this.heartbeatArmed = false
    if (!this.isLeader) return
    broadcastAppend(this)
    this.armHeartbeatTimer()
  }

  private armQuorumCheckTimer(): void {
    if (this.quorumCheckArmed) return
    this.quorumCheckArmed = true
    this.ctx.setTimer('check-quorum', this.config.electionTimeoutMinMs * US_PER_MS)
  }

  /** CheckQuorum (dissertation 6.2): a leader that has not heard from a majority for an election timeout steps down. */
  private onQuorumCheckTimer(): void {
    this.quorumCheckArmed = false
    if (!this.isLeader || !this.config.checkQuorum) return
    const active = this.recentlyActive.size + 1
    this.recentlyActive.clear()
    if (active < this.majority) {
      this.ctx.note('check-quorum failed', { active, term: this.currentTerm })
      this.becomeFollower(null)
      return
    }
    this.armQuorumCheckTimer()
  }
}
