/**
 * The following server (ZooKeeper's Learner.registerWithLeader, syncWithLeader and
 * Follower.processPacket): FOLLOWERINFO, ACKEPOCH, the leader's SYNC, NEWLEADER, UPTODATE,
 * then logging and acknowledging proposals and applying commits. It forwards client writes
 * and syncs to the leader, and gives up on a leader that goes silent.
 */
import type { ClientOp, NodeId } from '../../sim/protocol.ts'
import { Channel } from './channel.ts'
import type { ServerCore } from './core.ts'
import type { PeerBody, PeerFrame, Snapshot, SyncMode, Txn } from './messages.ts'
import { formatZxid, makeZxid, type Zxid } from './zxid.ts'

type FollowerPhase = 'connecting' | 'epoch' | 'syncing' | 'newleader' | 'broadcast'

export class Follower {
  phase: FollowerPhase = 'connecting'
  readonly leaderNode: NodeId
  private readonly channel: Channel
  private lastHeardUs: number
  private timer: number
  private active = true

  constructor(
    private readonly core: ServerCore,
    readonly leaderSid: number,
  ) {
    this.leaderNode = core.nodeOf(leaderSid)
    // A fresh connection id per attempt, so the leader can tell a reconnect from a straggler.
    const conn = core.ctx.rng.int(1, 0x7fffffff)
    this.channel = new Channel(conn, (frame) => core.ctx.send(this.leaderNode, frame))
    this.lastHeardUs = core.ctx.now()
    this.timer = core.ctx.setTimer('follower-tick', core.tickUs() / 2)
    this.channel.send({ type: 'FOLLOWERINFO', acceptedEpoch: core.store.acceptedEpoch, lastZxid: core.store.lastZxid() })
  }

  onFrame(from: NodeId, frame: PeerFrame): void {
    if (from !== this.leaderNode || frame.conn !== this.channel.conn) return
    this.lastHeardUs = this.core.ctx.now()
    for (const body of this.channel.receive(frame)) {
      if (!this.active) return
      this.onPacket(body)
    }
    if (this.active) this.channel.flushAck()
  }

  onTimer(): void {
    if (!this.active) return
    this.timer = this.core.ctx.setTimer('follower-tick', this.core.tickUs() / 2)
    this.channel.retransmit()
    const limitTicks = this.phase === 'broadcast' ? this.core.config.syncLimit : this.core.config.initLimit
    if (this.core.ctx.now() - this.lastHeardUs > limitTicks * this.core.tickUs()) {
      this.core.backToLooking(`leader ${this.leaderNode} silent for ${limitTicks} ticks`)
    }
  }

  forward(client: string, seq: number, op: ClientOp): void {
    this.channel.send({ type: 'REQUEST', client, seq, op })
  }

  requestSync(id: number): void {
    this.channel.send({ type: 'SYNCREQ', id })
  }

  shutdown(): void {
    if (!this.active) return
    this.active = false
    this.core.ctx.cancelTimer(this.timer)
  }

  private onPacket(body: PeerBody): void {
    const { store } = this.core
    switch (body.type) {
      case 'LEADERINFO':
        return this.onLeaderInfo(body.newEpoch)
      case 'SYNC':
        return this.onSync(body.mode, body.truncZxid, body.snapshot, body.txns)
      case 'NEWLEADER':
        store.setCurrentEpoch(body.epoch)
        this.phase = 'newleader'
        return this.channel.send({ type: 'ACK', zxid: makeZxid(body.epoch, 0) })
      case 'UPTODATE':
        this.core.deliverUpTo(body.committedZxid)
        this.phase = 'broadcast'
        this.core.ctx.note('uptodate', { leader: this.leaderNode, committed: formatZxid(this.core.tree.lastZxid) })
        return this.core.setServing(true)
      case 'PROPOSAL':
        if (body.txn.zxid > store.lastZxid()) store.append([body.txn])
        return this.channel.send({ type: 'ACK', zxid: body.txn.zxid })
      case 'COMMIT':
        if (this.phase === 'newleader' || this.phase === 'broadcast') this.core.deliverUpTo(body.zxid)
        return
      case 'PING':
        return this.channel.send({ type: 'PING', round: body.round })
      case 'SYNCOK':
        return this.core.syncDone(body.id, body.zxid)
      case 'CLOSE':
        return this.core.backToLooking(`leader ${this.leaderNode} closed the connection: ${body.reason}`)
      default:
        return // packets a follower never receives
    }
  }

  /** Learner.registerWithLeader: accept a newer epoch; an equal one cannot be acknowledged twice. */
  private onLeaderInfo(newEpoch: number): void {
    const { store } = this.core
    let epochToAck = store.currentEpoch
    if (newEpoch > store.acceptedEpoch) store.setAcceptedEpoch(newEpoch)
    else if (newEpoch === store.acceptedEpoch) epochToAck = -1
    else return this.core.backToLooking(`leader's epoch ${newEpoch} is below our accepted epoch ${store.acceptedEpoch}`)
    this.phase = 'epoch'
    this.channel.send({ type: 'ACKEPOCH', currentEpoch: epochToAck, lastZxid: store.lastZxid() })
  }

  /** syncWithLeader: make our log the leader's, by DIFF, TRUNC or SNAP. */
  private onSync(mode: SyncMode, truncZxid: Zxid | null, snapshot: Snapshot | null, txns: Txn[]): void {
    const { store, tree } = this.core
    if (mode === 'SNAP' && snapshot) {
      store.replaceWithSnapshot(snapshot)
      this.core.loadTree(snapshot)
    } else if (mode === 'TRUNC' && truncZxid !== null) {
      if (this.core.mutant === 'no-truncate') {
        this.core.ctx.note('trunc-ignored', { truncZxid: formatZxid(truncZxid), lastZxid: formatZxid(store.lastZxid()) })
      } else {
        store.truncateAfter(truncZxid)
        // Applied state past the truncation point is rebuilt from disk (ZKDatabase.truncateLog).
        if (tree.lastZxid > truncZxid) this.core.loadTree(store.snapshot)
      }
    }
    const last = store.lastZxid()
    store.append(txns.filter((t) => t.zxid > last))
    this.phase = 'syncing'
    this.core.ctx.note('synced', { leader: this.leaderNode, mode, truncZxid: truncZxid === null ? null : formatZxid(truncZxid), txns: txns.length, lastZxid: formatZxid(store.lastZxid()) })
  }
}
