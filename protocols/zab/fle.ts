/**
 * Fast Leader Election (FastLeaderElection.lookForLeader and its WorkerReceiver), as an
 * event-driven state machine: ZooKeeper's loop blocks on a queue with a timeout; here each
 * notification is a call and each timeout a timer.
 */
import type { Notification, ServerState } from './messages.ts'
import { betterBy, hasQuorumFor, totalOrderPredicate, type Vote } from './vote.ts'
import type { Zxid } from './zxid.ts'

/** What the election needs from its server: sending, timers, notes and its own state. */
export interface ElectionHost {
  readonly sid: number
  readonly voters: number
  /** The sids of every other voter. */
  readonly peers: readonly number[]
  lastLoggedZxid(): Zxid
  currentEpoch(): number
  send(toSid: number, n: Notification): void
  setTimer(name: 'fle-timeout' | 'fle-finalize', afterMs: number): number
  cancelTimer(id: number): void
  note(kind: string, data: Record<string, unknown>): void
  /** The election is over: lead (leader === own sid) or follow `leader`. */
  decided(vote: Vote, state: ServerState): void
}

export interface ElectionSettings {
  finalizeWaitMs: number
  maxNotificationIntervalMs: number
  byIdOnly: boolean
}

export class Election {
  /** The election round. In memory only, as in ZooKeeper: a restarted server starts again at 1. */
  logicalclock = 0
  proposal = { leader: 0, zxid: 0, peerEpoch: 0 }
  /** Votes of this round, by sender sid. */
  private readonly recvset = new Map<number, Vote>()
  /** Votes of servers that already follow or lead, whatever their round. */
  private readonly outofelection = new Map<number, Vote>()
  private notTimeoutMs: number
  private timeoutTimer: number | null = null
  private finalizeTimer: number | null = null
  active = false

  constructor(
    private readonly host: ElectionHost,
    private readonly settings: ElectionSettings,
  ) {
    this.notTimeoutMs = settings.finalizeWaitMs
  }

  /** lookForLeader: a new round, voting for ourselves first. */
  start(): void {
    this.active = true
    this.logicalclock++
    this.recvset.clear()
    this.outofelection.clear()
    this.notTimeoutMs = this.settings.finalizeWaitMs
    this.proposal = { leader: this.host.sid, zxid: this.host.lastLoggedZxid(), peerEpoch: this.host.currentEpoch() }
    this.host.note('election-start', { round: this.logicalclock, vote: { ...this.proposal } })
    this.sendNotifications()
    this.restartTimeout()
    this.checkQuorum() // our own vote may be a quorum already (a one-server ensemble)
  }

  stop(): void {
    this.active = false
    this.cancelTimers()
  }

  /** Our current vote as a LOOKING server tells it to others. */
  currentNotification(): Omit<Notification, 'type' | 'sid'> {
    return { ...this.proposal, electionEpoch: this.logicalclock, state: 'LOOKING' }
  }

  /**
   * WorkerReceiver: every notification arrives here. A LOOKING server answers a straggler
   * from an older round with its own vote; a server that follows or leads answers any
   * LOOKING server with the vote it decided on, which is how a restarted server learns who leads.
   */
  deliver(n: Notification, state: ServerState, decidedVote: Vote | null): void {
    if (state === 'LOOKING') {
      if (n.state === 'LOOKING' && n.electionEpoch < this.logicalclock) this.host.send(n.sid, { type: 'NOTIFICATION', ...this.currentNotification(), sid: this.host.sid })
      return this.receive(n)
    }
    if (n.state !== 'LOOKING' || decidedVote === null) return
    const v = decidedVote
    this.host.send(n.sid, { type: 'NOTIFICATION', leader: v.leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch, state, sid: this.host.sid })
  }

  /** The main loop's handling of one notification from a voter, while we are LOOKING. */
  receive(n: Notification): void {
    if (!this.active) return
    if (this.finalizeTimer !== null) {
      // Finalize wait: only a better vote reopens the round; others are dropped, as in ZooKeeper.
      if (!totalOrderPredicate(n, this.proposal, this.settings.byIdOnly)) return
      this.host.cancelTimer(this.finalizeTimer)
      this.finalizeTimer = null
    }
    this.restartTimeout()
    if (n.state === 'LOOKING') this.receiveLooking(n)
    else this.receiveDecided(n)
  }

  onTimer(name: string): void {
    if (!this.active) return
    if (name === 'fle-timeout') {
      this.timeoutTimer = null
      // Nobody spoke for a whole timeout: say our vote again, and wait twice as long next time.
      this.sendNotifications()
      this.notTimeoutMs = Math.min(this.notTimeoutMs * 2, this.settings.maxNotificationIntervalMs)
      this.restartTimeout()
    } else if (name === 'fle-finalize') {
      this.finalizeTimer = null
      this.decide({ ...this.proposal, electionEpoch: this.logicalclock, state: 'LOOKING' })
    }
  }

