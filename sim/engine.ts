/**
 * The simulation engine: a seeded discrete-event loop over nodes, clients, a network and a
 * nemesis plan. It knows no protocol: it calls the handlers a Protocol makes and routes
 * every effect through their contexts. Same options and seed give the same run, event for
 * event; the trace records it.
 */
import { ClientRuntime } from './client-runtime.ts'
import { createNodeContext, type EngineServices } from './context.ts'
import { deepFreeze } from './freeze.ts'
import { EventHeap } from './heap.ts'
import { InvariantRunner } from './invariant-runner.ts'
import { Network, type NetworkChange } from './network/network.ts'
import { networkConfigToJson } from './network/config.ts'
import type { Cut } from './network/types.ts'
import { applyPlanAction } from './fault-apply.ts'
import { planToJson } from './nemesis/plan.ts'
import { DELAYED_ACTION, PlanWaits, WINDOW_END } from './nemesis/wait.ts'
import type { PlanAction, PlanStep } from './nemesis/types.ts'
import { NodeSlot } from './node-slot.ts'
import { resolveOptions, type ResolvedOptions, type SimulationOptions } from './options.ts'
import type { ClientOp, ClientRequest, ClientResponse, NodeCommand, NodeHandlers, NodeId, NodeView, TimerId } from './protocol.ts'
import { CLIENT_INVOKE, CLIENT_TIMER, DELIVER, NEMESIS, NODE_TIMER, OP_DEADLINE, type Packet, type PacketKind, QueueEvent, type TimerRecord } from './queue-event.ts'
import { RandomStream } from './random.ts'
import { emptyStats, type RunLimit, type RunResult, type RunStats, type StopInfo } from './result.ts'
import { formatSeed } from './seed.ts'
import type { Micros } from './time.ts'
import type { DropReason, NodeStatus, TraceFooter } from './trace/events.ts'
import { type CheckpointSource, Tracer } from './tracer.ts'
import { FaultOps, withStep } from './fault-ops.ts'
import { Transport } from './transport.ts'

/** One handler call may send at most this many messages: a runaway loop becomes a reported error. */
export const MAX_SENDS_PER_CALL = 100_000

export class Simulation implements EngineServices {
  readonly options: ResolvedOptions
  readonly nodeIds: readonly NodeId[]
  readonly stats: RunStats = emptyStats()
  private readonly slots: NodeSlot[]
  private readonly indexOf = new Map<string, number>()
  private readonly queue = new EventHeap<QueueEvent>()
  private readonly network: Network
  private readonly tracer: Tracer
  private readonly checkpointSource: CheckpointSource
  private readonly invariants: InvariantRunner
  readonly clients: ClientRuntime
  private readonly nemesisRng: RandomStream
  private readonly transport: Transport
  private readonly faults: FaultOps
  /** Plan steps waiting for their node (`until`); checked after every event only while one is open. */
  private readonly waits = new PlanWaits()
  private seq = 0
  private readonly freezeMessages: boolean
  private nextTimerId = 0
  private timeUs: Micros = 0
  private processed = 0
  private started = false
  private finished: RunResult | null = null
  private stop: StopInfo | null = null
  /** Why the latest run() returned, for the trace footer. */
  private lastStop: StopInfo | null = null
  /** Trace index of the event being handled, so a violation can name its cause. */
  private causeIndex = -1

  constructor(options: SimulationOptions) {
    this.options = resolveOptions(options)
    const o = this.options
    const root = RandomStream.root(o.seed)
    this.nodeIds = o.nodeIds
    this.freezeMessages = o.freezeMessages
    this.slots = o.nodeIds.map((id, i) => new NodeSlot(id, i, root.fork(`node/${id}`), o.loseUnsyncedWrites))
    const endpoints = [...o.nodeIds, ...o.clientIds]
    endpoints.forEach((id, i) => this.indexOf.set(id, i))
    const sideOf = endpoints.map((_, i) => (i < o.nodeIds.length ? i : (i - o.nodeIds.length) % o.nodeIds.length))
    this.network = new Network(o.network, endpoints, sideOf, o.nodeIds.length, root.fork('net'))
    this.nemesisRng = root.fork('nemesis')
    this.tracer = new Tracer(o.trace, o.checkpointEvery)
    this.transport = new Transport(this, this.network, this.tracer, this.stats, this.slots, o.protocol, o.countBytes)
    this.faults = new FaultOps(this, this.network, this.tracer, this.transport)
    this.checkpointSource = {
      nodeIds: o.nodeIds,
      status: () => Object.fromEntries(this.slots.map((s) => [s.id, s.status])),
      partition: () => {
        const c = this.network.currentCut
        return c ? { description: c.description, groups: c.groups, blocked: c.blocked } : null
      },
      inFlight: () => this.transport.inFlight(this.queue),
    }
    this.invariants = new InvariantRunner(o, (id) => this.slotOf(id))
    this.clients = new ClientRuntime(this, o, root)
  }

