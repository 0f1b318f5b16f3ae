/**
 * A node's durable storage: what survives a crash. Values are deep-copied in and out so a
 * protocol can never "persist" by aliasing (mutating an object it stored earlier), a bug
 * that would hide exactly the persistence mistakes our mutants teach. A value that is deeply
 * frozen (primitives, and plain objects and arrays frozen all the way down, such as a
 * received message's parts or a log entry frozen when made) cannot change, so it is kept and
 * handed back as it is, still frozen: copying it would guard against nothing. A top-level list
 * is the exception: storage keeps a list of its own (appends change it), holding the same items. A protocol that
 * stores its log entries frozen pays no copy at a write, and none at a restart.
 *
 * With `loseUnsynced` on, writes since the last sync() are lost at a crash, as with a disk
 * write cache; off (the default), every write is durable at once.
 */
import { copyUnlessImmutable as copy } from './freeze.ts'
import type { DurableStorage } from './protocol.ts'

type Write =
  | { op: 'put'; key: string; value: unknown }
  | { op: 'delete'; key: string }
  | { op: 'append'; key: string; items: unknown[] }
  | { op: 'truncate'; key: string; length: number }
  | { op: 'drop-prefix'; key: string; count: number }

/**
 * What storage keeps of a value: a list is always a list of storage's own, since append,
 * truncate and dropPrefix change it in place (a frozen list, such as a received message's
 * entries, could not take them); its items, and any other value, copied unless immutable.
 */
const stored = (value: unknown): unknown => (Array.isArray(value) ? value.map(copy) : copy(value))

export class NodeStorage implements DurableStorage {
  private durable = new Map<string, unknown>()
  private pending: Write[] = []
  /** The view a running node sees: durable state plus its unsynced writes. */
  private live = new Map<string, unknown>()

  constructor(private readonly loseUnsynced: boolean) {}

  get<T>(key: string): T | undefined {
    return stored(this.live.get(key)) as T | undefined
  }

  put(key: string, value: unknown): void {
    this.write({ op: 'put', key, value: stored(value) })
  }

  delete(key: string): void {
    this.write({ op: 'delete', key })
  }

  append(key: string, items: readonly unknown[]): void {
    this.write({ op: 'append', key, items: items.map(copy) })
  }

  truncate(key: string, length: number): void {
    this.write({ op: 'truncate', key, length })
  }

  dropPrefix(key: string, count: number): void {
    this.write({ op: 'drop-prefix', key, count })
  }

  slice<T>(key: string, from: number, to?: number): T[] {
    const value = this.live.get(key)
    return Array.isArray(value) ? (value.slice(from, to).map(copy) as T[]) : []
  }

  at<T>(key: string, index: number): T | undefined {
    const value = this.live.get(key)
    return Array.isArray(value) ? (copy(value[index]) as T | undefined) : undefined
  }

  list<T>(key: string): T[] {
    const value = this.live.get(key)
    return Array.isArray(value) ? (value.map(copy) as T[]) : []
  }

  length(key: string): number {
    const value = this.live.get(key)
    return Array.isArray(value) ? value.length : 0
  }

  sync(): void {
    for (const w of this.pending) apply(this.durable, w)
    this.pending = []
  }

  /** Called by the engine at a crash: returns how many writes were lost. */
  crash(): number {
    const lost = this.loseUnsynced ? this.pending.length : 0
    if (this.loseUnsynced) {
      this.pending = []
      this.live = cloneState(this.durable)
    } else this.sync()
    return lost
  }

  private write(w: Write): void {
    apply(this.live, w)
    if (this.loseUnsynced) this.pending.push(cloneWrite(w))
  }
}

function apply(state: Map<string, unknown>, w: Write): void {
  switch (w.op) {
    case 'put':
      state.set(w.key, w.value)
      return
    case 'delete':
      state.delete(w.key)
      return
    case 'append': {
      const list = state.get(w.key)
      if (Array.isArray(list)) for (const item of w.items) list.push(item)
      else state.set(w.key, w.items.slice())
      return
    }
    case 'truncate': {
      const list = state.get(w.key)
      if (Array.isArray(list)) list.length = Math.min(list.length, Math.max(0, w.length))
      return
    }
    case 'drop-prefix': {
      const list = state.get(w.key)
      if (Array.isArray(list)) list.splice(0, Math.max(0, w.count))
      return
    }
  }
}

// The durable map and the live map must never share mutable lists.
function cloneWrite(w: Write): Write {
  if (w.op === 'put') return { ...w, value: stored(w.value) }
  if (w.op === 'append') return { ...w, items: w.items.map(copy) }
  return w
}

function cloneState(state: Map<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [k, v] of state) out.set(k, stored(v))
  return out
}
