/**
 * The replicated key-value state machine and its client sessions (dissertation 6.3).
 * Semantics shared with ZAB and the checker's `kv` model:
 *   get -> the value or null; put -> sets; append -> missing: [v], array: [...a, v], other x: [x, v];
 *   cas -> ok when the current value deep-equals `expected` (null matches missing), else a
 *   definite 'cas-mismatch'.
 * Sessions make writes exactly-once: a command whose (client, seq) was already applied returns
 * the result recorded then, instead of applying again. Values are never mutated in place
 * (append builds a new array), so results handed out earlier stay true.
 */
import type { ClientResponse } from '../../sim/protocol.ts'
import type { KvCommand, SnapshotState } from './messages.ts'

export const KV_OPS = new Set(['get', 'put', 'append', 'cas'])

interface Session {
  seq: number
  result: ClientResponse
}

export class KvStore {
  private data = new Map<string, unknown>()
  private sessions = new Map<string, Session>()

  read(key: string): unknown {
    return this.data.has(key) ? this.data.get(key) : null
  }

  /** Applies a committed command once per (client, seq); a duplicate gets the first result. */
  apply(cmd: KvCommand): ClientResponse {
    const session = this.sessions.get(cmd.client)
    if (session !== undefined && cmd.seq <= session.seq) {
      // An older seq can only be a stale duplicate nobody waits for: the client moved on.
      return cmd.seq === session.seq ? session.result : { ok: false, error: 'stale-request', definite: true }
    }
    const result = this.execute(cmd)
    this.sessions.set(cmd.client, { seq: cmd.seq, result })
    return result
  }

  private execute({ op }: KvCommand): ClientResponse {
    const key = String(op.key ?? '')
    switch (op.f) {
      case 'get':
        return { ok: true, value: this.read(key) }
      case 'put':
        this.data.set(key, op.value ?? null)
        return { ok: true }
      case 'append': {
        const current = this.data.get(key)
        const next = current === undefined ? [op.value] : Array.isArray(current) ? [...current, op.value] : [current, op.value]
        this.data.set(key, next)
        return { ok: true }
      }
      case 'cas': {
        if (!jsonEqual(this.read(key), op.expected ?? null)) return { ok: false, error: 'cas-mismatch', definite: true }
        this.data.set(key, op.value ?? null)
        return { ok: true }
      }
      default:
        return { ok: false, error: `unknown operation '${op.f}'`, definite: true }
    }
  }

  snapshot(): SnapshotState {
    return { data: [...this.data], sessions: [...this.sessions].map(([c, s]) => [c, { seq: s.seq, result: s.result }]) }
  }

  restore(state: SnapshotState): void {
    this.data = new Map(state.data)
    this.sessions = new Map(state.sessions.map(([c, s]) => [c, { seq: s.seq, result: s.result as ClientResponse }]))
  }
}

/** Deep equality of JSON values (what cas compares). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