  // ---- inspection ------------------------------------------------------------------

  now(): Micros {
    return this.timeUs
  }

  get eventCount(): number {
    return this.processed
  }

  /** Events waiting in the queue (for benchmarks and diagnostics). */
  get queueDepth(): number {
    return this.queue.size
  }

  get traceEventCount(): number {
    return this.tracer.count
  }

  status(id: NodeId): NodeStatus {
    return this.slotOf(id).status
  }

  /** The live node object the protocol made, or undefined while crashed. */
  node<N = NodeHandlers<unknown>>(id: NodeId): N | undefined {
    return (this.slotOf(id).handlers ?? undefined) as N | undefined
  }

  /** A node's view now (null while crashed). A view() that throws is reported as a node error. */
  view(id: NodeId): NodeView | null {
    return this.safeView(this.slotOf(id))
  }

  private safeView(slot: NodeSlot): NodeView | null {
    try {
      return slot.handlers?.view() ?? null
    } catch (err) {
      this.reportNodeError(slot.id, err)
      return null
    }
  }

  storage(id: NodeId): NodeSlot['storage'] {
    return this.slotOf(id).storage
  }

  get partition(): Cut | null {
    return this.network.currentCut
  }

  get history(): RunResult['history'] {
    return this.clients.history
  }

  // ---- running ---------------------------------------------------------------------

  /** Runs until a limit is reached; may be called again to continue. */
  run(limit: RunLimit = {}): StopInfo {
    this.ensureStarted()
    if (this.stop) return this.stop
    // Time is an integer number of microseconds: a fractional limit stops at the microsecond before.
    const untilUs = limit.untilUs === undefined ? Number.POSITIVE_INFINITY : Math.floor(limit.untilUs)
    const stopAfter = limit.maxEvents === undefined ? Number.POSITIVE_INFINITY : this.processed + limit.maxEvents
    // One bound for the hot loop; which of the two it was is sorted out once, at the end.
    const eventBound = Math.min(stopAfter, this.options.maxEvents)
    const stopWhen = limit.stopWhen
    const tracing = this.tracer.enabled
    for (;;) {
      const next = this.queue.peek()
      if (next === undefined) return this.stopWith('idle', untilUs)
      if (next.at > untilUs) return this.stopWith('time', untilUs)
      if (this.processed >= eventBound) return this.stopWith(this.processed >= stopAfter ? 'events' : 'budget', untilUs)
      this.queue.pop()
      this.timeUs = next.at
      this.processed++
      this.dispatch(next)
      if (this.waits.watching && this.stop === null && this.waits.check(this.faultTarget, this.timeUs)) this.checkInvariants(null)
      const stopped = this.stop as StopInfo | null // dispatch may have set it
      if (stopped !== null) return this.stopWith(stopped.reason, untilUs)
      if (tracing) this.tracer.maybeCheckpoint(this.timeUs, this.checkpointSource)
      if (stopWhen !== undefined && stopWhen(this)) return this.stopWith('predicate', untilUs)
    }
  }

  private stopWith(reason: StopInfo['reason'], untilUs: Micros): StopInfo {
    if (reason === 'time' || (reason === 'idle' && Number.isFinite(untilUs))) this.timeUs = Math.max(this.timeUs, untilUs)
    if (this.stop) return this.stop
    const info: StopInfo = { reason, timeUs: this.timeUs, events: this.processed }
    // Violations, handler errors and the budget end the run for good; the others pause it.
    if (reason === 'budget') this.stop = { ...info, message: `event budget of ${this.options.maxEvents} events exhausted at ${this.timeUs}us` }
    this.lastStop = this.stop ?? info
    return this.lastStop
  }

