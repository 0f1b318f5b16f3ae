/**
 * The dataset side of a node: client commands with Redis's redirections (MOVED, ASK,
 * TRYAGAIN, CROSSSLOT, CLUSTERDOWN), asynchronous replication to replicas with offsets, and
 * key-by-key MIGRATE during resharding.
 */
import type { ClientOp, ClientRequest, ClientResponse, NodeId } from '../../sim/protocol.ts'
import { US_PER_S } from '../../sim/time.ts'
import { clusterNodesText, clusterSlotsValue } from './cluster-text.ts'
import { keySlot } from './keyslot.ts'
import type { RedisNode } from './node.ts'
import { applyWrite, persistSnapshot, persistWrites } from './persist.ts'
import type { ReplMsg } from './types.ts'

const SYNC_RETRY_US = US_PER_S
const RESTORE_RETRY_US = US_PER_S

/** The keys a command touches, in order: MSET carries pairs. */
export function opKeys(op: ClientOp): string[] | null {
  if (op.f === 'mset') return Array.isArray(op.pairs) ? (op.pairs as Array<[string, unknown]>).map((p) => p[0]) : null
  return typeof op.key === 'string' ? [op.key] : null
}

const fail = (error: string, extra: Partial<ClientResponse> = {}): ClientResponse => ({ ok: false, error, definite: true, ...extra })

export function serveClient(node: RedisNode, request: ClientRequest): void {
  const op = request.op
  if (op.f === 'cluster-slots') return node.ctx.reply(request, { ok: true, value: clusterSlotsValue(node) })
  if (op.f === 'cluster-nodes') return node.ctx.reply(request, { ok: true, value: clusterNodesText(node) })
  const keys = opKeys(op)
  if (!keys || keys.length === 0 || !['get', 'rget', 'set', 'incr', 'mset'].includes(op.f)) return node.ctx.reply(request, fail(`ERR unknown command '${op.f}'`))
  const slot = keySlot(keys[0]!)
  if (keys.some((k) => keySlot(k) !== slot)) return node.ctx.reply(request, fail("CROSSSLOT Keys in request don't hash to the same slot"))
  if (node.state === 'fail') return node.ctx.reply(request, fail('CLUSTERDOWN The cluster is down', { retry: true }))
  const owner = node.owner[slot] ?? null
  if (owner === null) return node.ctx.reply(request, fail(`CLUSTERDOWN Hash slot not served`, { retry: true }))
  const isWrite = op.f !== 'get' && op.f !== 'rget'
  const missing = keys.filter((k) => !node.data.has(k)).length
  if (owner === node.myName) {
    if ((node.migration && keys.includes(node.migration.key)) || (isWrite && node.pausedUntilUs > node.ctx.now())) return void node.blocked.push(request)
    const target = node.migrating.get(slot)
    if (target !== undefined && missing === keys.length) return node.ctx.reply(request, redirect('ASK', slot, node.addrOf(target)))
    if (target !== undefined && missing > 0) return node.ctx.reply(request, fail('TRYAGAIN Multiple keys request during rehashing of slot', { retry: true }))
    return node.ctx.reply(request, execute(node, op, slot))
  }
  if (node.importing.has(slot) && op.asking === true) {
    if (keys.length > 1 && missing > 0) return node.ctx.reply(request, fail('TRYAGAIN Multiple keys request during rehashing of slot', { retry: true }))
    return node.ctx.reply(request, execute(node, op, slot))
  }
  // READONLY: a replica answers reads of its master's slots (rget is a read sent that way).
  if (!node.isMaster() && (op.readonly === true || op.f === 'rget') && !isWrite && owner === node.me.master) return node.ctx.reply(request, execute(node, op, slot))
  node.ctx.reply(request, redirect('MOVED', slot, node.addrOf(owner)))
}

