/**
 * Write-loss accounting. Redis Cluster acknowledges a write once its master applied it,
 * before any replica has it, so some acknowledged writes vanish. This invariant never fails
 * a run: it finds every acknowledged write that a later read cannot see and says why.
 *
 * Lost: a SET/MSET acknowledged before a GET began, invoked after the write the GET saw was
 * acknowledged (so it is certainly newer), yet invisible; an INCR whose result a later INCR
 * does not exceed. Causes, from what the nodes showed while it happened:
 *  - minority-side: the master that took it had already lost contact with a majority of
 *    masters, and noticed only later (cluster state FAIL): the other side failed it over;
 *  - stale-route: the master that took it no longer owned the slot (a higher configEpoch
 *    claim existed) while it could still hear the majority: it had not learned yet;
 *  - crash-before-fsync: the master crashed within the AOF's one-second fsync window after
 *    acknowledging it (appendfsync everysec), and the crash took it out of the AOF (a run that
 *    loses no unsynced writes never has this cause: a crash then loses writes by failover);
 *  - failover: accepted by the rightful owner, then lost because a replica that had not
 *    received it yet (asynchronous replication) was promoted, or the slot was reassigned.
 */
import type { Invariant, InvariantContext, NodeId } from '../../sim/protocol.ts'
import type { HistoryEntry } from '../../sim/clients/history.ts'
import { SLOTS } from './constants.ts'
import type { MinorityEvent, RedisNode } from './node.ts'
import type { RedisClusterConfig } from './types.ts'

export type LossCause = 'failover' | 'minority-side' | 'stale-route' | 'crash-before-fsync' | 'unknown'

interface Acceptance {
  node: NodeId
  atUs: number
  superseded: boolean
  aofLength: number
}

/** A crash, and how many AOF entries the node kept through it. */
interface Crash {
  atUs: number
  aofLength: number
}

interface Cursor {
  accepted: number
  minority: number
  claimVersion: number
  configEpoch: number
}

export function writeLossAccount(_config: RedisClusterConfig): Invariant<RedisNode> {
  /** (key, value) -> every acceptance: INCR results repeat once a failover rewinds a counter. */
  const accepts = new Map<string, Acceptance[]>()
  const minority = new Map<NodeId, MinorityEvent[]>()
  const cursors = new WeakMap<RedisNode, Cursor>()
  const bestEpoch = new Float64Array(SLOTS).fill(-1)
  const bestNode: Array<NodeId | undefined> = new Array(SLOTS)
  const alive = new Map<NodeId, boolean>()
  const crashes = new Map<NodeId, Crash[]>()
  /** A crash is an engine event (touched null): see which nodes went down. */
  const noteCrashes = (ctx: InvariantContext<RedisNode>): void => {
    for (const id of ctx.nodeIds) {
      const up = ctx.node(id) !== undefined
      if (alive.get(id) === true && !up) crashes.set(id, [...(crashes.get(id) ?? []), { atUs: ctx.time, aofLength: ctx.storage(id).length('aof') }])
      alive.set(id, up)
    }
  }

  const observe = (id: NodeId, node: RedisNode): void => {
    let c = cursors.get(node)
    if (!c) cursors.set(node, (c = { accepted: 0, minority: 0, claimVersion: -1, configEpoch: -1 }))
    if (c.claimVersion !== node.claimVersion || c.configEpoch !== node.me.configEpoch) {
      c.claimVersion = node.claimVersion
      c.configEpoch = node.me.configEpoch
      if (node.isMaster()) noteClaims(id, node)
    }
    for (; c.accepted < node.accepted.length; c.accepted++) {
      const w = node.accepted[c.accepted]!
      const superseded = bestEpoch[w.slot]! > w.configEpoch && bestNode[w.slot] !== id
      const k = writeKey(w.key, w.value)
      const list = accepts.get(k)
      const acceptance = { node: id, atUs: w.atUs, superseded, aofLength: w.aofLength }
      if (list) list.push(acceptance)
      else accepts.set(k, [acceptance])
    }
    if (c.minority < node.minorityEvents.length) {
      const list = minority.get(id) ?? []
      list.push(...node.minorityEvents.slice(c.minority))
      minority.set(id, list)
      c.minority = node.minorityEvents.length
    }
  }
  const noteClaims = (id: NodeId, node: RedisNode): void => {
    const epoch = node.me.configEpoch
    for (const [first, last] of node.slotsOf(node.myName)) {
      for (let s = first; s <= last; s++) if (epoch > bestEpoch[s]!) (bestEpoch[s] = epoch), (bestNode[s] = id)
    }
  }
  const causeOf = (w: Op): LossCause => {
    const a = (accepts.get(writeKey(w.key, w.value)) ?? []).find((x) => x.atUs >= w.invokeUs && x.atUs <= w.okUs)
    if (!a) return 'unknown'
    if ((crashes.get(a.node) ?? []).some((c) => c.atUs >= a.atUs && c.atUs - a.atUs <= FSYNC_WINDOW_US && c.aofLength < a.aofLength)) return 'crash-before-fsync'
    const events = minority.get(a.node) ?? []
    if (events.some((e) => e.contactUs <= a.atUs && a.atUs <= e.atUs)) return 'minority-side'
    return a.superseded ? 'stale-route' : 'failover'
  }

  return {
    name: 'write-loss',
    check(ctx) {
      if (ctx.touched === null) return (noteCrashes(ctx), null)
      if (!alive.get(ctx.touched)) alive.set(ctx.touched, true)
      const node = ctx.node(ctx.touched)
      if (node && node.myName !== '') observe(ctx.touched, node)
      return null
    },
    report(ctx) {
      return lossReport(ctx, causeOf)
    },
  }
}

