/**
 * One node as the engine holds it: its status, clock, durable storage, timers and the
 * handlers object the protocol made. A crash throws the handlers and timers away and
 * bumps the incarnation, so anything scheduled for the old incarnation is ignored.
 */
import { NodeClock } from './clock.ts'
import type { NodeHandlers, NodeId } from './protocol.ts'
import type { QueueEvent, TimerRecord } from './queue-event.ts'
import type { RandomStream } from './random.ts'
import { NodeStorage } from './storage.ts'
import type { Micros } from './time.ts'
import type { NodeStatus } from './trace/events.ts'

export class NodeSlot {
  status: NodeStatus = 'up'
  incarnation = 0
  /** How many times the node has booted (the first boot included). */
  boots = 0
  handlers: NodeHandlers<unknown> | null = null
  readonly clock = new NodeClock()
  readonly storage: NodeStorage
  readonly timers = new Map<number, TimerRecord>()
  /** Events that arrived while paused, in arrival order: they run when the node resumes. */
  parked: QueueEvent[] = []
  /** True time of the last crash or pause, for the 'crashed' and 'paused' selectors. */
  since: Micros = 0
  /** Sends during the current handler call, bounded so a runaway loop becomes a reported error. */
  sendsThisCall = 0

  constructor(
    readonly id: NodeId,
    readonly index: number,
    readonly rng: RandomStream,
    loseUnsyncedWrites: boolean,
  ) {
    this.storage = new NodeStorage(loseUnsyncedWrites)
  }

  /** Drops volatile state; returns the number of unsynced writes lost. */
  crash(timeUs: Micros): number {
    this.status = 'crashed'
    this.incarnation++
    this.handlers = null
    for (const t of this.timers.values()) t.cancelled = true
    this.timers.clear()
    this.parked = []
    this.since = timeUs
    return this.storage.crash()
  }
}
