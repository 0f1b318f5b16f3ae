/**
 * The cluster bus: the cron's ping schedule, PING/PONG/MEET with their header and gossip
 * section, and what a node learns from them (clusterProcessPacket, clusterProcessGossipSection).
 */
import type { NodeId } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import { CRON_MS, RANDOM_PING_EVERY_TICKS, RANDOM_PING_SAMPLE } from './constants.ts'
import { clearFailureIfNeeded, handleFailMessage, markFailingIfNeeded, notePfail, processGossip } from './failure.ts'
import { handleAuthAck, handleAuthRequest, handleMfStart, replicaCron } from './failover.ts'
import type { RedisNode } from './node.ts'
import { addPeer, newPeer, saveConfig } from './persist.ts'
import { handleUpdate, sendUpdateIfStale, setMyMaster, updateSlotsConfigWith } from './slots-config.ts'
import { updateState } from './state.ts'
import { replicationCron } from './data.ts'
import type { BusMsg, Gossip, Header } from './types.ts'

export function header(node: RedisNode): Header {
  const me = node.me
  const master = node.myMaster
  const claimer = me.role === 'slave' && master ? master : me
  return {
    sender: node.myName, addr: node.ctx.id, currentEpoch: node.currentEpoch, configEpoch: claimer.configEpoch,
    slots: node.slotsOf(claimer.name), role: me.role, master: me.master, offset: node.offset,
    mfPaused: node.isMaster() && node.mf.endUs > 0 && node.mf.replica !== null, state: node.state,
  }
}

export function sendPing(node: RedisNode, to: NodeId, type: 'PING' | 'PONG' | 'MEET'): void {
  const target = node.peers.get(node.byAddr.get(to) ?? '')
  if (type === 'PING' && target) {
    if (target.pingSentUs === 0) target.pingSentUs = node.ctx.now()
    target.lastPingUs = node.ctx.now()
  }
  node.ctx.send(to, { type, hdr: header(node), gossip: gossipSection(node, target?.name ?? null) })
}

/**
 * The gossip section (clusterSendPing): wanted = max(3, floor(nodes / 10)) healthy entries,
 * at most nodes - 2, drawn at random, plus every node this one flags PFAIL.
 */
export function gossipSection(node: RedisNode, toName: string | null): Gossip[] {
  const all = [...node.peers.values()]
  const fresh = all.length - 2
  const wanted = Math.min(fresh, Math.max(3, Math.floor(all.length / 10)))
  const out: Gossip[] = []
  const chosen = new Set<string>()
  for (let tries = 0; tries < wanted * 3 && out.length < wanted; tries++) {
    const p = node.ctx.rng.pick(all)
    if (p.name === node.myName || p.name === toName || p.pfail || chosen.has(p.name)) continue
    if (p.role === 'master' && node.numSlots(p.name) === 0 && p.pongReceivedUs === 0) continue
    chosen.add(p.name)
    out.push(gossipOf(p))
  }
  for (const p of all) if (p.pfail && !chosen.has(p.name) && p.name !== node.myName) out.push(gossipOf(p))
  return out
}

function gossipOf(p: import('./types.ts').PeerInfo): Gossip {
  return { name: p.name, addr: p.addr, pingSentUs: p.pingSentUs, pongReceivedUs: p.pongReceivedUs, pfail: p.pfail, fail: p.fail, role: p.role }
}

/** Sends a PONG to every known node (or only my master's replicas): after a failover, or to share offsets. */
export function broadcastPong(node: RedisNode, onlyLocalReplicas: boolean): void {
  const myMaster = node.me.master
  for (const p of node.peers.values()) {
    if (p.name === node.myName) continue
    if (onlyLocalReplicas && (p.role !== 'slave' || p.master !== myMaster)) continue
    sendPing(node, p.addr, 'PONG')
  }
}

export function broadcast(node: RedisNode, msg: BusMsg): void {
  for (const p of node.peers.values()) if (p.name !== node.myName) node.ctx.send(p.addr, msg)
}