  /** Writes the trace footer and returns the run's result. Further runs are not possible. */
  finish(): RunResult {
    if (this.finished) return this.finished
    this.ensureStarted()
    const reason = this.stop?.reason ?? this.lastStop?.reason ?? 'time'
    const footer: TraceFooter | null = this.tracer.finish({ endTimeUs: this.timeUs, stoppedBy: reason })
    this.finished = {
      seed: formatSeed(this.options.seed),
      protocol: this.options.protocol.name,
      stoppedBy: reason,
      stopMessage: this.stop?.message ?? null,
      events: this.processed,
      traceEvents: this.tracer.count,
      simTimeUs: this.timeUs,
      violation: this.invariants.violation,
      nodeError: this.stop?.reason === 'node-error' ? (this.stop.message ?? null) : null,
      traceHash: footer?.hash ?? null,
      stats: this.stats,
      history: this.clients.history,
      reports: this.endReports(),
    }
    this.stop ??= { reason, timeUs: this.timeUs, events: this.processed }
    return this.finished
  }

  /** Invariants' end-of-run accounts; one that throws is reported in place of its account, never crashing finish(). */
  private endReports(): RunResult['reports'] {
    try {
      return this.invariants.reports(this.timeUs, this.processed, this.clients.history)
    } catch (err) {
      return [{ invariant: this.invariants.current ?? '?', summary: `report failed: ${err instanceof Error ? err.message : String(err)}`, details: [] }]
    }
  }

  /** Abandons the trace (a file sink removes its temporary file). */
  abort(): void {
    this.tracer.abort()
  }

  private ensureStarted(): void {
    if (this.started) return
    this.started = true
    const o = this.options
    // Untraced runs (a check's passing runs) skip building the header: the plan's JSON copy is not free.
    if (this.tracer.enabled) this.tracer.header({
      type: 'header', format: 'faultline-trace', version: 1, seed: formatSeed(o.seed), protocol: o.protocol.name,
      mutant: o.mutant, nodes: [...o.nodeIds], clients: [...o.clientIds],
      config: { protocol: o.config, network: networkConfigToJson(o.network), workload: o.workload, loseUnsyncedWrites: o.loseUnsyncedWrites, maxEvents: o.maxEvents, invariants: o.invariants, freezeMessages: o.freezeMessages, ...o.traceMeta },
      plan: planToJson(o.plan), checkpointEvery: o.checkpointEvery,
    })
    for (const slot of this.slots) this.boot(slot)
    o.plan.forEach((step, i) => {
      this.push(step.at, NEMESIS, -1, i)
      // The window's end is queued now, so at `until` it closes before anything queued later for that moment.
      if (step.until !== undefined) this.push(step.until, NEMESIS, WINDOW_END, i)
    })
    this.clients.start()
  }

  // ---- the event queue -------------------------------------------------------------

  push(at: Micros, kind: number, target: number, data: QueueEvent['data']): void {
    this.queue.push(new QueueEvent(at, this.seq++, kind, target, data))
  }

  private dispatch(e: QueueEvent): void {
    switch (e.kind) {
      case DELIVER: return this.deliver(e)
      case NODE_TIMER: return this.fireNodeTimer(e)
      case CLIENT_TIMER: return this.clients.fireTimer(e.data as TimerRecord)
      case NEMESIS: return this.runNemesis(e.target, e.data as number)
      case CLIENT_INVOKE: return this.clients.invoke(e.target)
      case OP_DEADLINE: return this.clients.deadline(e.target, e.data as number)
    }
  }

  // ---- nodes -----------------------------------------------------------------------

  /** Makes the node's handlers (at the start, and at each restart) and runs onStart. */
  boot(slot: NodeSlot): void {
    slot.status = 'up'
    // After a restart, messages sent to the earlier life or while the node was down are not
    // for this one. (At the first boot, messages from nodes that booted earlier are.)
    if (slot.boots++ > 0) slot.incarnation++
    const ctx = createNodeContext(slot, this.nodeIds, this)
    slot.sendsThisCall = 0
    try {
      slot.handlers = this.options.protocol.createNode(ctx, { config: this.options.config, mutant: this.options.mutant }) as NodeHandlers<unknown>
      slot.handlers.onStart?.()
    } catch (err) {
      this.reportNodeError(slot.id, err)
    }
    if (slot.handlers && this.tracer.enabled) this.traceView(slot, true)
    this.checkInvariants(slot.id)
  }

