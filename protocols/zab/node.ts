/**
 * One ZAB server (ZooKeeper's QuorumPeer): LOOKING runs Fast Leader Election, then the
 * server leads or follows until it loses its quorum or its leader, and looks again.
 * It owns the disk (store), the data tree and the delivery of committed transactions, and
 * serves clients: writes go through the leader, `get` reads the local tree (maybe stale),
 * `sync-get` syncs with the leader first.
 */
import type { ClientRequest, NodeContext, NodeHandlers, NodeId } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import type { ZabConfig } from './config.ts'
import type { ServerCore } from './core.ts'
import { DataTree } from './datatree.ts'
import { Election, type ElectionHost } from './fle.ts'
import { Follower } from './follower.ts'
import { Leader } from './leader.ts'
import type { ServerState, Snapshot, Txn, ZabMsg } from './messages.ts'
import { ClientDesk } from './serving.ts'
import { ZabStore } from './store.ts'
import { zabView, type ZabView } from './view.ts'
import type { Vote } from './vote.ts'
import type { Zxid } from './zxid.ts'

/** What this server has delivered since its tree was last loaded: the invariants read it. */
export interface Deliveries {
  /** The zxid of the state the tree was loaded from (a snapshot, or 0). */
  base: Zxid
  txns: Txn[]
}

export class ZabNode implements NodeHandlers<ZabMsg>, ServerCore {
  readonly sid: number
  readonly voters: number
  readonly store: ZabStore
  tree: DataTree
  deliveries: Deliveries
  state: ServerState = 'LOOKING'
  role: Leader | Follower | null = null
  /** The vote this server decided on; told to LOOKING servers while it follows or leads. */
  currentVote: Vote | null = null
  readonly election: Election
  readonly desk: ClientDesk

  constructor(
    readonly ctx: NodeContext<ZabMsg>,
    readonly config: ZabConfig,
    readonly mutant: string | null,
  ) {
    this.sid = ctx.nodes.indexOf(ctx.id) + 1
    this.voters = ctx.nodes.length
    this.store = new ZabStore(ctx.storage, mutant !== 'forget-accepted-epoch')
    this.tree = DataTree.fromSnapshot(this.store.snapshot)
    this.deliveries = { base: this.store.snapshot.zxid, txns: [] }
    this.election = new Election(this.electionHost(), {
      finalizeWaitMs: config.finalizeWaitMs,
      maxNotificationIntervalMs: config.maxNotificationIntervalMs,
      byIdOnly: mutant === 'elect-by-id',
    })
    this.desk = new ClientDesk(this)
  }

  onStart(): void {
    this.election.start()
  }

  onMessage(from: NodeId, msg: ZabMsg): void {
    if (msg.type === 'NOTIFICATION') return this.election.deliver(msg, this.state, this.currentVote)
    this.role?.onFrame(from, msg)
  }

  onTimer(name: string): void {
    if (name.startsWith('fle-')) this.election.onTimer(name)
    else if (name === 'leader-tick' && this.role instanceof Leader) this.role.onTimer()
    else if (name === 'follower-tick' && this.role instanceof Follower) this.role.onTimer()
  }

  onClientRequest(request: ClientRequest): void {
    this.desk.onRequest(request)
  }

  view(): ZabView {
    return zabView(this)
  }

  get leader(): Leader | null {
    return this.role instanceof Leader ? this.role : null
  }

  nodeOf(sid: number): NodeId {
    return this.ctx.nodes[sid - 1]!
  }

  sidOf(node: NodeId): number {
    return this.ctx.nodes.indexOf(node) + 1
  }

  tickUs(): number {
    return this.config.tickTimeMs * US_PER_MS
  }

  deliverUpTo(zxid: Zxid): void {
    const history = this.store.history
    let i = this.store.countUpTo(this.tree.lastZxid)
    const first = i
    for (; i < history.length && history[i]!.zxid <= zxid; i++) {
      const txn = history[i]!
      const result = this.tree.apply(txn)
      this.deliveries.txns.push(txn)
      this.desk.applied(txn, result)
    }
    if (i > first) this.ctx.note('committed', { upTo: this.tree.lastZxid, count: i - first })
    this.desk.checkReads()
  }

  loadTree(snapshot: Snapshot): void {
    this.tree = DataTree.fromSnapshot(snapshot)
    this.deliveries = { base: snapshot.zxid, txns: [] }
  }

  setServing(serving: boolean): void {
    this.desk.setServing(serving)
  }

  syncDone(id: number, zxid: Zxid): void {
    this.desk.syncDone(id, zxid)
  }

  backToLooking(reason: string): void {
    this.ctx.note(this.state === 'LEADING' ? 'step-down' : 'leader-lost', { reason })
    this.role?.shutdown()
    this.role = null
    this.state = 'LOOKING'
    this.currentVote = null
    this.desk.setServing(false)
    this.election.start()
  }

  private decided(vote: Vote, state: ServerState): void {
    this.state = state
    this.currentVote = { ...vote, state }
    this.role = state === 'LEADING' ? new Leader(this) : new Follower(this, vote.leader)
  }

  private electionHost(): ElectionHost {
    return {
      sid: this.sid,
      voters: this.voters,
      peers: this.ctx.nodes.map((_, i) => i + 1).filter((s) => s !== this.sid),
      lastLoggedZxid: () => this.store.lastZxid(),
      currentEpoch: () => this.store.currentEpoch,
      send: (toSid, n) => this.ctx.send(this.nodeOf(toSid), n),
      setTimer: (name, afterMs) => this.ctx.setTimer(name, afterMs * US_PER_MS),
      cancelTimer: (id) => this.ctx.cancelTimer(id),
      note: (kind, data) => this.ctx.note(kind, data),
      decided: (vote, state) => this.decided(vote, state),
    }
  }
}