const FSYNC_WINDOW_US = 1_000_000

const writeKey = (key: string, value: unknown) => `${key}\u0000${JSON.stringify(value)}`

interface Op {
  f: string
  key: string
  value: unknown
  invokeUs: number
  okUs: number
}

/** Pairs invokes with their ok completions, per key. */
function completedOps(history: readonly HistoryEntry[]): Map<string, Op[]> {
  const open = new Map<number, HistoryEntry>()
  const byKey = new Map<string, Op[]>()
  for (const h of history) {
    if (h.type === 'invoke') open.set(h.op, h)
    else {
      const inv = open.get(h.op)
      open.delete(h.op)
      if (!inv || h.type !== 'ok' || inv.key === undefined) continue
      const value = inv.f === 'get' || inv.f === 'incr' ? h.value : inv.value
      const list = byKey.get(inv.key) ?? []
      list.push({ f: inv.f, key: inv.key, value, invokeUs: inv.timeUs, okUs: h.timeUs })
      byKey.set(inv.key, list)
    }
  }
  return byKey
}

/** Acknowledged writes some later read cannot see, each once. */
export function findLostWrites(history: readonly HistoryEntry[]): Op[] {
  const lost: Op[] = []
  for (const ops of completedOps(history).values()) {
    const writes = ops.filter((o) => o.f === 'set' || o.f === 'mset')
    const byValue = new Map(writes.map((w) => [JSON.stringify(w.value), w]))
    const incrs = ops.filter((o) => o.f === 'incr')
    const gone = new Set<Op>()
    for (const read of ops) {
      if (read.f === 'get') {
        const seen = read.value === null ? undefined : byValue.get(JSON.stringify(read.value))
        if (read.value !== null && !seen) continue // a value we cannot place: judge nothing
        const after = seen ? seen.okUs : -1
        for (const w of writes) if (w.okUs < read.invokeUs && w.invokeUs > after) gone.add(w)
      } else if (read.f === 'incr') {
        for (const w of incrs) if (w.okUs < read.invokeUs && (w.value as number) >= (read.value as number)) gone.add(w)
      }
    }
    lost.push(...[...gone].sort((a, b) => a.okUs - b.okUs))
  }
  return lost
}

function lossReport(ctx: InvariantContext<RedisNode>, causeOf: (w: Op) => LossCause) {
  const acked = ctx.history.filter((h) => h.type === 'ok' && (h.f === 'set' || h.f === 'mset' || h.f === 'incr')).length
  const lost = findLostWrites(ctx.history)
  const byCause: Record<LossCause, number> = { failover: 0, 'minority-side': 0, 'stale-route': 0, 'crash-before-fsync': 0, unknown: 0 }
  const details = lost.map((w) => {
    const cause = causeOf(w)
    byCause[cause]++
    return `${w.f} ${w.key}=${JSON.stringify(w.value)} acknowledged at ${(w.okUs / 1e6).toFixed(3)}s: lost (${cause})`
  })
  const parts = (Object.keys(byCause) as LossCause[]).filter((c) => byCause[c] > 0).map((c) => `${byCause[c]} ${c}`)
  const summary = `${lost.length} of ${acked} acknowledged writes lost${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`
  return { summary, details, data: { acknowledged: acked, lost: lost.length, ...byCause } }
}
