/**
 * The leading server (ZooKeeper's Leader.lead and its LearnerHandlers): discovery (a new
 * epoch from a quorum's acceptedEpochs, acknowledged by a quorum), synchronisation (DIFF,
 * TRUNC or SNAP, then NEWLEADER acknowledged by a quorum), then broadcast (PROPOSAL, ACK,
 * COMMIT in zxid order). It steps down when a quorum of synced followers goes quiet.
 */
import type { ClientOp, NodeId } from '../../sim/protocol.ts'
import type { ServerCore } from './core.ts'
import { LearnerHandler } from './handler.ts'
import type { PeerBody, PeerFrame, Txn } from './messages.ts'
import { planSync } from './sync-plan.ts'
import { isQuorum } from './vote.ts'
import { formatZxid, makeZxid, type Zxid } from './zxid.ts'

type LeaderPhase = 'discovery' | 'epoch-ack' | 'sync' | 'broadcast'

export class Leader {
  phase: LeaderPhase = 'discovery'
  /** The epoch this leader proposes; decided once a quorum has connected. */
  epoch = 0
  readonly handlers = new Map<number, LearnerHandler>()
  /** Every transaction this leader proposed, in order (the invariants read it). */
  readonly proposed: Txn[] = []
  established = false
  private counter = 0
  private readonly connecting = new Map<number, number>()
  private readonly electing = new Set<number>()
  /** Client writes proposed and not yet committed, by client/seq: a retry is not proposed twice. */
  private readonly inflight = new Map<string, Zxid>()
  private readonly pendingSyncs: Array<{ id: number; originSid: number; round: number; zxid: Zxid }> = []
  /** (currentEpoch, lastZxid) when leading began: a learner more recent than this may not follow. */
  private readonly summary: { currentEpoch: number; lastZxid: Zxid }
  private tick = 0
  private halfTick = false
  private deadlineTick: number
  private pingRound = 0
  private timer: number
  private active = true

  constructor(private readonly core: ServerCore) {
    this.summary = { currentEpoch: core.store.currentEpoch, lastZxid: core.store.lastZxid() }
    this.deadlineTick = core.config.initLimit
    this.connecting.set(core.sid, core.store.acceptedEpoch)
    this.timer = core.ctx.setTimer('leader-tick', core.tickUs() / 2)
    this.tryDecideEpoch()
  }

  onFrame(from: NodeId, frame: PeerFrame): void {
    const sid = this.core.sidOf(from)
    let h = this.handlers.get(sid)
    if (!h || h.channel.conn !== frame.conn) {
      // A new connection opens with FOLLOWERINFO; anything else belongs to a closed one.
      if (frame.seq !== 1 || frame.body?.type !== 'FOLLOWERINFO') return
      h = new LearnerHandler(sid, from, frame.conn, (to, f) => this.core.ctx.send(to, f), this.tick)
      this.handlers.set(sid, h)
    }
    h.lastHeardTick = this.tick
    for (const body of h.channel.receive(frame)) {
      if (!this.active || this.handlers.get(sid) !== h) return
      this.onPacket(h, body)
    }
    if (this.active) h.channel.flushAck()
  }

  onTimer(): void {
    if (!this.active) return
    this.timer = this.core.ctx.setTimer('leader-tick', this.core.tickUs() / 2)
    this.broadcastPing()
    for (const h of this.handlers.values()) h.channel.retransmit()
    this.halfTick = !this.halfTick
    if (this.halfTick) return
    this.tick++
    this.dropSilentLearners()
    if (this.phase !== 'broadcast') {
      if (this.tick > this.deadlineTick) this.core.backToLooking(`no quorum within initLimit in ${this.phase}`)
      return
    }
    const synced = 1 + [...this.handlers.values()].filter((h) => h.inQuorum && this.tick - h.lastHeardTick <= this.core.config.syncLimit).length
    if (!isQuorum(synced, this.core.voters)) this.core.backToLooking(`step-down: only ${synced} of ${this.core.voters} servers synced within syncLimit`)
  }

  /** A client write reaching the leader, directly or forwarded. */
  propose(client: string, seq: number, op: ClientOp): void {
    if (this.phase !== 'broadcast') return
    const key = `${client}/${seq}`
    const session = this.core.tree.session(client)
    if ((session !== undefined && session.seq >= seq) || this.inflight.has(key)) return
    const txn: Txn = { zxid: makeZxid(this.epoch, ++this.counter), client, seq, op }
    this.core.store.append([txn])
    this.proposed.push(txn)
    this.inflight.set(key, txn.zxid)
    for (const h of this.handlers.values()) if (h.forwarding) h.send({ type: 'PROPOSAL', txn })
    this.tryCommit()
  }

