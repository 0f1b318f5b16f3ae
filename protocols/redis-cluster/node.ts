/**
 * A Redis Cluster node: its view of the cluster (the node table, the slot table, epochs),
 * its dataset and replication state. The behaviour lives beside it: bus.ts (PING/PONG,
 * gossip, failure detection, UPDATE, epoch collisions), failover.ts (replica elections and
 * voting), state.ts (cluster state), data.ts (replication, client commands, MIGRATE),
 * commands.ts (CLUSTER ... operations from a scenario).
 */
import type { ClientRequest, NodeCommand, NodeContext, NodeHandlers, NodeId, NodeView } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import { handleBusMessage, clusterCron } from './bus.ts'
import { runCommand } from './commands.ts'
import { CRON_MS, SLOTS } from './constants.ts'
import { handleReplMessage, serveClient } from './data.ts'
import { bootstrap, loadConfig, writeConfig } from './persist.ts'
import { rangesWhere } from './slots.ts'
import type { PeerInfo, RedisClusterConfig, RedisMsg, SlotRange } from './types.ts'

/** A write as the master that accepted it saw it: the write-loss accounting reads these. */
export interface AcceptedWrite {
  key: string
  value: unknown
  slot: number
  atUs: number
  configEpoch: number
  /** Entries in the AOF once this write was appended: a crash that leaves fewer lost it. */
  aofLength: number
}

/** The node noticed it cannot reach a majority of masters (state FAIL); contactUs: when it last could. */
export interface MinorityEvent {
  atUs: number
  contactUs: number
}

/** A FAILOVER_AUTH_REQUEST this node sent: when (its own clock), in which epoch, and whether it was a manual failover's. */
export interface AuthRequestRecord {
  atLocalUs: number
  epoch: number
  forced: boolean
}

export interface FailoverState {
  authTimeUs: number
  authSent: boolean
  authRank: number
  authEpoch: number
  /** Masters that granted a vote (a set: a duplicated ACK must not count twice). */
  voters: Set<string>
}

export interface ManualFailover {
  /** When it times out (mf_end); 0: none. */
  endUs: number
  /** On the master: the replica asking; on the replica: the master's final offset once seen (-1: not yet). */
  replica: string | null
  masterOffset: number
  canStart: boolean
  force: boolean
}

export class RedisNode implements NodeHandlers<RedisMsg> {
  myName = ''
  currentEpoch = 0
  lastVoteEpoch = 0
  readonly peers = new Map<string, PeerInfo>()
  readonly byAddr = new Map<NodeId, string>()
  /** Goes up at every change of the slot table: lets the liveness check skip recomputing an unchanged map. */
  ownerVersion = 0
  /** Slot -> owner name (null: unassigned), this node's view. */
  readonly owner: (string | null)[] = new Array(SLOTS).fill(null)
  readonly slotCount = new Map<string, number>()
  readonly migrating = new Map<number, string>()
  readonly importing = new Map<number, string>()
  readonly blacklist = new Map<string, number>()
  /** Addresses we sent MEET to: their answer introduces them (Redis's handshake node). */
  readonly meetSent = new Set<NodeId>()
  state: 'ok' | 'fail' = 'fail'
  amongMinorityUs = -Infinity
  bootUs = 0
  cronTicks = 0
  /** Replica: the address whose master role we wait to learn before replicating (creation). */
  pendingReplicaOf: NodeId | null = null
  // Dataset and replication.
  readonly data = new Map<string, unknown>()
  replid = ''
  offset = 0
  readonly replicas = new Set<NodeId>()
  lastMasterContactUs = 0
  syncRequestedUs = -Infinity
  syncPending = false
  /** Replication chunks that arrived ahead of a gap, by their starting offset. */
  readonly earlyChunks = new Map<number, Extract<RedisMsg, { type: 'REPL' }>>()
  gapSinceUs = 0
  readOnlyReplica = true
  pausedUntilUs = 0
  readonly blocked: ClientRequest[] = []
  migration: { id: number; key: string; to: NodeId; rest: string[]; sentUs: number } | null = null
  migrationSeq = 0
  // Failover.
  failover: FailoverState = { authTimeUs: -Infinity, authSent: false, authRank: 0, authEpoch: 0, voters: new Set() }
  mf: ManualFailover = { endUs: 0, replica: null, masterOffset: -1, canStart: false, force: false }
  // For the checks: votes granted, votes asked for, writes accepted, minority events, config changes.
  readonly votes: Array<{ epoch: number; for: string }> = []
  readonly authRequests: AuthRequestRecord[] = []
  readonly accepted: AcceptedWrite[] = []
  readonly minorityEvents: MinorityEvent[] = []
  claimVersion = 0
  /** nodes.conf must be rewritten when the current handler returns. */
  configDirty = false
  /** Per-owner ranges, dropped when that owner gains or loses a slot. */
  private readonly rangesCache = new Map<string, SlotRange[]>()

