/**
 * A cluster-aware client, as redis-py's or Jedis's cluster clients behave: it caches the
 * slot map (CLUSTER SLOTS), sends each command to the slot's master, follows MOVED (and
 * refreshes the map), follows ASK once with ASKING, and backs off on CLUSTERDOWN/TRYAGAIN.
 * A command without keys (`cluster-slots`, `cluster-nodes`) goes to the node it is given,
 * else to the client's home node.
 */
import type { ClientHandlers, ClientContext } from '../../sim/clients/client.ts'
import type { ClientOp, ClientResponse, NodeId, TimerId } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import type { SlotsEntry } from './cluster-text.ts'
import { SLOTS } from './constants.ts'
import { opKeys } from './data.ts'
import { keySlot } from './keyslot.ts'

/** redis-py's default: give up after 16 redirections. */
const MAX_REDIRECTS = 16
const BACKOFF_START_MS = 50
const BACKOFF_MAX_MS = 800

/**
 * GET, SET, INCR (on a counter key beside each register), MSET of two keys sharing a hash
 * tag, and `rget`: a GET sent to a replica in READONLY mode (it may be stale, so the
 * write-loss account does not count it as a read).
 */
export function makeRedisOp(draw: { f: string; key: string; value: number }): ClientOp {
  const { f, key, value } = draw
  if (f === 'get' || f === 'rget') return { f, key }
  if (f === 'incr') return { f, key: `${key}:ctr` }
  if (f === 'mset') return { f, key, value, pairs: [[key, value], [`{${key}}.b`, value]] }
  return { f: 'set', key, value }
}

/** Reads, and the CLUSTER commands a scenario asks (they change nothing either). */
const isRead = (op: ClientOp) => op.f === 'get' || op.f === 'rget' || op.f === 'cluster-slots' || op.f === 'cluster-nodes'

export function createRedisClient(ctx: ClientContext): ClientHandlers {
  const slotMap: Array<NodeId | undefined> = new Array(SLOTS)
  /** Per slot, the master's replicas (for READONLY reads). */
  const replicaMap: Array<NodeId[] | undefined> = new Array(SLOTS)
  let op: ClientOp | null = null
  let seq = -1
  let attemptId = -1
  let refreshId = -1
  let timer: TimerId | null = null
  let ambiguous = false
  let redirects = 0
  let backoffMs = BACKOFF_START_MS
  /** A request is out with no answer yet: a write may still take effect. */
  let inFlight = false

  /** A command without keys (CLUSTER SLOTS, CLUSTER NODES) asks about one node's view: every attempt goes there. */
  let pinned: NodeId | null = null

  const routeOf = (o: ClientOp): NodeId => {
    if (pinned !== null) return pinned
    const slot = keySlot(opKeys(o)![0]!)
    const replicas = o.f === 'rget' ? replicaMap[slot] : undefined
    if (replicas && replicas.length > 0) return ctx.rng.pick(replicas)
    return slotMap[slot] ?? ctx.rng.pick(ctx.nodes)
  }
  const clearTimer = () => {
    if (timer !== null) ctx.cancelTimer(timer)
    timer = null
  }
  const attempt = (to: NodeId, asking = false): void => {
    if (!op) return
    clearTimer()
    attemptId = ctx.send(to, asking ? { ...op, asking: true } : op)
    inFlight = true
    timer = ctx.setTimer('attempt', ctx.workload.requestTimeoutUs)
  }
  const refresh = (from: NodeId): void => {
    refreshId = ctx.send(from, { f: 'cluster-slots' })
  }
  const finish = (type: 'ok' | 'fail', value: unknown, error?: string): void => {
    clearTimer()
    const current = op
    op = null
    if (type === 'ok') return ctx.complete(seq, { type: 'ok', value })
    const unknownFate = ambiguous && current !== null && !isRead(current)
    ctx.complete(seq, unknownFate ? { type: 'info', error } : { type: 'fail', error: error ?? 'failed' })
  }
  const learnMap = (entries: SlotsEntry[]): void => {
    for (const [first, last, master, ...replicas] of entries) {
      const replicaAddrs = replicas.map((r) => r[0])
      for (let s = first; s <= last; s++) (slotMap[s] = master![0]), (replicaMap[s] = replicaAddrs)
    }
  }
  const redirected = (response: ClientResponse): void => {
    if (++redirects > MAX_REDIRECTS) return finish('fail', undefined, 'Too many Cluster redirections')
    const to = response.redirectTo!
    if (response.moved !== undefined) {
      slotMap[response.moved as number] = to
      refresh(to)
      return attempt(to)
    }
    attempt(to, true)
  }

  return {
    invoke(next, nextSeq, to) {
      if (refreshId === -1) refresh(ctx.home)
      op = next
      seq = nextSeq
      ambiguous = false
      redirects = 0
      backoffMs = BACKOFF_START_MS
      const keys = opKeys(next)
      pinned = keys === null || keys.length === 0 ? (to ?? ctx.home) : null
      // A scenario's step may name the first node to ask (to show a MOVED from a node that no
      // longer owns the slot); after that the slot map routes as usual.
      attempt(to ?? routeOf(next))
    },
    onResponse(from, requestId, response) {
      if (requestId === refreshId) {
        if (response.ok) learnMap(response.value as SlotsEntry[])
        return
      }
      if (!op || requestId !== attemptId) return
      inFlight = false
      if (response.ok) return finish('ok', response.value)
      if (response.definite !== true && !isRead(op)) ambiguous = true
      if (response.redirectTo !== undefined) return redirected(response)
      if (response.retry) {
        clearTimer()
        refresh(ctx.rng.pick(ctx.nodes))
        timer = ctx.setTimer('backoff', backoffMs * US_PER_MS)
        backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2)
        return
      }
      finish('fail', undefined, response.error)
    },
    onTimer(name) {
      if (!op) return
      timer = null
      if (name === 'backoff') return attempt(routeOf(op))
      inFlight = false
      // No answer: a write may have happened. Ask someone else for the map, and try again.
      if (!isRead(op)) ambiguous = true
      if (pinned !== null) return attempt(pinned)
      const other = ctx.rng.pick(ctx.nodes)
      refresh(other)
      attempt(other)
    },
    onDeadline() {
      clearTimer()
      const verdict = op !== null && !isRead(op) && (ambiguous || inFlight) ? 'info' : 'fail'
      op = null
      return verdict
    },
  }
}
