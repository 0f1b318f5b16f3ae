/**
 * A server's client desk: answers reads from the local tree, sends writes and syncs to the
 * leader, and answers the client once the write is committed here. Retried writes are
 * exactly-once: the sessions table (replicated with the data) remembers each client's last
 * write and its result.
 */
import type { ClientRequest, ClientResponse } from '../../sim/protocol.ts'
import { WRITE_OPS } from './datatree.ts'
import { Follower } from './follower.ts'
import type { Txn, WriteResult } from './messages.ts'
import type { ZabNode } from './node.ts'
import type { Zxid } from './zxid.ts'

const NOT_SERVING: ClientResponse = { ok: false, error: 'not-serving', retry: true, definite: true }

export class ClientDesk {
  serving = false
  /** Writes waiting for their commit here, by client (one operation at a time per client). */
  private readonly waitingWrites = new Map<string, ClientRequest>()
  /** sync-gets: their request, and once the leader answered, the zxid to reach before reading. */
  private readonly pendingReads = new Map<number, { request: ClientRequest; zxid: Zxid | null }>()
  private nextSyncId = 0

  constructor(private readonly server: ZabNode) {}

  onRequest(request: ClientRequest): void {
    const { op } = request
    const key = op.key ?? ''
    if (!this.serving) return this.server.ctx.reply(request, NOT_SERVING)
    if (op.f === 'get') return this.server.ctx.reply(request, { ok: true, value: this.server.tree.read(key) })
    if (op.f === 'sync-get') return this.startSyncRead(request)
    if (!WRITE_OPS.has(op.f)) return this.server.ctx.reply(request, { ok: false, error: `unknown operation '${op.f}'`, definite: true })
    const session = this.server.tree.session(request.client)
    if (session !== undefined && session.seq === request.seq) return this.server.ctx.reply(request, toResponse(session.result))
    if (session !== undefined && session.seq > request.seq) return // a stale retry: the client has moved on
    this.waitingWrites.set(request.client, request)
    const role = this.server.role
    if (role instanceof Follower) role.forward(request.client, request.seq, op)
    else role?.propose(request.client, request.seq, op)
  }

  /** A transaction was applied here: answer the client that asked us for it. */
  applied(txn: Txn, result: WriteResult): void {
    const waiting = this.waitingWrites.get(txn.client)
    if (waiting === undefined || waiting.seq !== txn.seq) return
    this.waitingWrites.delete(txn.client)
    this.server.ctx.reply(waiting, toResponse(result))
  }

  syncDone(id: number, zxid: Zxid): void {
    const read = this.pendingReads.get(id)
    if (read) read.zxid = zxid
    this.checkReads()
  }

  /** Runs the sync-gets whose sync point this server has applied. */
  checkReads(): void {
    if (this.pendingReads.size === 0) return
    for (const [id, read] of this.pendingReads) {
      if (read.zxid === null || this.server.tree.lastZxid < read.zxid) continue
      this.pendingReads.delete(id)
      this.server.ctx.reply(read.request, { ok: true, value: this.server.tree.read(read.request.op.key ?? '') })
    }
  }

  setServing(serving: boolean): void {
    this.serving = serving
    if (serving) return
    // Leaving the role: a forwarded write may still commit (not definite); a read changed nothing.
    for (const request of this.waitingWrites.values()) this.server.ctx.reply(request, { ok: false, error: 'not-serving', retry: true })
    for (const { request } of this.pendingReads.values()) this.server.ctx.reply(request, NOT_SERVING)
    this.waitingWrites.clear()
    this.pendingReads.clear()
  }

  private startSyncRead(request: ClientRequest): void {
    const id = ++this.nextSyncId
    this.pendingReads.set(id, { request, zxid: null })
    const role = this.server.role
    if (role instanceof Follower) role.requestSync(id)
    else role?.requestSync(id, this.server.sid)
  }
}

function toResponse(result: WriteResult): ClientResponse {
  return result.ok ? { ok: true } : { ok: false, error: result.error, definite: true }
}