  /** sync-get: answer once a quorum has heard a ping sent after now and our proposals so far are committed. */
  requestSync(id: number, originSid: number): void {
    const round = ++this.pingRound
    this.pendingSyncs.push({ id, originSid, round, zxid: this.core.store.lastZxid() })
    this.broadcastPing(round)
    this.checkSyncs()
  }

  shutdown(): void {
    if (!this.active) return
    this.active = false
    this.core.ctx.cancelTimer(this.timer)
    for (const h of this.handlers.values()) h.send({ type: 'CLOSE', reason: 'leader shutting down' })
  }

  private onPacket(h: LearnerHandler, body: PeerBody): void {
    switch (body.type) {
      case 'FOLLOWERINFO':
        h.acceptedEpoch = body.acceptedEpoch
        if (this.phase === 'discovery') {
          this.connecting.set(h.sid, body.acceptedEpoch)
          return this.tryDecideEpoch()
        }
        h.phase = 'epoch'
        return h.send({ type: 'LEADERINFO', newEpoch: this.epoch })
      case 'ACKEPOCH':
        return this.onAckEpoch(h, body.currentEpoch, body.lastZxid)
      case 'ACK':
        return this.onAck(h, body.zxid)
      case 'PING':
        h.pingRound = Math.max(h.pingRound, body.round)
        return this.checkSyncs()
      case 'REQUEST':
        return this.propose(body.client, body.seq, body.op)
      case 'SYNCREQ':
        return this.requestSync(body.id, h.sid)
      default:
        return // packets a leader never receives
    }
  }

  /** getEpochToPropose: once a quorum (us included) has connected, the epoch is max(acceptedEpoch) + 1. */
  private tryDecideEpoch(): void {
    if (!isQuorum(this.connecting.size, this.core.voters)) return
    this.epoch = Math.max(...this.connecting.values()) + 1
    this.core.store.setAcceptedEpoch(this.epoch)
    this.phase = 'epoch-ack'
    this.deadlineTick = this.tick + this.core.config.initLimit
    this.core.ctx.note('epoch-proposed', { epoch: this.epoch, from: [...this.connecting.keys()].sort((a, b) => a - b) })
    this.electing.add(this.core.sid)
    for (const h of this.handlers.values()) {
      if (h.phase !== 'info') continue
      h.phase = 'epoch'
      h.send({ type: 'LEADERINFO', newEpoch: this.epoch })
    }
    this.tryFinishEpochAck() // a one-server ensemble is its own quorum
  }

  /** waitForEpochAck: a learner with a more recent history than ours may not follow us. */
  private onAckEpoch(h: LearnerHandler, currentEpoch: number, lastZxid: Zxid): void {
    h.ackedCurrentEpoch = currentEpoch
    h.peerLastZxid = lastZxid
    h.phase = 'acked'
    // As in ZooKeeper, only while the epoch is being acknowledged: a late joiner is synced (TRUNC if need be).
    const ahead = currentEpoch > this.summary.currentEpoch || (currentEpoch === this.summary.currentEpoch && lastZxid > this.summary.lastZxid)
    if (this.phase === 'epoch-ack' && currentEpoch !== -1 && ahead && this.core.mutant !== 'elect-by-id') {
      this.core.ctx.note('learner-ahead', { learner: h.node, currentEpoch, lastZxid: formatZxid(lastZxid), ours: formatZxid(this.summary.lastZxid) })
      h.send({ type: 'CLOSE', reason: 'follower is ahead of the leader' })
      this.handlers.delete(h.sid)
      return
    }
    if (currentEpoch !== -1) this.electing.add(h.sid)
    if (this.phase === 'epoch-ack') return this.tryFinishEpochAck()
    if (this.phase === 'sync' || this.phase === 'broadcast') this.syncLearner(h)
  }

  /** A quorum (us included) acknowledged the epoch: it becomes our currentEpoch, and learners are synced. */
  private tryFinishEpochAck(): void {
    if (!isQuorum(this.electing.size, this.core.voters)) return
    this.core.store.setCurrentEpoch(this.epoch)
    this.phase = 'sync'
    this.deadlineTick = this.tick + this.core.config.initLimit
    for (const other of this.handlers.values()) if (other.phase === 'acked') this.syncLearner(other)
    this.tryEstablish()
  }