  constructor(
    readonly ctx: NodeContext<RedisMsg>,
    readonly config: RedisClusterConfig,
    readonly mutant: string | null,
  ) {}

  get nodeTimeoutUs(): number {
    return this.config.nodeTimeoutMs * US_PER_MS
  }

  get me(): PeerInfo {
    return this.peers.get(this.myName)!
  }

  /** My master's record, for a replica. */
  get myMaster(): PeerInfo | undefined {
    const m = this.me.master
    return m === null ? undefined : this.peers.get(m)
  }

  onStart(): void {
    this.bootUs = this.ctx.now()
    if (!loadConfig(this)) bootstrap(this)
    // Real servers start at different moments, so their crons are not in step: a random first
    // tick keeps two replicas from firing their elections in the very same instant.
    this.ctx.setTimer('cron', this.ctx.rng.int(1, CRON_MS * US_PER_MS))
    this.flushConfig()
  }

  onMessage(from: NodeId, msg: RedisMsg): void {
    if ('hdr' in msg) handleBusMessage(this, from, msg)
    else handleReplMessage(this, from, msg)
    this.flushConfig()
  }

  onTimer(name: string): void {
    if (name !== 'cron') return
    clusterCron(this)
    this.ctx.setTimer('cron', CRON_MS * US_PER_MS)
    this.flushConfig()
  }

  onClientRequest(request: ClientRequest): void {
    serveClient(this, request)
    this.flushConfig()
  }

  onCommand(command: NodeCommand): void {
    runCommand(this, command)
    this.flushConfig()
  }

  /** Rewrites nodes.conf once per handler if anything in it changed (Redis: before sleeping). */
  private flushConfig(): void {
    if (this.configDirty) writeConfig(this)
  }

  /** Slot -> owner bookkeeping; every change of ownership goes through here. */
  setOwner(slot: number, name: string | null): void {
    const before = this.owner[slot] ?? null
    if (before === name) return
    if (before !== null) this.slotCount.set(before, (this.slotCount.get(before) ?? 1) - 1)
    if (name !== null) this.slotCount.set(name, (this.slotCount.get(name) ?? 0) + 1)
    this.owner[slot] = name
    this.ownerVersion++
    if (before !== null) this.rangesCache.delete(before)
    if (name !== null) this.rangesCache.delete(name)
    if (before === this.myName || name === this.myName) this.claimVersion++
  }

  numSlots(name: string): number {
    return this.slotCount.get(name) ?? 0
  }

  /** The slot ranges `name` owns in this node's view (cached until the slot table changes). */
  slotsOf(name: string): SlotRange[] {
    const hit = this.rangesCache.get(name)
    if (hit) return hit
    const ranges = this.numSlots(name) === 0 ? [] : rangesWhere((s) => this.owner[s] === name)
    this.rangesCache.set(name, ranges)
    return ranges
  }

  isMaster(): boolean {
    return this.me.role === 'master'
  }

  /** Masters serving at least one slot: the cluster "size" for every quorum. */
  slotMasters(): PeerInfo[] {
    const out: PeerInfo[] = []
    for (const p of this.peers.values()) if (p.role === 'master' && this.numSlots(p.name) > 0) out.push(p)
    return out
  }

  addrOf(name: string): NodeId | undefined {
    return this.peers.get(name)?.addr
  }

  view(): NodeView {
    const me = this.me
    const master = this.myMaster
    const flags = [...this.peers.values()].filter((p) => p.pfail || p.fail).map((p) => `${p.addr}:${p.fail ? 'fail' : 'pfail'}`)
    const reports = [...this.peers.values()].filter((p) => p.failReports.size > 0).map((p) => `${p.addr}<-${p.failReports.size}`)
    return {
      role: me.role, leads: me.role === 'master' && this.numSlots(this.myName) > 0,
      name: this.myName.slice(0, 8), master: master?.addr ?? null, currentEpoch: this.currentEpoch, configEpoch: me.configEpoch,
      state: this.state, slots: this.slotsOf(this.myName).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(' '),
      offset: this.offset, flags, failReports: reports, keys: this.data.size, slotMap: this.slotMapView(),
    }
  }

  /**
   * This node's slot map, for the viewer and scenarios: owner address -> its slot ranges and
   * the configEpoch this node knows it claimed them at ("0-5460@8"). It shows what a node
   * believes, which after a failover or a delayed message is not what the others believe.
   */
  private slotMapView(): Record<string, string> {
    const map: Record<string, string> = {}
    for (const p of this.peers.values()) {
      if (this.numSlots(p.name) === 0) continue
      const ranges = this.slotsOf(p.name).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(' ')
      map[p.addr] = `${ranges}@${p.configEpoch}`
    }
    return map
  }
}
