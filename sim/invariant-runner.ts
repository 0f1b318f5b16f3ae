/**
 * Runs a protocol's safety invariants after every event. They observe the live nodes
 * (through a read-only context) and never steer; the first violation stops the run.
 */
import type { HistoryEntry } from './clients/history.ts'
import type { NodeSlot } from './node-slot.ts'
import type { ResolvedOptions } from './options.ts'
import type { Invariant, InvariantContext, InvariantReport, NodeId } from './protocol.ts'
import type { Violation } from './result.ts'
import type { Micros } from './time.ts'

export class InvariantRunner {
  violation: Violation | null = null
  /** The invariant being checked (to name one that throws). */
  current: string | null = null
  private readonly list: Invariant<unknown>[]
  private readonly ctx: { -readonly [K in keyof InvariantContext<unknown>]: InvariantContext<unknown>[K] }

  /** The touched node's handlers, looked up once per check: every invariant asks for them. */
  private touchedNode: unknown = undefined

  constructor(options: ResolvedOptions, private readonly slotOf: (id: NodeId) => NodeSlot) {
    const setup = { config: options.config, mutant: options.mutant }
    this.list = options.invariants ? (options.protocol.invariants?.(setup) ?? []) : []
    this.ctx = {
      time: 0,
      eventIndex: 0,
      touched: null,
      nodeIds: options.nodeIds,
      node: (id) => (id === this.ctx.touched ? this.touchedNode : slotOf(id).handlers) ?? undefined,
      storage: (id) => slotOf(id).storage,
      history: [],
    }
  }

  /** The end-of-run accounts of the invariants that give one (after the run, so they see the whole history). */
  reports(timeUs: Micros, event: number, history: readonly HistoryEntry[]): Array<{ invariant: string } & InvariantReport> {
    const ctx = this.ctx
    ctx.time = timeUs
    ctx.eventIndex = event
    ctx.touched = null
    ctx.history = history
    const out: Array<{ invariant: string } & InvariantReport> = []
    for (const inv of this.list) {
      this.current = inv.name
      const r = inv.report?.(ctx)
      if (r) out.push({ invariant: inv.name, ...r })
    }
    return out
  }

  /** Checks every invariant; reports the first violation once. */
  check(timeUs: Micros, event: number, touched: NodeId | null, cause: number, history: readonly HistoryEntry[], report: (invariant: string, message: string) => void): void {
    if (this.list.length === 0 || this.violation) return
    const ctx = this.ctx
    ctx.time = timeUs
    ctx.eventIndex = event
    ctx.touched = touched
    ctx.history = history
    this.touchedNode = touched === null ? undefined : (this.slotOf(touched).handlers ?? undefined)
    for (const inv of this.list) {
      this.current = inv.name
      const message = inv.check(ctx)
      if (message !== null) {
        this.violation = { invariant: inv.name, message, timeUs, event, cause }
        report(inv.name, message)
        return
      }
    }
  }
}