  /** syncFollower, then NEWLEADER: from here on the learner receives every proposal, in order. */
  private syncLearner(h: LearnerHandler): void {
    const { store, tree } = this.core
    const plan = planSync({ history: store.history, baseZxid: store.snapshot.zxid, commitLogCount: this.core.config.commitLogCount }, h.peerLastZxid)
    const snapshot = plan.mode === 'SNAP' ? tree.toSnapshot() : null
    const txns = snapshot ? store.history.slice(store.countUpTo(snapshot.zxid)) : store.history.slice(plan.fromIndex)
    h.send({ type: 'SYNC', mode: plan.mode, truncZxid: plan.truncZxid, snapshot, txns })
    h.send({ type: 'NEWLEADER', epoch: this.epoch })
    h.phase = 'synced'
    this.core.ctx.note('sync', { learner: h.node, mode: plan.mode, peerLastZxid: formatZxid(h.peerLastZxid), truncZxid: plan.truncZxid === null ? null : formatZxid(plan.truncZxid), txns: txns.length })
  }

  private onAck(h: LearnerHandler, zxid: Zxid): void {
    h.ackedZxid = Math.max(h.ackedZxid, zxid)
    if (h.phase === 'synced' && zxid === makeZxid(this.epoch, 0)) {
      h.phase = 'newleader'
      if (this.phase === 'sync') return this.tryEstablish()
      if (this.phase === 'broadcast') this.sendUptodate(h)
      return
    }
    this.tryCommit()
  }

  /** waitForNewLeaderAck: a quorum has our history; it is committed, and we serve. */
  private tryEstablish(): void {
    const acked = 1 + [...this.handlers.values()].filter((h) => h.phase === 'newleader').length
    if (!isQuorum(acked, this.core.voters)) return
    this.phase = 'broadcast'
    this.established = true
    this.core.deliverUpTo(this.core.store.lastZxid())
    this.core.ctx.note('established', { epoch: this.epoch, committed: formatZxid(this.core.tree.lastZxid), followers: acked - 1 })
    for (const h of this.handlers.values()) if (h.phase === 'newleader') this.sendUptodate(h)
    this.core.setServing(true)
  }

  private sendUptodate(h: LearnerHandler): void {
    h.phase = 'uptodate'
    h.send({ type: 'UPTODATE', committedZxid: this.core.tree.lastZxid })
  }

  /** Commits up to the highest zxid a quorum (us included) has logged. */
  private tryCommit(): void {
    if (this.phase !== 'broadcast') return
    const last = this.core.store.lastZxid()
    let target = last
    if (this.core.mutant !== 'commit-without-quorum') {
      const acks = [last, ...[...this.handlers.values()].filter((h) => h.inQuorum).map((h) => h.ackedZxid)].sort((a, b) => b - a)
      const need = Math.floor(this.core.voters / 2) + 1
      if (acks.length < need) return
      target = Math.min(acks[need - 1]!, last)
    }
    // Followers' NEWLEADER acks read epoch.0, which names no transaction: nothing to commit
    // until a quorum has logged one of this epoch's proposals (else every ACK sent a COMMIT of epoch.0).
    if (target <= this.core.tree.lastZxid || target <= makeZxid(this.epoch, 0)) return
    // As Leader.tryToCommit: COMMIT goes to the followers first, then the leader applies (and answers its clients).
    for (const h of this.handlers.values()) if (h.forwarding) h.send({ type: 'COMMIT', zxid: target })
    this.core.deliverUpTo(target)
    for (const [key, zxid] of this.inflight) if (zxid <= target) this.inflight.delete(key)
    this.checkSyncs()
  }

  private checkSyncs(): void {
    while (this.pendingSyncs.length > 0) {
      const s = this.pendingSyncs[0]!
      const heard = 1 + [...this.handlers.values()].filter((h) => h.inQuorum && h.pingRound >= s.round).length
      // sync-without-quorum answers as ZooKeeper does: once the leader's own proposals are committed.
      const confirmed = isQuorum(heard, this.core.voters) || this.core.mutant === 'sync-without-quorum'
      if (this.core.tree.lastZxid < s.zxid || !confirmed) return
      this.pendingSyncs.shift()
      if (s.originSid === this.core.sid) this.core.syncDone(s.id, s.zxid)
      else this.handlers.get(s.originSid)?.send({ type: 'SYNCOK', id: s.id, zxid: s.zxid })
    }
  }

  private broadcastPing(round = ++this.pingRound): void {
    for (const h of this.handlers.values()) if (h.forwarding) h.send({ type: 'PING', round })
  }

  /** LearnerHandler.ping: a learner silent past its limit is disconnected. */
  private dropSilentLearners(): void {
    for (const h of [...this.handlers.values()]) {
      const limit = h.inQuorum ? this.core.config.syncLimit : this.core.config.initLimit
      if (this.tick - h.lastHeardTick <= limit) continue
      this.handlers.delete(h.sid)
      this.core.ctx.note('learner-dropped', { learner: h.node, silentTicks: this.tick - h.lastHeardTick })
    }
  }
}