function redirect(kind: 'MOVED' | 'ASK', slot: number, addr: NodeId | undefined): ClientResponse {
  if (addr === undefined) return fail('CLUSTERDOWN Hash slot not served', { retry: true })
  return { ok: false, error: `${kind} ${slot} ${addr}`, redirectTo: addr, definite: true, [kind === 'MOVED' ? 'moved' : 'ask']: slot }
}

function execute(node: RedisNode, op: ClientOp, slot: number): ClientResponse {
  if (op.f === 'get' || op.f === 'rget') return { ok: true, value: node.data.get(op.key!) ?? null }
  if (op.f === 'incr') {
    const before = node.data.get(op.key!) ?? 0
    if (!Number.isInteger(before)) return fail('ERR value is not an integer or out of range')
    const after = (before as number) + 1
    write(node, [[op.key!, after]], slot, after)
    return { ok: true, value: after }
  }
  const pairs: Array<[string, unknown]> = op.f === 'mset' ? (op.pairs as Array<[string, unknown]>) : [[op.key!, op.value]]
  write(node, pairs, slot, pairs[0]![1])
  return { ok: true, value: 'OK' }
}

/** Applies a write on the master, appends it to the AOF, streams it to the replicas. */
function write(node: RedisNode, pairs: Array<[string, unknown]>, slot: number, recorded: unknown): void {
  const fromOffset = node.offset
  for (const [k, v] of pairs) applyWrite(node, k, v)
  node.offset += respBytes(pairs)
  persistWrites(node, pairs)
  node.accepted.push({ key: pairs[0]![0], value: recorded, slot, atUs: node.ctx.now(), configEpoch: node.me.configEpoch, aofLength: node.ctx.storage.length('aof') })
  const msg: ReplMsg = { type: 'REPL', replid: node.replid, fromOffset, toOffset: node.offset, writes: pairs.map(([k, v]) => [k, v ?? null]) }
  for (const addr of node.replicas) node.ctx.send(addr, msg)
}

/** The length of the command in the replication stream, as RESP would encode SET/DEL. */
function respBytes(pairs: Array<[string, unknown]>): number {
  let n = 0
  for (const [k, v] of pairs) {
    const value = v === undefined || v === null ? '' : String(v)
    n += 4 + 9 + 5 + String(k.length).length + k.length + 5 + String(value.length).length + value.length
  }
  return n
}

/** Replica side: ask the master for a full resynchronisation (at most once a second unless forced). */
export function requestSync(node: RedisNode, force: boolean): void {
  const master = node.myMaster
  const now = node.ctx.now()
  if (!master || (!force && now - node.syncRequestedUs < SYNC_RETRY_US)) return
  node.syncRequestedUs = now
  node.syncPending = true
  node.ctx.send(master.addr, { type: 'SYNC', name: node.myName })
}

export function handleReplMessage(node: RedisNode, from: NodeId, msg: ReplMsg): void {
  const master = node.myMaster
  const fromMaster = master !== undefined && master.addr === from
  switch (msg.type) {
    case 'SYNC':
      if (!node.isMaster()) return
      node.replicas.add(from)
      return node.ctx.send(from, { type: 'FULLSYNC', replid: node.replid, offset: node.offset, data: [...node.data.entries()] })
    case 'FULLSYNC':
      if (!fromMaster) return
      node.data.clear()
      for (const [k, v] of msg.data) node.data.set(k, v)
      node.replid = msg.replid
      node.offset = msg.offset
      node.lastMasterContactUs = node.ctx.now()
      node.syncPending = false
      node.earlyChunks.clear()
      persistSnapshot(node)
      return node.ctx.note('full-sync', { offset: msg.offset, keys: msg.data.length })
    case 'REPL':
      if (!fromMaster) return
      node.lastMasterContactUs = node.ctx.now()
      if (msg.replid !== node.replid) return requestSync(node, false)
      // The bus may reorder what TCP would not: hold chunks that arrive early, like a
      // receive buffer, and resynchronise only if a gap stays open (see replicationCron).
      if (msg.fromOffset > node.offset) {
        if (node.earlyChunks.size === 0) node.gapSinceUs = node.ctx.now()
        if (msg.writes.length > 0) node.earlyChunks.set(msg.fromOffset, msg)
        return
      }
      if (msg.fromOffset < node.offset) return // already included (in a full sync, or a duplicate)
      applyChunk(node, msg)
      for (let next = node.earlyChunks.get(node.offset); next; next = node.earlyChunks.get(node.offset)) {
        node.earlyChunks.delete(next.fromOffset)
        applyChunk(node, next)
      }
      for (const from of node.earlyChunks.keys()) if (from < node.offset) node.earlyChunks.delete(from)
      return
    case 'RESTORE':
      if (!node.isMaster()) return
      if (!node.data.has(msg.key)) write(node, [[msg.key, msg.value]], keySlot(msg.key), msg.value)
      return node.ctx.send(from, { type: 'RESTORE_OK', id: msg.id })
    case 'RESTORE_OK':
      return restoreDone(node, msg.id)
  }
}