  /**
   * Runs one handler of a live node. A throw (a student's bug, a mutation of a frozen message,
   * an unserialisable value) becomes a node error that ends the run, never an engine crash.
   */
  private runHandler(slot: NodeSlot, call: HandlerCall, a: unknown, b: unknown): void {
    const handlers = slot.handlers!
    slot.sendsThisCall = 0
    try {
      switch (call) {
        case ON_MESSAGE: handlers.onMessage(a as NodeId, b); break
        case ON_REQUEST: this.handleRequest(slot, handlers, b as ClientRequest); break
        case ON_TIMER: handlers.onTimer(a as string, b as TimerId); break
        case ON_COMMAND: this.handleCommand(slot, handlers, b as NodeCommand); break
      }
    } catch (err) {
      this.reportNodeError(slot.id, err)
    }
    if (this.tracer.enabled && slot.handlers) this.traceView(slot, false)
    this.checkInvariants(slot.id)
  }

  reportNodeError(who: string, err: unknown): void {
    const message = describeError(err)
    this.tracer.emit({ i: 0, t: this.timeUs, type: 'node-error', node: who, message, cause: this.causeIndex })
    this.stop ??= { reason: 'node-error', timeUs: this.timeUs, events: this.processed, message: `${who}: ${message}` }
  }

  /** Runs the safety invariants; one that throws is reported like a handler that throws. */
  checkInvariants(touched: NodeId | null): void {
    if (this.stop) return
    try {
      this.invariants.check(this.timeUs, this.processed, touched, this.causeIndex, this.clients.history, this.onViolation)
    } catch (err) {
      this.reportNodeError(`invariant ${this.invariants.current ?? '?'}`, err)
    }
  }

  private traceView(slot: NodeSlot, whole: boolean): void {
    const handlers = slot.handlers
    if (!handlers) return
    try {
      this.tracer.view(this.timeUs, slot.id, checkView(slot.id, handlers.view()), whole)
    } catch (err) {
      this.reportNodeError(slot.id, err)
    }
  }

  private readonly onViolation = (invariant: string, message: string): void => {
    this.tracer.emit({ i: 0, t: this.timeUs, type: 'violation', invariant, message, cause: this.causeIndex })
    this.stop ??= { reason: 'violation', timeUs: this.timeUs, events: this.processed, message: `${invariant}: ${message}` }
  }

  private deliver(e: QueueEvent): void {
    const p = e.data as Packet
    if (p.to >= this.slots.length) return this.clients.deliver(p)
    const slot = this.slots[p.to]!
    if (slot.status === 'crashed') return this.drop(p, 'node-down')
    if (slot.incarnation !== p.destIncarnation) return this.drop(p, 'restarted')
    if (this.network.isCut(p.from, p.to)) return this.drop(p, 'partition')
    if (slot.status === 'paused') return void slot.parked.push(e)
    this.stats.delivered++
    if (this.tracer.enabled) this.causeIndex = this.tracer.emit({ i: 0, t: this.timeUs, type: 'deliver', id: p.id, from: this.nameOf(p.from), to: slot.id, mtype: p.mtype })
    this.runHandler(slot, p.kind === 'node' ? ON_MESSAGE : ON_REQUEST, this.nameOf(p.from), p.msg)
  }

  private handleRequest(slot: NodeSlot, handlers: NodeHandlers<unknown>, request: ClientRequest): void {
    if (handlers.onClientRequest) handlers.onClientRequest(request)
    else this.reply(slot, request, { ok: false, error: 'unsupported', definite: true })
  }

  private handleCommand(slot: NodeSlot, handlers: NodeHandlers<unknown>, command: NodeCommand): void {
    if (!handlers.onCommand) throw new Error(`${slot.id} has no onCommand handler for command '${command.type}'`)
    handlers.onCommand(command)
  }

  private fireNodeTimer(e: QueueEvent): void {
    const timer = e.data as TimerRecord
    const slot = this.slots[e.target]!
    if (timer.cancelled || timer.incarnation !== slot.incarnation) return void this.processed--
    if (slot.status === 'paused') return void slot.parked.push(e)
    slot.timers.delete(timer.id)
    this.stats.timers++
    if (this.tracer.enabled) this.causeIndex = this.tracer.emit({ i: 0, t: this.timeUs, type: 'timer', node: slot.id, name: timer.name, timer: timer.id })
    this.runHandler(slot, ON_TIMER, timer.name, timer.id)
  }

  /** Hands a protocol operation (a scenario's CLUSTER FAILOVER, a leader transfer) to a node now. */
  command(id: NodeId, command: NodeCommand, step?: number): void {
    this.ensureStarted()
    const slot = this.slotOf(id)
    if (slot.status !== 'up') return this.skip(step, `${id} is ${slot.status}, so it cannot take command '${command.type}'`)
    const frozen = deepFreeze(structuredClone(command))
    this.causeIndex = this.tracer.emit(withStep({ i: 0, t: this.timeUs, type: 'command', node: id, command: frozen }, step))
    this.runHandler(slot, ON_COMMAND, null, frozen)
  }

