/**
 * The replicated state: a flat key-value map (ZooKeeper's DataTree, without paths, watches
 * or ephemeral nodes) and the sessions table that makes retried writes exactly-once.
 * Applying a transaction is deterministic, so every replica computes the same result,
 * including a cas that fails.
 */
import { isDeepStrictEqual } from 'node:util'
import type { SessionEntry, Snapshot, Txn, WriteResult } from './messages.ts'
import type { Zxid } from './zxid.ts'

export class DataTree {
  private readonly data = new Map<string, unknown>()
  private readonly sessions = new Map<string, SessionEntry>()
  /** The zxid of the last transaction applied (or of the snapshot loaded). */
  lastZxid: Zxid = 0

  static fromSnapshot(snapshot: Snapshot): DataTree {
    const tree = new DataTree()
    for (const [key, value] of snapshot.data) tree.data.set(key, value)
    for (const [client, entry] of snapshot.sessions) tree.sessions.set(client, entry)
    tree.lastZxid = snapshot.zxid
    return tree
  }

  toSnapshot(): Snapshot {
    return { zxid: this.lastZxid, data: [...this.data], sessions: [...this.sessions] }
  }

  /** The value under key, or null when the key is missing. */
  read(key: string): unknown {
    return this.data.has(key) ? this.data.get(key) : null
  }

  session(client: string): SessionEntry | undefined {
    return this.sessions.get(client)
  }

  get size(): number {
    return this.data.size
  }

  /** Applies a committed write; a write the session already applied keeps its first result. */
  apply(txn: Txn): WriteResult {
    this.lastZxid = txn.zxid
    const previous = this.sessions.get(txn.client)
    if (previous !== undefined && previous.seq >= txn.seq) return previous.result
    const result = this.execute(txn)
    this.sessions.set(txn.client, { seq: txn.seq, result })
    return result
  }

  private execute(txn: Txn): WriteResult {
    const { f, key = '', value } = txn.op
    if (f === 'put') {
      this.data.set(key, value)
      return { ok: true }
    }
    if (f === 'append') {
      const current = this.read(key)
      this.data.set(key, current === null ? [value] : Array.isArray(current) ? [...current, value] : [current, value])
      return { ok: true }
    }
    if (f === 'cas') {
      // The default client sends [expected, new] as the value when it has no separate fields.
      const expected = 'expected' in txn.op ? txn.op.expected : null
      if (!isDeepStrictEqual(this.read(key), expected ?? null)) return { ok: false, error: 'cas-mismatch', definite: true }
      this.data.set(key, value)
      return { ok: true }
    }
    return { ok: false, error: `unknown write '${f}'`, definite: true }
  }
}

export const WRITE_OPS: ReadonlySet<string> = new Set(['put', 'append', 'cas'])
