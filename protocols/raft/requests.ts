/**
 * Client requests on a node (dissertation chapter 6): a follower redirects to the leader it
 * knows; the leader appends the operation, with its session (client, seq), and answers once it
 * is applied. Reads go through the log, or with readMode 'readindex' (6.4): the leader notes its
 * commit index once an entry of its term is committed, confirms it is still leader with a
 * heartbeat round acknowledged by a majority, waits until it has applied that far, then reads.
 * A leader that steps down answers everything it still holds, so no client hangs.
 */
import type { ClientRequest, ClientResponse } from '../../sim/protocol.ts'
import { KV_OPS } from './kv.ts'
import type { KvCommand } from './messages.ts'
import type { RaftNode } from './node.ts'
import { broadcastAppend, quorumValue } from './replication.ts'

interface PendingRead {
  request: ClientRequest
  /** The broadcast round that must be acknowledged by a majority. */
  round: number
  /** The commit index to apply before reading; null until an entry of this term is committed. */
  readIndex: number | null
}

export class ClientRequests {
  /** Log index -> the request waiting for it to apply (leader only). */
  private readonly pendingWrites = new Map<number, ClientRequest>()
  private pendingReads: PendingRead[] = []

  constructor(private readonly node: RaftNode) {}

  get waiting(): number {
    return this.pendingWrites.size + this.pendingReads.length
  }

  onRequest(request: ClientRequest): void {
    const node = this.node
    const { f, key } = request.op
    if (!KV_OPS.has(f) || typeof key !== 'string') {
      return node.ctx.reply(request, { ok: false, error: `unsupported operation '${f}' (raft serves get, put, append and cas on a string key)`, definite: true })
    }
    if (!node.isLeader) {
      const redirect: ClientResponse = { ok: false, error: 'not-leader', retry: true, definite: true }
      if (node.leaderId !== null && node.leaderId !== node.id) redirect.redirectTo = node.leaderId
      return node.ctx.reply(request, redirect)
    }
    // The stale-read mutant answers from local state at once: a deposed leader that has not heard
    // of its successor still does, and serves old values.
    if (f === 'get' && node.mutant === 'stale-read') return node.ctx.reply(request, { ok: true, value: node.kv.read(key) })
    if (f === 'get' && node.config.readMode === 'readindex') return this.startRead(request)
    const command: KvCommand = { type: 'kv', client: request.client, seq: request.seq, op: request.op }
    this.pendingWrites.set(node.propose(command), request)
  }

  private startRead(request: ClientRequest): void {
    const node = this.node
    broadcastAppend(node) // a fresh round, whose acknowledgements confirm we still lead
    this.pendingReads.push({ request, round: node.round, readIndex: this.committedInTerm() ? node.commitIndex : null })
    this.serveReads()
  }

  private committedInTerm(): boolean {
    return this.node.log.termAt(this.node.commitIndex) === this.node.currentTerm
  }

  /** The leader's commit index moved. */
  onCommit(): void {
    if (this.pendingReads.length === 0 || !this.committedInTerm()) return
    for (const r of this.pendingReads) if (r.readIndex === null) r.readIndex = this.node.commitIndex
    this.serveReads()
  }

  onApplied(index: number, result: ClientResponse | null): void {
    const request = this.pendingWrites.get(index)
    if (request !== undefined) {
      this.pendingWrites.delete(index)
      this.node.ctx.reply(request, result ?? { ok: false, error: 'not-applied', definite: false })
    }
    if (this.pendingReads.length > 0) this.serveReads()
  }

  /** A peer acknowledged a round. */
  onAcknowledged(): void {
    if (this.pendingReads.length > 0) this.serveReads()
  }

  /** The highest round a majority (the leader included) has acknowledged. */
  private confirmedRound(): number {
    return quorumValue(this.node, this.node.round, this.node.ackedRound)
  }

  private serveReads(): void {
    const node = this.node
    const confirmed = this.confirmedRound()
    const still: PendingRead[] = []
    for (const r of this.pendingReads) {
      if (r.round <= confirmed && r.readIndex !== null && node.lastApplied >= r.readIndex) {
        node.ctx.reply(r.request, { ok: true, value: node.kv.read(r.request.op.key as string) })
      } else still.push(r)
    }
    this.pendingReads = still
  }

  /**
   * Leadership lost: writes may still commit under the next leader (definite: false; a retry
   * is deduplicated by the session); reads changed nothing.
   */
  abandonAll(): void {
    const node = this.node
    for (const request of this.pendingWrites.values()) {
      node.ctx.reply(request, { ok: false, error: 'leader-changed', retry: true, definite: request.op.f === 'get' })
    }
    for (const r of this.pendingReads) node.ctx.reply(r.request, { ok: false, error: 'leader-changed', retry: true, definite: true })
    this.pendingWrites.clear()
    this.pendingReads = []
  }
}
