/**
 * The "interesting" events a viewer jumps between with n/N: elections and leader changes
 * (a role or `leads` that changes in a node's view, or a note saying so), commits (a
 * leader's commit field moving), partition and other fault changes, crashes, failovers,
 * violations and node errors. Found in one pass when a trace is opened and kept as two
 * typed arrays, so a million-event trace costs a few megabytes and each jump is a binary search.
 */
import type { TraceEvent } from '../sim/trace/events.ts'

export const INTEREST_KINDS = ['election', 'leader', 'commit', 'partition', 'fault', 'crash', 'restart', 'failover', 'note', 'violation', 'node-error'] as const
export type InterestKind = (typeof INTEREST_KINDS)[number]

/** View fields that count committed progress: Raft's commitIndex, ZAB's committed zxid. */
const COMMIT_FIELDS = ['commitIndex', 'committed', 'lastCommitted', 'committedZxid'] as const

export class InterestIndex {
  readonly indexes: Int32Array
  readonly kinds: Uint8Array

  constructor(indexes: Int32Array, kinds: Uint8Array) {
    this.indexes = indexes
    this.kinds = kinds
  }

  static build(events: readonly TraceEvent[]): InterestIndex {
    const builder = new InterestBuilder()
    events.forEach((e, position) => builder.visit(e, position))
    return builder.finish()
  }

  get count(): number {
    return this.indexes.length
  }

  /** The first interesting event after `from`, or -1. */
  next(from: number): number {
    const k = this.firstAbove(from)
    return k < this.indexes.length ? this.indexes[k]! : -1
  }

  /** The last interesting event before `from`, or -1. */
  previous(from: number): number {
    const k = this.firstAbove(from - 1) - 1
    return k >= 0 ? this.indexes[k]! : -1
  }

  /** The kind of the event at `index`, or null when it is not interesting. */
  kindAt(index: number): InterestKind | null {
    const k = this.firstAbove(index - 1)
    return this.indexes[k] === index ? INTEREST_KINDS[this.kinds[k]!]! : null
  }

  /** Position of the first entry whose index is greater than `index`. */
  private firstAbove(index: number): number {
    let lo = 0
    let hi = this.indexes.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.indexes[mid]! <= index) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * Builds the index in one pass, event by event in order. Timers, sends, deliveries and drops
 * are never interesting, so a pass that skips them (the open's fast lines) builds the same.
 */
export class InterestBuilder {
  private readonly classify = classifier()
  private indexes = new Int32Array(1024)
  private kinds = new Uint8Array(1024)
  private count = 0

  visit(e: TraceEvent, position: number): void {
    const kind = this.classify(e)
    if (kind === null) return
    if (this.count === this.indexes.length) {
      this.indexes = grow(this.indexes, new Int32Array(this.count * 2))
      this.kinds = grow(this.kinds, new Uint8Array(this.count * 2))
    }
    this.indexes[this.count] = position
    this.kinds[this.count] = INTEREST_KINDS.indexOf(kind)
    this.count++
  }

  finish(): InterestIndex {
    return new InterestIndex(this.indexes.slice(0, this.count), this.kinds.slice(0, this.count))
  }
}

function grow<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from)
  return to
}

/** A stateful classifier: it remembers each node's role and leadership to tell a change from a repeat. */
export function classifier(): (e: TraceEvent) => InterestKind | null {
  const roles = new Map<string, unknown>()
  const leads = new Map<string, boolean>()
  return (e) => {
    switch (e.type) {
      case 'view':
        return viewKind(e.node, e.view ?? e.changes ?? {}, e.view !== undefined, roles, leads)
      case 'note':
        return noteKind(e.node, e.kind)
      case 'command':
        return /failover|takeover/i.test(e.command.type) ? 'failover' : 'note'
      case 'partition':
        return 'partition'
      case 'network':
      case 'clock':
      case 'pause':
      case 'resume':
        return 'fault'
      case 'crash':
        roles.delete(e.node)
        leads.delete(e.node)
        return 'crash'
      case 'restart':
        return 'restart'
      case 'violation':
        return 'violation'
      case 'node-error':
        return 'node-error'
      default:
        return null
    }
  }
}

function viewKind(node: string, fields: Record<string, unknown>, whole: boolean, roles: Map<string, unknown>, leads: Map<string, boolean>): InterestKind | null {
  // A node's first view (at boot, or after a crash) is its start, not a change of role.
  const fresh = whole && !roles.has(node)
  let kind: InterestKind | null = null
  // Every protocol's view names its role `role` (ZAB: looking, following, leading).
  if ('role' in fields) {
    if (!fresh && roles.get(node) !== fields.role) kind = 'election'
    roles.set(node, fields.role)
  }
  if ('leads' in fields) {
    const leading = fields.leads === true
    if (!fresh && leading !== (leads.get(node) ?? false)) kind = 'leader'
    leads.set(node, leading)
  }
  if (kind === null && !whole && leads.get(node) === true && COMMIT_FIELDS.some((f) => f in fields)) kind = 'commit'
  return kind
}

/** Notes name what happened in each protocol's words; only those about elections, commits, failovers and the like count. */
function noteKind(node: string, kind: string): InterestKind | null {
  if (node === 'nemesis') return 'fault'
  if (/failover|promot|takeover/i.test(kind)) return 'failover'
  if (/elect|leader|vote|lead|step/i.test(kind)) return 'election'
  if (/commit/i.test(kind)) return 'commit'
  if (/snapshot|epoch|establish|sync|quorum|fail|partition|migrat|owner/i.test(kind)) return 'note'
  return null
}