function applyChunk(node: RedisNode, msg: Extract<ReplMsg, { type: 'REPL' }>): void {
  for (const [k, v] of msg.writes) applyWrite(node, k, v)
  node.offset = msg.toOffset
  if (msg.writes.length > 0) persistWrites(node, msg.writes)
}

/** Master: an empty stream chunk every repl-ping-replica-period, so replicas know the link is alive. */
export function replicationCron(node: RedisNode): void {
  const now = node.ctx.now()
  if (node.isMaster()) {
    const periodTicks = Math.max(1, Math.round((node.config.replPingReplicaPeriodS * 1000) / 100))
    if (node.cronTicks % periodTicks === 0) {
      for (const addr of node.replicas) node.ctx.send(addr, { type: 'REPL', replid: node.replid, fromOffset: node.offset, toOffset: node.offset, writes: [] })
    }
    if (node.migration && now - node.migration.sentUs > RESTORE_RETRY_US) sendRestore(node)
    if (node.blocked.length > 0 && node.pausedUntilUs <= now && !node.migration) releaseBlocked(node)
  } else if (node.syncPending || (node.earlyChunks.size > 0 && now - node.gapSinceUs > SYNC_RETRY_US)) {
    node.earlyChunks.clear()
    requestSync(node, false)
  }
}

/** Serves the requests held while clients were paused or a key was in flight. */
export function releaseBlocked(node: RedisNode): void {
  const held = node.blocked.splice(0)
  for (const request of held) serveClient(node, request)
}

/** MIGRATE, key by key: RESTORE on the target, then delete here; requests on the key in flight wait. */
export function startMigration(node: RedisNode, slot: number, to: NodeId): string | null {
  if (!node.isMaster()) return 'MIGRATE must run on the slot owner'
  if (node.migration) return 'a MIGRATE is already running'
  const keys = [...node.data.keys()].filter((k) => keySlot(k) === slot).sort()
  if (keys.length === 0) return null
  node.migration = { id: ++node.migrationSeq, key: keys[0]!, to, rest: keys.slice(1), sentUs: 0 }
  sendRestore(node)
  return null
}

function sendRestore(node: RedisNode): void {
  const m = node.migration!
  m.sentUs = node.ctx.now()
  node.ctx.send(m.to, { type: 'RESTORE', id: m.id, key: m.key, value: node.data.get(m.key) ?? null })
}

function restoreDone(node: RedisNode, id: number): void {
  const m = node.migration
  if (!m || m.id !== id) return
  write(node, [[m.key, undefined]], keySlot(m.key), null)
  node.accepted.pop() // a DEL of a moved key is not a client write
  const next = m.rest.shift()
  if (next === undefined) {
    node.migration = null
    node.ctx.note('migrate-done')
    releaseBlocked(node)
    return
  }
  node.migration = { ...m, id: ++node.migrationSeq, key: next }
  sendRestore(node)
  releaseBlocked(node)
}