  /**
   * Hands operation `op` to scripted client `clientId` now (a scenario's client step), its first
   * attempt going to node `to` when given. A client that is not scripted, or still busy, skips it.
   */
  invokeClient(clientId: string, op: ClientOp, to: NodeId | undefined, step?: number): void {
    this.ensureStarted()
    const problem = this.clients.invokeScripted(clientId, op, to)
    if (problem !== null) this.skip(step, problem)
  }

  // ---- services for node contexts ---------------------------------------------------

  sendFromNode(from: NodeSlot, to: NodeId, msg: unknown): void {
    const toIndex = this.indexOf.get(to)
    if (toIndex === undefined || toIndex >= this.slots.length) throw new Error(`${from.id} sent to unknown node '${to}'`)
    if (++from.sendsThisCall > MAX_SENDS_PER_CALL) throw new Error(`${from.id} sent more than ${MAX_SENDS_PER_CALL} messages in one handler call`)
    if (msg === undefined) throw new TypeError(`${from.id} sent undefined to ${to}: a message must be a JSON value`)
    if (this.freezeMessages) deepFreeze(msg)
    const mtype = this.options.protocol.messageType(msg)
    if (typeof mtype !== 'string') throw new TypeError(`messageType() returned ${typeof mtype} for a message from ${from.id}: expected a string`)
    this.transmit(from.index, toIndex, 'node', mtype, msg)
  }

  reply(from: NodeSlot, request: ClientRequest, response: ClientResponse): void {
    const toIndex = this.indexOf.get(request.client)
    if (toIndex === undefined || toIndex < this.slots.length) throw new Error(`${from.id} replied to unknown client '${request.client}'`)
    const mtype = response.ok ? 'reply:ok' : `reply:${response.error ?? 'error'}`
    const msg = { requestId: request.requestId, response }
    this.transmit(from.index, toIndex, 'response', mtype, this.freezeMessages ? deepFreeze(msg) : msg)
  }

  setNodeTimer(slot: NodeSlot, name: string, afterLocalUs: Micros): TimerId {
    checkDelay(slot.id, name, afterLocalUs, this.timeUs)
    const dueUs = this.timeUs + slot.clock.trueDelay(Math.round(afterLocalUs))
    const timer: TimerRecord = { id: this.nextTimerId++, name, owner: slot.index, incarnation: slot.incarnation, cancelled: false, dueUs }
    slot.timers.set(timer.id, timer)
    this.push(dueUs, NODE_TIMER, slot.index, timer)
    return timer.id
  }

  cancelNodeTimer(slot: NodeSlot, id: TimerId): void {
    const timer = slot.timers.get(id)
    if (timer) {
      timer.cancelled = true
      slot.timers.delete(id)
    }
  }

  newTimerId(): number {
    return this.nextTimerId++
  }

  note(node: string, kind: string, data?: Record<string, unknown>): void {
    if (typeof kind !== 'string') throw new TypeError(`${node}: note kind must be a string`)
    if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw new TypeError(`${node}: note '${kind}' data must be an object`)
    if (!this.tracer.enabled) return
    if (data === undefined) this.tracer.emit({ i: 0, t: this.timeUs, type: 'note', node, kind })
    else this.tracer.emit({ i: 0, t: this.timeUs, type: 'note', node, kind, data })
  }

  // ---- the network (the Transport does the work; clients reach it through these) -----

  transmit(from: number, to: number, kind: PacketKind, mtype: string, msg: unknown): void {
    this.transport.transmit(from, to, kind, mtype, msg)
  }

  drop(p: Packet, reason: DropReason): void {
    this.transport.drop(p, reason)
  }

  isCut(from: number, to: number): boolean {
    return this.transport.isCut(from, to)
  }

  readonly nameOf = (endpoint: number): string => {
    return endpoint < this.slots.length ? this.slots[endpoint]!.id : this.options.clientIds[endpoint - this.slots.length]!
  }

  endpointIndex(id: string): number | undefined {
    return this.indexOf.get(id)
  }

  emitTrace: Tracer['emit'] = (event) => this.tracer.emit(event)

  get tracing(): boolean {
    return this.tracer.enabled
  }

  setCause(index: number): void {
    this.causeIndex = index
  }

  // ---- faults (the nemesis, and direct control for harnesses) ------------------------

