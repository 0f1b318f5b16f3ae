/**
 * The fault operations on a running simulation: crash, restart, pause, resume, partition,
 * network changes and clock changes. Plan steps reach them through fault-apply.ts (which
 * resolves selectors); harnesses reach them through the Simulation's methods. Each records
 * its event, which becomes the cause of whatever follows from it.
 */
import { PPM } from './clock.ts'
import type { Network, NetworkChange } from './network/network.ts'
import type { Cut } from './network/types.ts'
import type { NodeSlot } from './node-slot.ts'
import type { NodeId } from './protocol.ts'
import { DELIVER, NODE_TIMER, type Packet, type QueueEvent, type TimerRecord } from './queue-event.ts'
import type { Micros } from './time.ts'
import type { Tracer } from './tracer.ts'
import type { Transport } from './transport.ts'

export interface FaultHost {
  now(): Micros
  push(at: Micros, kind: number, target: number, data: QueueEvent['data']): void
  /** Makes a fresh node object for a slot (a restart). */
  boot(slot: NodeSlot): void
  setCause(traceIndex: number): void
  slotOf(id: NodeId): NodeSlot
  /** Says in the trace that a step did nothing, and why. */
  skip(step: number | undefined, reason: string): void
  /** Counts a fault actually applied. */
  countFault(): void
}

export class FaultOps {
  constructor(
    private readonly host: FaultHost,
    private readonly network: Network,
    private readonly tracer: Tracer,
    private readonly transport: Transport,
  ) {}

  crash(id: NodeId, step?: number): void {
    const slot = this.host.slotOf(id)
    if (slot.status === 'crashed') return this.host.skip(step, `${id} is already crashed`)
    const parked = slot.parked
    const lostWrites = slot.crash(this.host.now())
    this.tracer.forgetView(slot.id)
    this.record({ i: 0, t: this.host.now(), type: 'crash', node: id, lostWrites }, step)
    // Messages that waited at a paused node die with it, and say so.
    for (const e of parked) if (e.kind === DELIVER) this.transport.drop(e.data as Packet, 'node-down')
  }

  restart(id: NodeId, step?: number): void {
    const slot = this.host.slotOf(id)
    if (slot.status !== 'crashed') return this.host.skip(step, `${id} is ${slot.status}, not crashed`)
    this.record({ i: 0, t: this.host.now(), type: 'restart', node: id }, step)
    this.host.boot(slot)
  }

  pause(id: NodeId, step?: number): void {
    const slot = this.host.slotOf(id)
    if (slot.status !== 'up') return this.host.skip(step, `${id} is ${slot.status}, not up`)
    slot.status = 'paused'
    slot.since = this.host.now()
    this.record({ i: 0, t: this.host.now(), type: 'pause', node: id }, step)
  }

  /** What waited at the paused node (messages, late timers) runs now, in arrival order. */
  resume(id: NodeId, step?: number): void {
    const slot = this.host.slotOf(id)
    if (slot.status !== 'paused') return this.host.skip(step, `${id} is ${slot.status}, not paused`)
    slot.status = 'up'
    this.record({ i: 0, t: this.host.now(), type: 'resume', node: id }, step)
    for (const e of slot.parked) this.host.push(this.host.now(), e.kind, e.target, e.data)
    slot.parked = []
  }

  /** Replaces the current partition; null heals it. */
  setPartition(cut: Cut | null, step?: number): void {
    this.network.setCut(cut)
    const c = this.network.currentCut
    const t = this.host.now()
    if (c) this.record({ i: 0, t, type: 'partition', description: c.description, groups: c.groups, blocked: c.blocked }, step)
    else this.record({ i: 0, t, type: 'partition', description: 'healed', groups: null, blocked: [] }, step)
  }

  changeNetwork(change: NetworkChange, step?: number): void {
    this.network.change(change)
    this.record({ i: 0, t: this.host.now(), type: 'network', change: { ...change } }, step)
  }

  setClock(id: NodeId, change: { offsetUs?: Micros; driftPpm?: number }, step?: number): void {
    const slot = this.host.slotOf(id)
    const t = this.host.now()
    const oldDriftPpm = slot.clock.drift
    slot.clock.set(t, change)
    if (slot.clock.drift !== oldDriftPpm) this.requeueTimers(slot, oldDriftPpm)
    this.record({ i: 0, t, type: 'clock', node: id, offsetUs: slot.clock.offsetAt(t), driftPpm: slot.clock.drift }, step)
  }

  /**
   * Timers count local time: when a node's clock changes rate, what is left of each pending
   * timer (in local time, at the old rate) is re-timed at the new rate. Without this a clock
   * that nearly stopped kept its timers hours away even after it was set right. An offset
   * jump moves no timer: timers run on the node's monotonic clock, not its wall clock.
   */
  private requeueTimers(slot: NodeSlot, oldDriftPpm: number): void {
    const now = this.host.now()
    for (const [id, timer] of slot.timers) {
      if (timer.cancelled || timer.dueUs <= now) continue // due already: fired, or parked at a paused node
      const localLeftUs = Math.round(((timer.dueUs - now) * (PPM + oldDriftPpm)) / PPM)
      const dueUs = now + slot.clock.trueDelay(localLeftUs)
      if (dueUs === timer.dueUs) continue
      timer.cancelled = true
      const moved: TimerRecord = { ...timer, cancelled: false, dueUs }
      slot.timers.set(id, moved)
      this.host.push(dueUs, NODE_TIMER, slot.index, moved)
    }
  }

  private record(event: Parameters<Tracer['emit']>[0], step: number | undefined): void {
    this.host.countFault()
    this.host.setCause(this.tracer.emit(withStep(event, step)))
  }
}

/** The plan step that caused an event, when a plan step did. */
export function withStep<E extends object>(event: E, step: number | undefined): E {
  return step === undefined ? event : { ...event, step }
}