/** clusterCron, every 100 ms. */
export function clusterCron(node: RedisNode): void {
  const now = node.ctx.now()
  node.cronTicks++
  const timeoutUs = node.nodeTimeoutUs
  for (const [name, until] of node.blacklist) if (until <= now) node.blacklist.delete(name)
  if (node.cronTicks % RANDOM_PING_EVERY_TICKS === 0) {
    pingOldestOfSample(node)
    node.ctx.storage.sync() // appendfsync everysec: the AOF reaches the disk once a second
    // An unanswered MEET is sent again (Redis keeps reconnecting a handshake link).
    for (const addr of node.meetSent) node.ctx.send(addr, { type: 'MEET', hdr: header(node), gossip: [] })
  }
  for (const p of node.peers.values()) {
    if (p.name === node.myName) continue
    // The node_timeout/2 rule: nobody goes unpinged long enough to be suspected for nothing.
    if (p.pingSentUs === 0 && now - p.pongReceivedUs > timeoutUs / 2) sendPing(node, p.addr, 'PING')
    // A master in a manual failover keeps pinging the replica so it sees the paused offset quickly.
    else if (node.mf.endUs > 0 && node.isMaster() && node.mf.replica === p.name) sendPing(node, p.addr, 'PING')
    if (p.pingSentUs === 0) continue
    // Redis's bus is TCP: a PING is never lost, only late. Our network loses messages, so an
    // unanswered PING is sent again after node_timeout/2, standing in for TCP's retransmission.
    // (Waiting also for node_timeout/2 without data, as Redis's link reset does, left a lost PING
    // unanswered forever when the peer kept pinging us: PFAIL was never cleared.)
    if (now - p.lastPingUs > timeoutUs / 2) sendPing(node, p.addr, 'PING')
    const delayUs = Math.min(now - p.pingSentUs, now - p.dataReceivedUs)
    if (delayUs > timeoutUs && !p.pfail && !p.fail) notePfail(node, p)
  }
  if (node.pendingReplicaOf !== null) tryPendingReplicate(node)
  replicaCron(node)
  replicationCron(node)
  updateState(node)
}

/** Every second: of five random nodes with no ping in flight, ping the one heard from least recently. */
function pingOldestOfSample(node: RedisNode): void {
  const all = [...node.peers.values()]
  let oldest: import('./types.ts').PeerInfo | null = null
  for (let i = 0; i < RANDOM_PING_SAMPLE; i++) {
    const p = node.ctx.rng.pick(all)
    if (p.name === node.myName || p.pingSentUs !== 0) continue
    if (oldest === null || p.pongReceivedUs < oldest.pongReceivedUs) oldest = p
  }
  if (oldest) sendPing(node, oldest.addr, 'PING')
}

function tryPendingReplicate(node: RedisNode): void {
  const name = node.byAddr.get(node.pendingReplicaOf!)
  const master = name === undefined ? undefined : node.peers.get(name)
  if (!master || master.role !== 'master' || node.numSlots(master.name) === 0) return
  node.pendingReplicaOf = null
  setMyMaster(node, master)
}

export function handleBusMessage(node: RedisNode, from: NodeId, msg: BusMsg): void {
  const now = node.ctx.now()
  const hdr = msg.hdr
  if (node.blacklist.has(hdr.sender)) return
  const answersMeet = msg.type === 'PONG' && node.meetSent.delete(from)
  if (answersMeet) saveConfig(node)
  let sender = node.peers.get(hdr.sender)
  if (!sender && (msg.type === 'MEET' || answersMeet)) {
    sender = newPeer(hdr.sender, from, hdr.role)
    addPeer(node, sender)
    saveConfig(node)
  }
  if (!sender) {
    if (msg.type === 'PING') sendPing(node, from, 'PONG') // so an unknown node can still MEET us
    return
  }
  if (sender.addr !== from) {
    node.byAddr.delete(sender.addr)
    sender.addr = from
    node.byAddr.set(from, sender.name)
  }
  sender.dataReceivedUs = now
  sender.replOffset = hdr.offset
  if (node.me.master === sender.name) node.lastMasterContactUs = now
  if (hdr.currentEpoch > node.currentEpoch) {
    node.currentEpoch = hdr.currentEpoch
    saveConfig(node)
  }
  if (hdr.role === 'master' && hdr.configEpoch > sender.configEpoch) {
    sender.configEpoch = hdr.configEpoch
    saveConfig(node)
  }
  switch (msg.type) {
    case 'PING':
    case 'MEET':
    case 'PONG':
      return handlePingPong(node, sender, msg)
    case 'FAIL':
      return handleFailMessage(node, msg.about)
    case 'UPDATE':
      return handleUpdate(node, msg)
    case 'FAILOVER_AUTH_REQUEST':
      return handleAuthRequest(node, sender, msg)
    case 'FAILOVER_AUTH_ACK':
      return handleAuthAck(node, sender, msg.hdr)
    case 'MFSTART':
      return handleMfStart(node, sender)
  }
}