  /** Applies a fault action now, as a plan step would (selectors resolved with the nemesis stream). */
  apply(action: PlanAction): void {
    this.ensureStarted()
    applyPlanAction(this.faultTarget, action, undefined)
    this.checkInvariants(null)
  }

  /** A plan step's own event (target -1), or a waiting step's window end or delayed action. */
  private runNemesis(target: number, stepIndex: number): void {
    if (target === WINDOW_END) return this.waits.end(this.faultTarget, stepIndex)
    if (target !== DELAYED_ACTION) return this.runPlanStep(stepIndex)
    this.waits.actDelayed(this.faultTarget, stepIndex)
    this.checkInvariants(null)
  }

  private runPlanStep(stepIndex: number): void {
    const step: PlanStep = this.options.plan[stepIndex]!
    if (step.until !== undefined) return this.waits.start(this.faultTarget, step, stepIndex)
    applyPlanAction(this.faultTarget, step, stepIndex)
    this.checkInvariants(null)
  }

  crash(id: NodeId, step?: number): void {
    this.faults.crash(id, step)
  }

  restart(id: NodeId, step?: number): void {
    this.faults.restart(id, step)
  }

  pause(id: NodeId, step?: number): void {
    this.faults.pause(id, step)
  }

  /** Resumes a paused node: what waited for it (messages, late timers) runs now, in arrival order. */
  resume(id: NodeId, step?: number): void {
    this.faults.resume(id, step)
  }

  /** Replaces the current partition (null heals it). */
  setPartition(cut: Cut | null, step?: number): void {
    this.faults.setPartition(cut, step)
  }

  changeNetwork(change: NetworkChange, step?: number): void {
    this.faults.changeNetwork(change, step)
  }

  setClock(id: NodeId, change: { offsetUs?: Micros; driftPpm?: number }, step?: number): void {
    this.faults.setClock(id, change, step)
  }

  private cachedFaultTarget: Parameters<typeof applyPlanAction>[0] | null = null

  /** Made once: waiting steps ask for it after every event of their window. */
  private get faultTarget(): Parameters<typeof applyPlanAction>[0] {
    return (this.cachedFaultTarget ??= {
      nodeIds: this.nodeIds,
      rng: this.nemesisRng,
      slots: this.slots,
      sim: this,
      skip: (step, reason) => this.skip(step, reason),
      viewOf: (slot) => this.safeView(slot),
    })
  }

  /** Records that a plan step (or a harness's action) did nothing, and why. */
  skip(step: number | undefined, reason: string): void {
    this.note('nemesis', 'skipped', step === undefined ? { reason } : { step, reason })
  }

  countFault(): void {
    this.stats.faults++
  }

  slotOf(id: NodeId): NodeSlot {
    const i = this.indexOf.get(id)
    if (i === undefined || i >= this.slots.length) throw new RangeError(`unknown node '${id}' (nodes: ${this.nodeIds.join(', ')})`)
    return this.slots[i]!
  }
}

const ON_MESSAGE = 0
const ON_REQUEST = 1
const ON_TIMER = 2
const ON_COMMAND = 3
type HandlerCall = typeof ON_MESSAGE | typeof ON_REQUEST | typeof ON_TIMER | typeof ON_COMMAND

/**
 * A timer delay must be a finite, non-negative number of microseconds that keeps time an
 * exact integer: NaN or 1e20 would corrupt time itself.
 */
export function checkDelay(owner: string, name: string, delayUs: number, nowUs: Micros): void {
  if (!Number.isFinite(delayUs) || delayUs < 0 || nowUs + 2 * delayUs > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${owner} set timer '${name}' with delay ${delayUs}us: expected a finite, non-negative number of microseconds (below about 140 years)`)
  }
}

/** A view must be a JSON object with a string role: the trace and the viewer rely on both. */
function checkView(id: NodeId, view: unknown): NodeView {
  if (typeof view !== 'object' || view === null || Array.isArray(view) || typeof (view as NodeView).role !== 'string') {
    throw new TypeError(`${id}: view() must return an object with a string 'role', got ${Array.isArray(view) ? 'an array' : typeof view === 'object' ? (view === null ? 'null' : 'an object without a string role') : typeof view}`)
  }
  return view as NodeView
}

/** An error as one line, whatever was thrown (even an object with no prototype). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`
  try {
    return `threw ${String(err)}`
  } catch {
    return `threw a value that cannot be printed (${Object.prototype.toString.call(err)})`
  }
}