  private receiveLooking(n: Notification): void {
    if (n.electionEpoch > this.logicalclock) {
      this.logicalclock = n.electionEpoch
      this.recvset.clear()
      const mine = { leader: this.host.sid, zxid: this.host.lastLoggedZxid(), peerEpoch: this.host.currentEpoch() }
      // A later round: the sender's vote against our own (not against last round's choice).
      const edge = betterBy(n, mine, this.settings.byIdOnly)
      this.updateProposal(edge ? n : mine, n.sid, edge ?? 'new-round')
      this.sendNotifications()
    } else if (n.electionEpoch < this.logicalclock) {
      return // an old round: the receiver already answered it with our vote
    } else {
      const edge = betterBy(n, this.proposal, this.settings.byIdOnly)
      if (edge) {
        this.updateProposal(n, n.sid, edge)
        this.sendNotifications()
      }
    }
    this.recvset.set(n.sid, { leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state: 'LOOKING' })
    this.checkQuorum()
  }

  /** A quorum of this round's votes equals ours: wait finalizeWait for a better one, then decide. */
  private checkQuorum(): void {
    const target: Vote = { ...this.proposal, electionEpoch: this.logicalclock, state: 'LOOKING' }
    if (this.finalizeTimer !== null || !hasQuorumFor(this.recvset, target, this.host.voters)) return
    this.host.note('quorum-agrees', { leader: target.leader, round: this.logicalclock, finalizeWaitMs: this.settings.finalizeWaitMs })
    this.finalizeTimer = this.host.setTimer('fle-finalize', this.settings.finalizeWaitMs)
  }

  /** A notification from a server that already follows or leads (how a restarted server rejoins). */
  private receiveDecided(n: Notification): void {
    const vote: Vote = { leader: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state: n.state }
    if (n.electionEpoch === this.logicalclock) {
      this.recvset.set(n.sid, vote)
      if (hasQuorumFor(this.recvset, vote, this.host.voters) && this.checkLeader(this.recvset, n.leader, n.electionEpoch)) return this.decide(vote)
    }
    this.outofelection.set(n.sid, vote)
    if (hasQuorumFor(this.outofelection, vote, this.host.voters) && this.checkLeader(this.outofelection, n.leader, n.electionEpoch)) {
      this.logicalclock = n.electionEpoch
      this.decide(vote)
    }
  }

  /** Trust a leader only if it says itself that it leads (or it is us, in this very round). */
  private checkLeader(votes: ReadonlyMap<number, Vote>, leader: number, electionEpoch: number): boolean {
    if (leader !== this.host.sid) return votes.get(leader)?.state === 'LEADING'
    return this.logicalclock === electionEpoch
  }

  /**
   * `because` says why, for the trace: the field by which the adopted vote beats the one it is
   * compared with (peerEpoch, zxid or sid), or new-round when a later round sends us back to our own.
   */
  private updateProposal(v: { leader: number; zxid: Zxid; peerEpoch: number }, fromSid: number, because: string): void {
    const was = this.proposal
    const changed = v.leader !== was.leader || v.zxid !== was.zxid || v.peerEpoch !== was.peerEpoch
    this.proposal = { leader: v.leader, zxid: v.zxid, peerEpoch: v.peerEpoch }
    if (changed) this.host.note('vote-changed', { round: this.logicalclock, leader: v.leader, zxid: v.zxid, peerEpoch: v.peerEpoch, heardFrom: fromSid, because, was: was.leader })
  }

  private sendNotifications(): void {
    const n: Notification = { type: 'NOTIFICATION', ...this.proposal, electionEpoch: this.logicalclock, state: 'LOOKING', sid: this.host.sid }
    // ZooKeeper sends to itself too; its own notification lands in recvset like any other.
    this.recvset.set(this.host.sid, { ...this.proposal, electionEpoch: this.logicalclock, state: 'LOOKING' })
    for (const peer of this.host.peers) this.host.send(peer, n)
    this.host.note('notifications-sent', { round: this.logicalclock, leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch })
  }

  private decide(vote: Vote): void {
    this.stop()
    const state = vote.leader === this.host.sid ? 'LEADING' : 'FOLLOWING'
    this.host.note('decided-leader', { leader: vote.leader, round: this.logicalclock, zxid: vote.zxid, peerEpoch: vote.peerEpoch, state })
    this.host.decided({ ...vote, electionEpoch: this.logicalclock }, state)
  }

  private restartTimeout(): void {
    if (this.timeoutTimer !== null) this.host.cancelTimer(this.timeoutTimer)
    this.timeoutTimer = this.host.setTimer('fle-timeout', this.notTimeoutMs)
  }

  private cancelTimers(): void {
    if (this.timeoutTimer !== null) this.host.cancelTimer(this.timeoutTimer)
    if (this.finalizeTimer !== null) this.host.cancelTimer(this.finalizeTimer)
    this.timeoutTimer = null
    this.finalizeTimer = null
  }
}
