/**
 * Turns what the engine does into trace events, and keeps what a viewer needs to show any
 * moment: node views as whole snapshots after a (re)start and as changed top-level fields
 * after that, and a checkpoint of the whole cluster every `checkpointEvery` events.
 * With no sink, every method returns at once, so an untraced run pays almost nothing.
 */
import type { NodeId, NodeView } from './protocol.ts'
import type { Micros } from './time.ts'
import type { EventOf, InFlight, NodeStatus, TraceEvent, TraceFooter, TraceHeader } from './trace/events.ts'
import type { TraceSink } from './trace/writer.ts'

/** What a checkpoint needs from the engine; views come from the tracer's own last records. */
export interface CheckpointSource {
  nodeIds: readonly NodeId[]
  status(): Record<NodeId, NodeStatus>
  partition(): EventOf<'checkpoint'>['partition']
  /** Messages sent and not yet delivered or dropped, by id (read from the queue, not tracked per message). */
  inFlight(): InFlight[]
}

export class Tracer {
  readonly enabled: boolean
  count = 0
  private sinceCheckpoint = 0
  private readonly lastView = new Map<NodeId, { snapshot: NodeView; fields: Map<string, string> }>()

  constructor(
    private readonly sink: TraceSink | null,
    private readonly checkpointEvery: number,
  ) {
    this.enabled = sink !== null
  }

  header(h: TraceHeader): void {
    this.sink?.header(h)
  }

  /** Records an event (its `i` is assigned here) and returns its index. */
  emit(event: TraceEvent): number {
    if (this.sink === null) return -1
    event.i = this.count
    // Counted only once written: a value JSON cannot hold (a BigInt) throws here, inside the
    // handler that produced it, and the trace stays consistent with its count.
    this.sink.event(event)
    return this.count++
  }

  /** Emits a checkpoint when one is due. Called between engine steps, never inside one. */
  maybeCheckpoint(timeUs: Micros, source: CheckpointSource): void {
    if (this.sink === null || this.checkpointEvery <= 0 || this.count - this.sinceCheckpoint < this.checkpointEvery) return
    this.sinceCheckpoint = this.count
    this.emit({
      i: 0, t: timeUs, type: 'checkpoint',
      status: source.status(), views: this.recordedViews(source.nodeIds), partition: source.partition(),
      inFlight: source.inFlight(),
    })
  }

  /**
   * Emits the view of a node: whole when `whole`, else only the changed top-level fields
   * (nothing if none). Most events change no view, so the new view is first compared with
   * a snapshot of the last one (our own copy, so a protocol that mutates and returns the
   * same object cannot fool it) without serialising anything.
   */
  view(timeUs: Micros, node: NodeId, view: NodeView, whole: boolean): void {
    if (this.sink === null) return
    const before = this.lastView.get(node)
    if (!whole && before !== undefined && sameJson(before.snapshot, view)) return
    const snapshot = JSON.parse(JSON.stringify(view)) as NodeView
    const fields = splitFields(snapshot)
    this.lastView.set(node, { snapshot, fields })
    if (whole || before === undefined) {
      this.emit({ i: 0, t: timeUs, type: 'view', node, view: snapshot })
      return
    }
    const { changes, removed } = diffFields(before.fields, fields, snapshot)
    if (removed.length > 0) this.emit({ i: 0, t: timeUs, type: 'view', node, changes, removed })
    else if (Object.keys(changes).length > 0) this.emit({ i: 0, t: timeUs, type: 'view', node, changes })
  }

  /**
   * The views as last recorded, so a checkpoint says exactly what replaying the view
   * events says (calling view() again could give something newer: views may depend on time).
   */
  private recordedViews(nodeIds: readonly NodeId[]): Record<NodeId, NodeView | null> {
    const views: Record<NodeId, NodeView | null> = {}
    for (const id of nodeIds) views[id] = this.lastView.get(id)?.snapshot ?? null
    return views
  }

  forgetView(node: NodeId): void {
    this.lastView.delete(node)
  }

  finish(footer: Omit<TraceFooter, 'type' | 'hash' | 'events'>): TraceFooter | null {
    return this.sink ? this.sink.finish({ ...footer, events: this.count }) : null
  }

  abort(): void {
    this.sink?.abort()
  }
}

/** True when `a` (a JSON snapshot) and `b` would serialise to the same data. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  let definedInB = 0
  for (const key in rb) if (rb[key] !== undefined) definedInB++
  let keysInA = 0
  for (const key in ra) {
    keysInA++
    if (!sameJson(ra[key], rb[key])) return false
  }
  return keysInA === definedInB
}

function splitFields(view: NodeView): Map<string, string> {
  const fields = new Map<string, string>()
  for (const key of Object.keys(view)) fields.set(key, JSON.stringify(view[key]))
  return fields
}

function diffFields(before: Map<string, string>, after: Map<string, string>, view: NodeView): { changes: Record<string, unknown>; removed: string[] } {
  const changes: Record<string, unknown> = {}
  for (const [key, json] of after) if (before.get(key) !== json) changes[key] = view[key]
  const removed = [...before.keys()].filter((key) => !after.has(key))
  return { changes, removed }
}
