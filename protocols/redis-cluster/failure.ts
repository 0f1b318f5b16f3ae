/**
 * Failure detection: PFAIL after node_timeout without an answer, failure reports gossiped by
 * masters (valid for 2 x node_timeout), FAIL once a majority of slot-owning masters agree,
 * the FAIL broadcast, and the rules for clearing FAIL.
 */
import { FAIL_REPORT_VALIDITY_MULT, FAIL_UNDO_TIME_MULT } from './constants.ts'
import type { RedisNode } from './node.ts'
import { addPeer, newPeer, saveConfig, sendMeet } from './persist.ts'
import type { Gossip, PeerInfo } from './types.ts'

export function notePfail(node: RedisNode, peer: PeerInfo): void {
  peer.pfail = true
  node.ctx.note('pfail', { node: peer.addr })
  // With a single master no gossip will ever bring a report: it decides alone.
  if (node.isMaster() && node.slotMasters().length === 1) markFailingIfNeeded(node, peer)
}

/** clusterProcessGossipSection: failure reports from masters, fresher pong times, new nodes. */
export function processGossip(node: RedisNode, sender: PeerInfo, entries: readonly Gossip[]): void {
  const now = node.ctx.now()
  for (const g of entries) {
    if (g.name === node.myName) continue
    const peer = node.peers.get(g.name)
    if (peer) {
      if (sender.role === 'master') {
        if (g.pfail || g.fail) {
          if (!peer.failReports.has(sender.name)) node.ctx.note('failure-report', { about: peer.addr, from: sender.addr })
          peer.failReports.set(sender.name, now)
          markFailingIfNeeded(node, peer)
        } else peer.failReports.delete(sender.name)
      }
      // Someone heard from it recently: push our pong time forward, so we do not ping it
      // for nothing (only while we have no doubts of our own about it).
      if (!g.pfail && !g.fail && peer.pingSentUs === 0 && peer.failReports.size === 0 && g.pongReceivedUs > peer.pongReceivedUs && g.pongReceivedUs <= now + 500_000) {
        peer.pongReceivedUs = g.pongReceivedUs
      }
      continue
    }
    // An unknown node that is not failing: meet it (Redis starts a handshake with its address).
    if (!g.pfail && !g.fail && !node.blacklist.has(g.name) && !node.byAddr.has(g.addr)) {
      const fresh = newPeer(g.name, g.addr, g.role)
      addPeer(node, fresh)
      saveConfig(node)
      sendMeet(node, g.addr)
    }
  }
}

/** Valid failure reports about `peer` (older ones are dropped). */
function failureReportCount(node: RedisNode, peer: PeerInfo): number {
  const maxAgeUs = node.nodeTimeoutUs * FAIL_REPORT_VALIDITY_MULT
  const now = node.ctx.now()
  for (const [reporter, atUs] of peer.failReports) if (now - atUs > maxAgeUs) peer.failReports.delete(reporter)
  return peer.failReports.size
}

/** markNodeAsFailingIfNeeded: PFAIL becomes FAIL once a majority of slot-owning masters report it. */
export function markFailingIfNeeded(node: RedisNode, peer: PeerInfo): void {
  const quorum = Math.floor(node.slotMasters().length / 2) + 1
  if (!peer.pfail || peer.fail) return
  let failures = failureReportCount(node, peer)
  if (node.isMaster()) failures++ // a master counts its own PFAIL as a report
  if (failures < quorum) return
  setFail(node, peer)
  const hdr = headerFor(node)
  for (const p of node.peers.values()) if (p.name !== node.myName) node.ctx.send(p.addr, { type: 'FAIL', hdr, about: peer.name })
}

function setFail(node: RedisNode, peer: PeerInfo): void {
  peer.pfail = false
  peer.fail = true
  peer.failTimeUs = node.ctx.now()
  node.ctx.note('fail', { node: peer.addr })
  saveConfig(node)
}

export function handleFailMessage(node: RedisNode, about: string): void {
  const peer = node.peers.get(about)
  if (!peer || peer.fail || about === node.myName) return
  setFail(node, peer)
}

/**
 * clearNodeFailureIfNeeded: a replica, or a master without slots, is cleared as soon as it
 * is reachable; a master with slots only after 2 x node_timeout with nobody taking them over.
 */
export function clearFailureIfNeeded(node: RedisNode, peer: PeerInfo): void {
  const now = node.ctx.now()
  const reachableAgain = peer.role === 'slave' || node.numSlots(peer.name) === 0
  const undo = peer.role === 'master' && node.numSlots(peer.name) > 0 && now - peer.failTimeUs > node.nodeTimeoutUs * FAIL_UNDO_TIME_MULT
  if (!reachableAgain && !undo) return
  peer.fail = false
  node.ctx.note('fail-cleared', { node: peer.addr })
  saveConfig(node)
}

import { header as headerFor } from './bus.ts'