function handlePingPong(node: RedisNode, sender: import('./types.ts').PeerInfo, msg: Extract<BusMsg, { type: 'PING' | 'PONG' | 'MEET' }>): void {
  const hdr = msg.hdr
  if (msg.type !== 'PONG') sendPing(node, sender.addr, 'PONG')
  if (msg.type === 'PONG') {
    // Only a PONG answers a ping and can clear PFAIL or FAIL; any message resets the data clock.
    sender.pongReceivedUs = node.ctx.now()
    sender.pingSentUs = 0
    if (sender.pfail) {
      sender.pfail = false
      node.ctx.note('pfail-cleared', { node: sender.addr })
    } else if (sender.fail) clearFailureIfNeeded(node, sender)
  }
  updateRole(node, sender, hdr)
  // A replica of mine on the bus is a replica I stream to, even if I restarted since it
  // synced (Redis: the replica reconnects within a second of losing its link).
  if (hdr.role === 'slave' && hdr.master === node.myName && node.isMaster()) node.replicas.add(sender.addr)
  if (node.mf.endUs > 0 && !node.isMaster() && node.me.master === sender.name && hdr.mfPaused && node.mf.masterOffset === -1) {
    node.mf.masterOffset = hdr.offset
    node.ctx.note('manual-failover-master-paused', { offset: hdr.offset })
  }
  const claimer = hdr.role === 'master' ? sender : hdr.master !== null ? node.peers.get(hdr.master) : undefined
  if (claimer) {
    const known = node.slotsOf(claimer.name)
    const dirty = JSON.stringify(known) !== JSON.stringify(hdr.slots)
    if (dirty && hdr.role === 'master') updateSlotsConfigWith(node, sender, hdr.configEpoch, hdr.slots)
    if (dirty) sendUpdateIfStale(node, sender, hdr)
  }
  if (hdr.role === 'master' && node.isMaster() && sender.configEpoch === node.me.configEpoch) handleEpochCollision(node, sender)
  processGossip(node, sender, msg.gossip)
}

/** A sender's role and master as its header states them (clusterSetNodeAsMaster, a changed slaveof). */
function updateRole(node: RedisNode, sender: import('./types.ts').PeerInfo, hdr: Header): void {
  if (hdr.role === 'master' && sender.role === 'slave') {
    sender.role = 'master'
    sender.master = null
    saveConfig(node)
  } else if (hdr.role === 'slave' && (sender.role !== 'slave' || sender.master !== hdr.master)) {
    if (sender.role === 'master') for (let s = 0; s < node.owner.length && node.numSlots(sender.name) > 0; s++) if (node.owner[s] === sender.name) node.setOwner(s, null)
    sender.role = 'slave'
    sender.master = hdr.master
    saveConfig(node)
  }
}

/**
 * clusterHandleConfigEpochCollision: two masters with one configEpoch. The one with the
 * lexicographically smaller name takes a new epoch, so every claim ends up ordered.
 */
function handleEpochCollision(node: RedisNode, sender: import('./types.ts').PeerInfo): void {
  if (node.mutant === 'no-epoch-collision') return
  if (sender.name <= node.myName) return
  node.currentEpoch++
  node.me.configEpoch = node.currentEpoch
  saveConfig(node)
  node.ctx.note('config-epoch-collision', { with: sender.addr, newEpoch: node.currentEpoch })
}

export const PING_INTERVAL_US = CRON_MS * US_PER_MS
export { markFailingIfNeeded }
