/**
 * The invariants' own record of the run, kept incrementally from the touched server after
 * each event: every proposal (by zxid), each epoch's established leader and the history it
 * started from, and the one global sequence of committed transactions that every server's
 * deliveries must follow (Zab.tla's properties, checked in O(1) per delivery).
 */
import type { InvariantContext, NodeId } from '../../sim/protocol.ts'
import type { Txn } from './messages.ts'
import type { Deliveries, ZabNode } from './node.ts'
import { epochOf, formatZxid, type Zxid } from './zxid.ts'

export type Property = 'leadership' | 'integrity' | 'agreement' | 'total-order' | 'primary-order' | 'primary-integrity'

const keyOf = (t: Txn): string => `${t.client}/${t.seq}`

export class ZabRecord {
  readonly violations = new Map<Property, string>()
  /** zxid -> client/seq of what its leader proposed. */
  private readonly proposals = new Map<Zxid, string>()
  private readonly leaders = new Map<number, NodeId>()
  /** Each established epoch's last zxid when it was established (its initial history's end). */
  private readonly initialLast = new Map<number, Zxid>()
  /** The global committed sequence, in order, and each zxid's position in it. */
  private readonly committed: Array<{ zxid: Zxid; key: string }> = []
  private readonly position = new Map<Zxid, number>()
  private readonly seenProposals = new WeakMap<Txn[], number>()
  private readonly seenDeliveries = new WeakMap<Deliveries, number>()
  private lastEvent = -1

  get committedCount(): number {
    return this.committed.length
  }

  update(ctx: InvariantContext<ZabNode>): void {
    if (ctx.eventIndex === this.lastEvent || ctx.touched === null) return
    this.lastEvent = ctx.eventIndex
    const server = ctx.node(ctx.touched)
    if (!server) return
    const leader = server.leader
    if (leader) {
      this.recordProposals(ctx.touched, leader.proposed)
      if (leader.established) this.recordLeader(ctx.touched, leader.epoch, server)
    }
    this.checkDeliveries(ctx.touched, server.deliveries)
  }

  private fail(property: Property, message: string): void {
    if (!this.violations.has(property)) this.violations.set(property, message)
  }

  private recordProposals(id: NodeId, proposed: Txn[]): void {
    const seen = this.seenProposals.get(proposed) ?? 0
    for (let i = seen; i < proposed.length; i++) {
      const t = proposed[i]!
      const earlier = this.proposals.get(t.zxid)
      if (earlier !== undefined && earlier !== keyOf(t)) this.fail('integrity', `${id} proposed ${keyOf(t)} as ${formatZxid(t.zxid)}, which already named ${earlier}: two transactions share a zxid`)
      this.proposals.set(t.zxid, keyOf(t))
    }
    this.seenProposals.set(proposed, proposed.length)
  }

  /** At most one established leader per epoch; it starts from every transaction committed before it. */
  private recordLeader(id: NodeId, epoch: number, server: ZabNode): void {
    const known = this.leaders.get(epoch)
    if (known === id) return
    if (known !== undefined) return this.fail('leadership', `two established leaders in epoch ${epoch}: ${known} and ${id}`)
    this.leaders.set(epoch, id)
    const last = server.store.lastZxid()
    this.initialLast.set(epoch, last)
    for (const c of this.committed) {
      if (epochOf(c.zxid) >= epoch) break
      const at = server.store.indexOf(c.zxid)
      const has = at >= 0 ? keyOf(server.store.history[at]!) === c.key : c.zxid <= server.store.snapshot.zxid
      if (!has) return this.fail('primary-integrity', `${id} leads epoch ${epoch} without committed transaction ${formatZxid(c.zxid)} (${c.key})`)
    }
  }

  private checkDeliveries(id: NodeId, d: Deliveries): void {
    const seen = this.seenDeliveries.get(d) ?? 0
    if (seen === d.txns.length) return
    this.seenDeliveries.set(d, d.txns.length)
    for (let i = seen; i < d.txns.length; i++) {
      const prev = i === 0 ? d.base : d.txns[i - 1]!.zxid
      this.checkOne(id, prev, d.txns[i]!)
    }
  }

  private checkOne(id: NodeId, prev: Zxid, t: Txn): void {
    const key = keyOf(t)
    if (this.proposals.get(t.zxid) !== key) return this.fail('integrity', `${id} delivered ${formatZxid(t.zxid)} (${key}), which no leader proposed`)
    if (t.zxid <= prev) return this.fail('total-order', `${id} delivered ${formatZxid(t.zxid)} after ${formatZxid(prev)}: out of zxid order`)
    const prevPos = prev === 0 ? -1 : this.position.get(prev)
    if (prevPos === undefined) return this.fail('agreement', `${id} delivered ${formatZxid(t.zxid)} after ${formatZxid(prev)}, which was never committed`)
    const expected = this.committed[prevPos + 1]
    if (expected === undefined) return this.firstCommit(id, t, key)
    if (expected.zxid === t.zxid && expected.key === key) return
    if (this.position.has(t.zxid)) {
      const property = epochOf(expected.zxid) === epochOf(t.zxid) ? 'local' : 'global'
      return this.fail('primary-order', `${id} delivered ${formatZxid(t.zxid)} but skipped committed ${formatZxid(expected.zxid)} (${property} primary order)`)
    }
    this.fail('agreement', `${id} delivered ${formatZxid(t.zxid)} (${key}) after ${formatZxid(prev)}, where the committed history has ${formatZxid(expected.zxid)} (${expected.key})`)
  }

  /** A transaction delivered for the first time anywhere extends the committed history. */
  private firstCommit(id: NodeId, t: Txn, key: string): void {
    for (const [epoch, last] of this.initialLast) {
      if (epoch > epochOf(t.zxid) && t.zxid > last) {
        return this.fail('primary-integrity', `${id} committed ${formatZxid(t.zxid)} of epoch ${epochOf(t.zxid)} after epoch ${epoch}'s leader ${this.leaders.get(epoch)} was established without it`)
      }
    }
    this.position.set(t.zxid, this.committed.length)
    this.committed.push({ zxid: t.zxid, key })
  }
}
