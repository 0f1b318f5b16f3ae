/**
 * The cluster at any moment of a trace, rebuilt from the events alone (no protocol code
 * runs). Seeking starts from the nearest checkpoint at or before the wanted event, so its
 * cost is bounded by the checkpoint interval; stepping forward continues from the last
 * answer. The result for an index never depends on how it was reached: passing over a
 * checkpoint adopts it, exactly as jumping to it does.
 */
import { isDeepStrictEqual } from 'node:util'
import type { ClientId, NodeId, NodeView } from '../protocol.ts'
import type { Micros } from '../time.ts'
import type { EventOf, InFlight, NodeStatus, TraceEvent } from './events.ts'
import { eventsOf, type TraceEvents } from './lazy.ts'
import type { Trace } from './reader.ts'

export { eventsOfType, findEvents, indexAtTime, nextEvent, previousEvent } from './query.ts'

/** A partition as the timeline and checkpoints hold it. */
export type PartitionState = NonNullable<EventOf<'checkpoint'>['partition']>

export interface ClockState {
  offsetUs: Micros
  driftPpm: number
}

/** A client operation invoked and not yet completed. */
export interface PendingOp {
  client: ClientId
  op: number
  f: string
  key?: string
  value?: unknown
  invokedAtUs: Micros
  /** Index of the invoke event. */
  invokeIndex: number
}

export interface ClusterState {
  /** The last event applied; -1 before the first. */
  index: number
  /** Simulated time of that event, in microseconds (0 before the first). */
  time: Micros
  status: Record<NodeId, NodeStatus>
  views: Record<NodeId, NodeView | null>
  /** The current partition, or null when the network is whole. */
  partition: PartitionState | null
  /** Messages sent and neither delivered nor dropped, by id. */
  inFlight: InFlight[]
  clock: Record<NodeId, ClockState>
  /** Operations invoked and not completed, in the order they were invoked. */
  pendingOps: PendingOp[]
  /** The first violation at or before `index`, if any. */
  violation: EventOf<'violation'> | null
}

/** What checkpoints do not carry; the timeline records it at each checkpoint in one pass. */
interface SideState {
  clock: Record<NodeId, ClockState>
  pending: Map<string, PendingOp>
  violation: EventOf<'violation'> | null
}

/**
 * What seeking needs from a pass over the events: where the checkpoints are, and the state
 * checkpoints do not carry at each. Only clock, invoke, complete, violation and checkpoint
 * events change it, so a visitor that skips the others (the open's fast lines) builds the same.
 */
export class TimelineIndex {
  /** Positions of the checkpoint events, ascending. */
  readonly checkpoints: number[] = []
  readonly sideAt = new Map<number, SideState>()
  private readonly side: Replay

  constructor(nodes: readonly NodeId[]) {
    this.side = Replay.initial(nodes)
  }

  /** Call in order of position. Positions in the array, not the events' own `i`, so a hand-built trace cannot mislead the seeking. */
  visit(event: TraceEvent, position: number): void {
    this.side.applySide(event)
    if (event.type === 'checkpoint') {
      this.checkpoints.push(position)
      this.sideAt.set(position, this.side.side())
    }
  }
}

export class Timeline {
  readonly events: TraceEvents
  readonly length: number
  /** Indexes of the checkpoint events, ascending. */
  readonly checkpoints: readonly number[]
  private readonly sideAt: ReadonlyMap<number, SideState>
  /** The last state computed: stepping forward continues from it. */
  private cursor: Replay

  /** On a whole trace, or on any events with the index a pass over them built (else it makes that pass). */
  constructor(trace: Trace | TraceEvents, index?: TimelineIndex) {
    const events = 'events' in trace ? eventsOf(trace) : trace
    this.events = events
    this.length = events.length
    if (index === undefined) {
      index = new TimelineIndex(events.header.nodes)
      for (let position = 0; position < events.length; position++) index.visit(events.event(position), position)
    }
    this.checkpoints = index.checkpoints
    this.sideAt = index.sideAt
    this.cursor = Replay.initial(events.header.nodes)
  }

  /** The state after applying events 0..index inclusive (index -1: before any event). */
  stateAt(index: number): ClusterState {
    if (!Number.isInteger(index) || index < -1 || index >= this.length) {
      throw new RangeError(`event index ${index} is outside the trace (-1..${this.length - 1})`)
    }
    const replay = this.startFor(index)
    while (replay.index < index) replay.apply(this.events.event(replay.index + 1))
    this.cursor = replay
    return replay.snapshot()
  }

  /** The cheapest starting point: the cursor when it is between the nearest checkpoint and index. */
  private startFor(index: number): Replay {
    const checkpoint = this.checkpointAtOrBefore(index)
    if (this.cursor.index <= index && this.cursor.index >= checkpoint) return this.cursor
    if (checkpoint < 0) return Replay.initial(this.events.header.nodes)
    const event = this.events.event(checkpoint) as EventOf<'checkpoint'>
    return Replay.fromCheckpoint(event, checkpoint, this.sideAt.get(checkpoint)!)
  }

  /** Index of the last checkpoint at or before index, or -1. */
  private checkpointAtOrBefore(index: number): number {
    let lo = 0
    let hi = this.checkpoints.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.checkpoints[mid]! <= index) {
        found = this.checkpoints[mid]!
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }
}

/** The checkpoint fields of a state: what a writer records for a checkpoint at that point. */
export function checkpointOf(state: ClusterState): Pick<EventOf<'checkpoint'>, 'status' | 'views' | 'partition' | 'inFlight'> {
  return structuredClone({ status: state.status, views: state.views, partition: state.partition, inFlight: state.inFlight })
}

