/**
 * nodes.conf and the AOF: what a node keeps across a crash. Redis rewrites nodes.conf (and
 * fsyncs it) on every configuration change: epochs, votes, roles, slot ownership. The dataset
 * is kept as an append-only file, as with `appendonly yes`.
 */
import type { NodeId } from '../../sim/protocol.ts'
import type { RedisNode } from './node.ts'
import { evenSplit, forEachSlot } from './slots.ts'
import type { PeerInfo, SlotRange } from './types.ts'

interface SavedNode {
  name: string
  addr: NodeId
  role: 'master' | 'slave'
  master: string | null
  configEpoch: number
  slots: SlotRange[]
}

interface NodesConf {
  myName: string
  currentEpoch: number
  lastVoteEpoch: number
  nodes: SavedNode[]
  pendingReplicaOf: NodeId | null
  /** MEETs not answered yet: the cluster creator keeps re-sending them until the node joins. */
  meetSent?: NodeId[]
}

export function newPeer(name: string, addr: NodeId, role: 'master' | 'slave' = 'master'): PeerInfo {
  return {
    name, addr, role, master: null, configEpoch: 0, pfail: false, fail: false, pingSentUs: 0, lastPingUs: 0, pongReceivedUs: 0,
    dataReceivedUs: 0, failTimeUs: 0, votedTimeUs: 0, failReports: new Map(), replOffset: 0,
  }
}

export function addPeer(node: RedisNode, peer: PeerInfo): void {
  node.peers.set(peer.name, peer)
  node.byAddr.set(peer.addr, peer.name)
}

export function removePeer(node: RedisNode, name: string): void {
  const peer = node.peers.get(name)
  if (!peer) return
  for (let s = 0; s < node.owner.length; s++) if (node.owner[s] === name) node.setOwner(s, null)
  node.peers.delete(name)
  if (node.byAddr.get(peer.addr) === name) node.byAddr.delete(peer.addr)
  for (const p of node.peers.values()) p.failReports.delete(name)
}

/** A 40-hex-digit node name from the node's own random stream (Redis draws 20 random bytes). */
function drawName(node: RedisNode): string {
  let hex = ''
  for (let i = 0; i < 40; i++) hex += node.ctx.rng.int(0, 15).toString(16)
  return hex
}

/**
 * First boot: what `redis-cli --cluster create` does to this node. The first `masters` nodes
 * get their slots (ADDSLOTS) and every node gets configEpoch = its position + 1
 * (CLUSTER SET-CONFIG-EPOCH); every node then MEETs the first; replicas REPLICATE their
 * master once they learn its name from gossip.
 */
export function bootstrap(node: RedisNode): void {
  node.myName = drawName(node)
  const me = newPeer(node.myName, node.ctx.id)
  addPeer(node, me)
  node.replid = drawName(node)
  if (node.config.create) {
    const ids = node.ctx.nodes
    const masters = mastersAtCreation(node.config, ids.length)
    const index = ids.indexOf(node.ctx.id)
    me.configEpoch = index + 1
    node.currentEpoch = index + 1
    if (index < masters) forEachSlot([evenSplit(masters)[index]!], (s) => node.setOwner(s, node.myName))
    else node.pendingReplicaOf = replicaPlacement(node.config, ids, masters)[node.ctx.id] ?? null
    if (index > 0) sendMeet(node, ids[0]!)
  }
  saveConfig(node)
}

export function mastersAtCreation(config: RedisNode['config'], nodeCount: number): number {
  return Math.max(1, Math.min(nodeCount, config.masters ?? Math.floor(nodeCount / (1 + config.replicasPerMaster))))
}

/** Replica address -> master address: explicit placement, else round-robin over the masters. */
export function replicaPlacement(config: RedisNode['config'], ids: readonly NodeId[], masters: number): Record<NodeId, NodeId> {
  const out: Record<NodeId, NodeId> = {}
  ids.slice(masters).forEach((id, i) => (out[id] = config.replicaOf[id] ?? ids[i % masters]!))
  return out
}

/**
 * Marks nodes.conf for rewriting: like Redis's CLUSTER_TODO_SAVE_CONFIG, the write (with its
 * fsync) happens once, when the handler that changed the configuration returns.
 */
export function saveConfig(node: RedisNode): void {
  node.configDirty = true
}

export function writeConfig(node: RedisNode): void {
  node.configDirty = false
  const nodes: SavedNode[] = [...node.peers.values()].map((p) => ({
    name: p.name, addr: p.addr, role: p.role, master: p.master, configEpoch: p.configEpoch, slots: node.slotsOf(p.name),
  }))
  const conf: NodesConf = { myName: node.myName, currentEpoch: node.currentEpoch, lastVoteEpoch: node.lastVoteEpoch, nodes, pendingReplicaOf: node.pendingReplicaOf, meetSent: [...node.meetSent] }
  node.ctx.storage.put('nodes.conf', conf)
  node.ctx.storage.sync()
}

/** Restart: reload nodes.conf and replay the AOF. Every other node starts with a fresh timeout. */
export function loadConfig(node: RedisNode): boolean {
  const conf = node.ctx.storage.get<NodesConf>('nodes.conf')
  if (!conf) return false
  node.myName = conf.myName
  node.currentEpoch = conf.currentEpoch
  node.lastVoteEpoch = conf.lastVoteEpoch
  node.pendingReplicaOf = conf.pendingReplicaOf
  for (const addr of conf.meetSent ?? []) node.meetSent.add(addr)
  const now = node.ctx.now()
  for (const saved of conf.nodes) {
    const peer = newPeer(saved.name, saved.addr, saved.role)
    peer.master = saved.master
    peer.configEpoch = saved.configEpoch
    peer.pongReceivedUs = now
    peer.dataReceivedUs = now
    addPeer(node, peer)
    forEachSlot(saved.slots, (s) => node.setOwner(s, saved.name))
  }
  const repl = node.ctx.storage.get<{ replid: string; offset: number }>('repl') ?? { replid: '', offset: 0 }
  node.replid = repl.replid
  node.offset = repl.offset
  for (const [key, value] of node.ctx.storage.list<[string, unknown]>('aof')) applyWrite(node, key, value)
  return true
}

/** A value of undefined deletes the key (keys moved away by MIGRATE or a lost slot). */
export function applyWrite(node: RedisNode, key: string, value: unknown): void {
  if (value === undefined || value === null) node.data.delete(key)
  else node.data.set(key, value)
}

/** Appends writes to the AOF and records the replication offset. */
export function persistWrites(node: RedisNode, writes: ReadonlyArray<[string, unknown]>): void {
  node.ctx.storage.append('aof', writes.map(([k, v]) => [k, v ?? null]))
  node.ctx.storage.put('repl', { replid: node.replid, offset: node.offset })
}

/** A full resync replaces the whole dataset (the replica loads the master's RDB). */
export function persistSnapshot(node: RedisNode): void {
  node.ctx.storage.delete('aof')
  node.ctx.storage.append('aof', [...node.data.entries()])
  node.ctx.storage.put('repl', { replid: node.replid, offset: node.offset })
}

export function sendMeet(node: RedisNode, to: NodeId): void {
  node.meetSent.add(to)
  saveConfig(node)
  node.ctx.send(to, { type: 'MEET', hdr: header(node), gossip: [] })
}

// header() lives in bus.ts; imported late to keep this file free of the bus logic.
import { header } from './bus.ts'
