/**
 * Runs the simulated clients: hands each one its next operation after a think time,
 * gives every operation a deadline, routes the nodes' answers to it, and records the
 * history (invoke, then exactly one of ok, fail, info).
 */
import { type ClientContext, type ClientHandlers, type ClientOutcome, createDefaultClient } from './clients/client.ts'
import type { HistoryEntry } from './clients/history.ts'
import { OpGenerator } from './clients/workload.ts'
import { checkDelay, type Simulation } from './engine.ts'
import { copyUnlessImmutable, deepFreeze } from './freeze.ts'
import { withoutUndefined } from './objects.ts'
import type { ResolvedOptions } from './options.ts'
import type { ClientOp, ClientRequest, ClientResponse, NodeId } from './protocol.ts'
import { CLIENT_INVOKE, CLIENT_TIMER, OP_DEADLINE, type Packet, type TimerRecord } from './queue-event.ts'
import type { RandomStream } from './random.ts'

interface CurrentOp {
  op: number
  seq: number
  spec: ClientOp
}

interface ClientSlot {
  id: string
  /** Endpoint index (after the nodes). */
  endpoint: number
  handlers: ClientHandlers
  gen: OpGenerator
  rng: RandomStream
  current: CurrentOp | null
  nextSeq: number
  nextRequestId: number
  timers: Map<number, TimerRecord>
  ctx: ClientContext
  /** Acts only on plan `invoke` steps (workload.scripted): no random operations, no think time. */
  scripted: boolean
}

const OUTCOMES = new Set<unknown>(['ok', 'fail', 'info'])

/** Stands in for a client whose createClient threw (the run stops at once). */
const IDLE_CLIENT: ClientHandlers = { invoke() {}, onResponse() {}, onTimer() {} }

export class ClientRuntime {
  readonly history: HistoryEntry[] = []
  private readonly slots: ClientSlot[]
  private nextOp = 0

  constructor(
    private readonly sim: Simulation,
    private readonly options: ResolvedOptions,
    root: RandomStream,
  ) {
    this.slots = options.clientIds.map((id, i) => this.makeSlot(id, i, root.fork(`client/${id}`)))
  }

  /** Schedules each client's first operation at a random moment within one think time. */
  start(): void {
    for (const c of this.slots) this.createHandlers(c)
    for (const c of this.slots) if (!c.scripted) this.sim.push(c.rng.int(0, this.options.workload.thinkUs), CLIENT_INVOKE, c.endpoint, null)
  }

  /** Starts `op` on scripted client `id` now; returns why it could not (for the trace), or null. */
  invokeScripted(id: string, op: ClientOp, to: NodeId | undefined): string | null {
    const c = this.slots.find((slot) => slot.id === id)
    if (c === undefined) return `no client '${id}' in this run`
    if (!c.scripted) return `${id} is not a scripted client, so it cannot take an invoke step`
    if (c.current) return `${id} is still busy with its operation ${c.current.op}, so it skipped ${op.f}`
    this.callClient(c, () => this.start1(c, c.endpoint, deepFreeze(structuredClone(op)), to))
    return null
  }

  invoke(endpoint: number): void {
    const c = this.slotAt(endpoint)
    const stopAt = this.options.workload.stopAtUs
    if (c.current || (stopAt !== null && this.sim.now() >= stopAt)) return
    // makeOp is protocol code too: a throw, or a value JSON cannot hold, is a reported error.
    // Frozen: the operation is a value that its requests carry, so a send needs no copy of it.
    this.callClient(c, () => this.start1(c, endpoint, deepFreeze(c.gen.next()), undefined))
  }

  private start1(c: ClientSlot, endpoint: number, spec: ClientOp, to: NodeId | undefined): void {
    const cur = { op: this.nextOp++, seq: c.nextSeq++, spec }
    const value = spec.f === 'cas' ? [spec.expected, spec.value] : spec.value
    c.current = cur
    if (this.sim.tracing) {
      this.sim.setCause(this.sim.emitTrace(withoutUndefined({ i: 0, t: this.sim.now(), type: 'invoke' as const, client: c.id, op: cur.op, f: spec.f, key: spec.key, value })))
    }
    this.record(c, 'invoke', value, undefined)
    this.sim.push(this.sim.now() + this.options.workload.opTimeoutUs, OP_DEADLINE, endpoint, cur.op)
    c.handlers.invoke(spec, cur.seq, to)
  }

  deadline(endpoint: number, op: number): void {
    const c = this.slotAt(endpoint)
    if (c.current?.op !== op) return
    const verdict: { of: 'fail' | 'info' } = { of: 'info' }
    this.callClient(c, () => (verdict.of = c.handlers.onDeadline?.() ?? 'info'))
    this.complete(c, verdict.of === 'fail' ? { type: 'fail', error: 'timeout' } : { type: 'info', error: 'timeout' })
  }

  deliver(p: Packet): void {
    const c = this.slotAt(p.to)
    if (this.sim.isCut(p.from, p.to)) return this.sim.drop(p, 'partition')
    this.sim.stats.delivered++
    if (this.sim.tracing) this.sim.setCause(this.sim.emitTrace({ i: 0, t: this.sim.now(), type: 'deliver', id: p.id, from: this.sim.nameOf(p.from), to: c.id, mtype: p.mtype }))
    const { requestId, response } = p.msg as { requestId: number; response: ClientResponse }
    this.callClient(c, () => c.handlers.onResponse(this.sim.nameOf(p.from), requestId, response))
  }