/**
 * Indexes of the checkpoints that disagree with a replay of the events before them; empty
 * when every checkpoint is faithful. For testing whatever writes checkpoints.
 */
export function checkpointMismatches(trace: Trace): number[] {
  const replay = Replay.initial(trace.header.nodes)
  const mismatches: number[] = []
  trace.events.forEach((event, position) => {
    replay.apply(event, false)
    if (event.type !== 'checkpoint') return
    const replayed = checkpointOf(replay.snapshot())
    const loaded = checkpointOf(Replay.fromCheckpoint(event, position, replay.side()).snapshot())
    if (!isDeepStrictEqual(replayed, loaded)) mismatches.push(position)
  })
  return mismatches
}

/** The mutable state of a replay. Views and partitions are replaced, never changed in place. */
class Replay {
  index = -1
  time: Micros = 0
  status: Record<NodeId, NodeStatus> = {}
  views: Record<NodeId, NodeView | null> = {}
  partition: PartitionState | null = null
  inFlight = new Map<number, InFlight>()
  clock: Record<NodeId, ClockState> = {}
  pending = new Map<string, PendingOp>()
  violation: EventOf<'violation'> | null = null

  static initial(nodes: readonly NodeId[]): Replay {
    const replay = new Replay()
    for (const node of nodes) {
      replay.status[node] = 'up'
      replay.views[node] = null
      replay.clock[node] = { offsetUs: 0, driftPpm: 0 }
    }
    return replay
  }

  static fromCheckpoint(event: EventOf<'checkpoint'>, position: number, side: SideState): Replay {
    const replay = new Replay()
    replay.index = position
    replay.time = event.t
    replay.loadCheckpoint(event)
    replay.clock = { ...side.clock }
    replay.pending = new Map(side.pending)
    replay.violation = side.violation
    return replay
  }

  /** Applies the next event; `adoptCheckpoints` false replays through checkpoints without loading them. */
  apply(event: TraceEvent, adoptCheckpoints = true): void {
    this.index++
    this.time = event.t
    if (event.type !== 'checkpoint' || adoptCheckpoints) this.applyCluster(event)
    this.applySide(event)
  }

  /** What checkpoints hold: node status, views, the partition and the messages in flight. */
  private applyCluster(e: TraceEvent): void {
    switch (e.type) {
      case 'send':
        this.inFlight.set(e.id, { id: e.id, from: e.from, to: e.to, mtype: e.mtype, due: e.due })
        break
      case 'duplicate':
        this.inFlight.set(e.copy, { id: e.copy, from: e.from, to: e.to, mtype: this.inFlight.get(e.id)?.mtype ?? '?', due: e.due })
        break
      case 'deliver':
      case 'drop':
        this.inFlight.delete(e.id)
        break
      case 'crash':
        this.status[e.node] = 'crashed'
        this.views[e.node] = null
        break
      case 'restart':
      case 'resume':
        this.status[e.node] = 'up'
        break
      case 'pause':
        this.status[e.node] = 'paused'
        break
      case 'partition':
        this.partition = partitionOf(e)
        break
      case 'view':
        this.views[e.node] = mergeView(this.views[e.node] ?? null, e)
        break
      case 'checkpoint':
        this.loadCheckpoint(e)
        break
    }
  }

  /** What checkpoints do not hold: clocks, pending client operations, the first violation. */
  applySide(e: TraceEvent): void {
    if (e.type === 'clock') this.clock[e.node] = { offsetUs: e.offsetUs, driftPpm: e.driftPpm }
    else if (e.type === 'invoke') this.pending.set(opKey(e.client, e.op), pendingOp(e))
    else if (e.type === 'complete') this.pending.delete(opKey(e.client, e.op))
    else if (e.type === 'violation' && this.violation === null) this.violation = e
  }

  side(): SideState {
    return { clock: { ...this.clock }, pending: new Map(this.pending), violation: this.violation }
  }

  private loadCheckpoint(e: EventOf<'checkpoint'>): void {
    this.status = { ...e.status }
    this.views = { ...e.views }
    this.partition = e.partition === null ? null : partitionOf(e.partition)
    this.inFlight = new Map(e.inFlight.map((m) => [m.id, m]))
  }

  /** A deep copy: callers may keep or change it without touching the timeline or the trace. */
  snapshot(): ClusterState {
    const state: ClusterState = {
      index: this.index,
      time: this.time,
      status: this.status,
      views: this.views,
      partition: this.partition,
      inFlight: [...this.inFlight.values()].sort((a, b) => a.id - b.id),
      clock: this.clock,
      pendingOps: [...this.pending.values()],
      violation: this.violation,
    }
    return structuredClone(state)
  }
}

/** A cut with no blocked link is a whole network, however it was described. */
function partitionOf(p: PartitionState): PartitionState | null {
  return p.blocked.length === 0 ? null : { description: p.description, groups: p.groups, blocked: p.blocked }
}

/** Whole view, then changed fields by assignment, then removed fields deleted (a new object when anything changed). */
export function mergeView(current: NodeView | null, e: EventOf<'view'>): NodeView | null {
  let view = e.view ?? current
  if (e.changes === undefined && e.removed === undefined) return view
  // A new object, because the old one may be held by a checkpoint or an earlier state.
  view = { ...(view ?? {}), ...e.changes } as NodeView
  for (const field of e.removed ?? []) delete view[field]
  return view
}

const opKey = (client: ClientId, op: number): string => `${op}@${client}`

function pendingOp(e: EventOf<'invoke'>): PendingOp {
  const op: PendingOp = { client: e.client, op: e.op, f: e.f, invokedAtUs: e.t, invokeIndex: e.i }
  if (e.key !== undefined) op.key = e.key
  if (e.value !== undefined) op.value = e.value
  return op
}
