/**
 * pingpong: the built-in protocol, small enough to read in one sitting. It is the engine's
 * own test subject and the worked example for anyone writing a protocol (see sim/README.md).
 *
 * Every node pings its peers each heartbeat and answers pings with pongs. A node believes
 * the lowest-id node it has heard from recently (itself included) is the leader, so a
 * partition can give two leaders: that is the point of the example, not a bug. The leader
 * keeps a key-value map in memory and serves clients; other nodes redirect them.
 * Each boot increments a durable counter, which the `boots-always-increase` invariant
 * watches; the `skip-sync` mutant forgets to sync it, which loses it at a crash when the
 * run loses unsynced writes.
 */
import type { ClientRequest, Invariant, NodeContext, NodeHandlers, NodeId, NodeView, Protocol } from '../protocol.ts'
import { InputError, US_PER_MS } from '../time.ts'

export type PingPongMsg = { type: 'ping'; seq: number } | { type: 'pong'; seq: number }

export interface PingPongConfig {
  heartbeatMs: number
  /** A peer not heard from for this long is presumed down. */
  suspectAfterMs: number
}

export class PingPongNode implements NodeHandlers<PingPongMsg> {
  readonly boots: number
  private readonly lastHeardUs = new Map<NodeId, number>()
  private readonly data = new Map<string, unknown>()
  private seq = 0
  private readonly sortedPeers: NodeId[]
  pongs = 0

  constructor(
    private readonly ctx: NodeContext<PingPongMsg>,
    private readonly config: PingPongConfig,
    private readonly mutant: string | null,
  ) {
    this.boots = (ctx.storage.get<number>('boots') ?? 0) + 1
    this.sortedPeers = ctx.nodes.filter((id) => id !== ctx.id).sort()
  }

  onStart(): void {
    this.ctx.storage.put('boots', this.boots)
    if (this.mutant !== 'skip-sync') this.ctx.storage.sync()
    this.heartbeat()
  }

  onMessage(from: NodeId, msg: PingPongMsg): void {
    this.lastHeardUs.set(from, this.ctx.now())
    if (msg.type === 'ping') this.ctx.send(from, { type: 'pong', seq: msg.seq })
    else this.pongs++
  }

  onTimer(name: string): void {
    if (name === 'heartbeat') this.heartbeat()
  }

  onClientRequest(request: ClientRequest): void {
    const leader = this.leader()
    if (leader !== this.ctx.id) return this.ctx.reply(request, { ok: false, error: 'not-leader', redirectTo: leader, definite: true })
    const { f, key = '', value } = request.op
    if (f === 'get') return this.ctx.reply(request, { ok: true, value: this.data.get(key) ?? null })
    if (f === 'put') {
      this.data.set(key, value)
      return this.ctx.reply(request, { ok: true })
    }
    this.ctx.reply(request, { ok: false, error: `unknown operation '${f}'`, definite: true })
  }

  view(): NodeView {
    const heard = this.alivePeers()
    const leader = heard.length > 0 && heard[0]! < this.ctx.id ? heard[0]! : this.ctx.id
    return { role: leader === this.ctx.id ? 'leader' : 'follower', leads: leader === this.ctx.id, leader, boots: this.boots, heard, keys: this.data.size }
  }

  /** The lowest id among this node and the peers heard from recently. */
  leader(): NodeId {
    const alive = this.alivePeers()
    return alive.length > 0 && alive[0]! < this.ctx.id ? alive[0]! : this.ctx.id
  }

  /** Peers heard from within suspectAfterMs, in id order (ctx.nodes is in a fixed order). */
  private alivePeers(): NodeId[] {
    const cutoffUs = this.ctx.now() - this.config.suspectAfterMs * US_PER_MS
    const alive: NodeId[] = []
    for (const id of this.sortedPeers) {
      const heardUs = this.lastHeardUs.get(id)
      if (heardUs !== undefined && heardUs >= cutoffUs) alive.push(id)
    }
    return alive
  }

  private heartbeat(): void {
    this.seq++
    for (const peer of this.ctx.nodes) if (peer !== this.ctx.id) this.ctx.send(peer, { type: 'ping', seq: this.seq })
    // A little jitter from the node's own stream keeps nodes from pinging in lockstep.
    this.ctx.setTimer('heartbeat', this.config.heartbeatMs * US_PER_MS * (0.9 + 0.2 * this.ctx.random()))
  }
}

/**
 * Every boot must count higher than the one before: a node object the invariant has not
 * seen is a fresh boot, and a count that did not go up means a durable write was lost.
 */
function bootsAlwaysIncrease(): Invariant<PingPongNode> {
  const highest = new Map<NodeId, number>()
  const seen = new WeakSet<PingPongNode>()
  return {
    name: 'boots-always-increase',
    check(ctx) {
      if (ctx.touched === null) return null
      const node = ctx.node(ctx.touched)
      if (!node || seen.has(node)) return null
      seen.add(node)
      const before = highest.get(ctx.touched) ?? 0
      if (node.boots <= before) return `${ctx.touched} booted with count ${node.boots}, but an earlier boot had reached ${before}: a durable write was lost`
      highest.set(ctx.touched, node.boots)
      return null
    },
  }
}

const DEFAULTS: PingPongConfig = { heartbeatMs: 50, suspectAfterMs: 200 }

export const pingpong: Protocol<PingPongMsg, PingPongConfig, PingPongNode> = {
  name: 'pingpong',
  summary: 'the built-in example: heartbeats, a lowest-id-alive leader, and an in-memory key-value map on the leader',
  defaultConfig: DEFAULTS,
  parseConfig(raw) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('bad pingpong config: expected an object like {"heartbeatMs": 50, "suspectAfterMs": 200}')
    const unknown = Object.keys(raw).find((k) => !(k in DEFAULTS))
    if (unknown !== undefined) throw new InputError(`bad pingpong config: unknown field '${unknown}' (fields: ${Object.keys(DEFAULTS).join(', ')})`)
    const c = { ...DEFAULTS, ...(raw as Partial<PingPongConfig>) }
    for (const key of ['heartbeatMs', 'suspectAfterMs'] as const) {
      if (!(typeof c[key] === 'number' && Number.isFinite(c[key]) && c[key] > 0)) throw new InputError(`bad pingpong config: ${key} must be a positive number of milliseconds`)
    }
    return c
  },
  createNode: (ctx, { config, mutant }) => new PingPongNode(ctx, config, mutant),
  messageType: (msg) => msg.type,
  invariants: () => [bootsAlwaysIncrease()],
  mutants: [{ name: 'skip-sync', description: 'forgets to sync the boot counter: with --lose-unsynced a crash loses it, and boots-always-increase catches the count going back' }],
  workload: { mix: { get: 1, put: 1 } },
}