  fireTimer(timer: TimerRecord): void {
    const c = this.slotAt(timer.owner)
    if (timer.cancelled) return
    c.timers.delete(timer.id)
    this.callClient(c, () => c.handlers.onTimer(timer.name))
  }

  private complete(c: ClientSlot, outcome: ClientOutcome): void {
    const cur = c.current
    if (!cur) return
    c.current = null
    const value = outcome.type === 'ok' ? outcome.value : undefined
    const error = outcome.type === 'ok' ? undefined : outcome.error
    this.record(c, outcome.type, value, error, cur)
    if (outcome.type === 'ok') c.gen.observe(cur.spec.key, cur.spec.f === 'get' ? value : cur.spec.value)
    if (this.sim.tracing) this.sim.emitTrace(withoutUndefined({ i: 0, t: this.sim.now(), type: 'complete' as const, client: c.id, op: cur.op, f: cur.spec.f, outcome: outcome.type, value, error }))
    if (!c.scripted) {
      const thinkUs = Math.round(c.rng.exponential(this.options.workload.thinkUs))
      this.sim.push(this.sim.now() + thinkUs, CLIENT_INVOKE, c.endpoint, null)
    }
    // History-based checks ("an acknowledged write is never lost") see each completion.
    this.sim.checkInvariants(null)
  }

  private record(c: ClientSlot, type: HistoryEntry['type'], value: unknown, error: string | undefined, cur = c.current!): void {
    if (!this.options.recordHistory) return
    // Built without undefined fields (in this key order) rather than deleting them after: a delete makes a slow object.
    const entry: HistoryEntry = { index: this.history.length, type, process: c.id, op: cur.op, f: cur.spec.f } as HistoryEntry
    if (cur.spec.key !== undefined) entry.key = cur.spec.key
    if (value !== undefined) entry.value = value
    if (error !== undefined) entry.error = error
    entry.timeUs = this.sim.now()
    this.history.push(entry)
  }

  private callClient(c: ClientSlot, body: () => void): void {
    try {
      body()
    } catch (err) {
      this.sim.reportNodeError(c.id, err)
    }
  }

  private slotAt(endpoint: number): ClientSlot {
    return this.slots[endpoint - this.sim.nodeIds.length]!
  }

  private makeSlot(id: string, i: number, rng: RandomStream): ClientSlot {
    const nodeIds = this.options.nodeIds
    const endpoint = nodeIds.length + i
    const scripted = i < (this.options.workload.scripted ?? 0)
    const reads = this.options.protocol.readOnlyOps ?? ['get']
    const readOnly = (f: string): boolean => reads.includes(f)
    const slot = { id, endpoint, rng, current: null, nextSeq: 0, nextRequestId: 0, timers: new Map(), scripted } as unknown as ClientSlot
    slot.gen = new OpGenerator(this.options.workload, i, rng.fork('ops'), this.options.protocol.makeOp)
    const ctx: ClientContext = {
      id, nodes: nodeIds, home: nodeIds[i % nodeIds.length]!, workload: this.options.workload, rng, readOnly,
      now: () => this.sim.now(),
      send: (to, op) => this.send(slot, to, op),
      setTimer: (name, afterUs) => this.setTimer(slot, name, afterUs),
      cancelTimer: (timerId) => {
        const t = slot.timers.get(timerId)
        if (t) (t.cancelled = true), slot.timers.delete(timerId)
      },
      complete: (seq, outcome) => {
        if (!OUTCOMES.has(outcome?.type)) throw new TypeError(`${id} completed with outcome ${JSON.stringify(outcome?.type)}: expected ok, fail or info`)
        if (slot.current?.seq === seq) this.complete(slot, outcome)
      },
      note: (kind, data) => this.sim.note(id, kind, data),
    }
    slot.ctx = ctx
    return slot
  }

  /** Made at the run's start, so a createClient that throws is a reported error like any other. */
  private createHandlers(c: ClientSlot): void {
    c.handlers = IDLE_CLIENT
    this.callClient(c, () => (c.handlers = this.options.protocol.createClient?.(c.ctx) ?? createDefaultClient(c.ctx)))
  }

  private send(c: ClientSlot, to: string, op: ClientOp): number {
    const toIndex = this.sim.endpointIndex(to)
    if (toIndex === undefined || toIndex >= this.sim.nodeIds.length) throw new Error(`${c.id} sent to unknown node '${to}'`)
    // The operation invoke() handed over is frozen already; anything else is copied, so the client cannot change it after sending.
    const request: ClientRequest = deepFreeze({ client: c.id, requestId: c.nextRequestId++, seq: c.current?.seq ?? -1, op: copyUnlessImmutable(op) })
    this.sim.transmit(c.endpoint, toIndex, 'request', `client:${op.f}`, request)
    return request.requestId
  }

  private setTimer(c: ClientSlot, name: string, afterUs: number): number {
    checkDelay(c.id, name, afterUs, this.sim.now())
    const dueUs = this.sim.now() + Math.round(afterUs)
    const timer: TimerRecord = { id: this.sim.newTimerId(), name, owner: c.endpoint, incarnation: 0, cancelled: false, dueUs }
    c.timers.set(timer.id, timer)
    this.sim.push(dueUs, CLIENT_TIMER, c.endpoint, timer)
    return timer.id
  }
}
