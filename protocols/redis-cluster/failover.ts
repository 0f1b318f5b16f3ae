/**
 * Replica failover (clusterHandleReplicaFailover), the masters' voting rules
 * (clusterSendFailoverAuthIfNeeded), promotion (clusterFailoverReplaceYourMaster) and
 * manual failover (CLUSTER FAILOVER [FORCE|TAKEOVER]).
 */
import { US_PER_MS } from '../../sim/time.ts'
import {
  AUTH_TIMEOUT_MIN_MS, FAILOVER_FIXED_DELAY_MS, FAILOVER_RANDOM_DELAY_MS, FAILOVER_RANK_DELAY_MS, MF_PAUSE_MULT, MF_TIMEOUT_MS,
} from './constants.ts'
import type { RedisNode } from './node.ts'
import { saveConfig } from './persist.ts'
import type { BusMsg, Header, PeerInfo } from './types.ts'
import { broadcast, broadcastPong, header, sendPing } from './bus.ts'
import { releaseBlocked } from './data.ts'

const NO_MF = () => ({ endUs: 0, replica: null, masterOffset: -1, canStart: false, force: false })

/** The replica's part of clusterCron: manual failover progress, then the election. */
export function replicaCron(node: RedisNode): void {
  const now = node.ctx.now()
  if (node.mf.endUs > 0 && now > node.mf.endUs) {
    node.ctx.note('manual-failover-timeout')
    node.mf = NO_MF()
    node.pausedUntilUs = 0
    if (node.isMaster()) releaseBlocked(node)
  }
  if (node.isMaster()) return
  if (node.mf.endUs > 0 && !node.mf.canStart && node.mf.masterOffset !== -1 && node.offset >= node.mf.masterOffset) {
    node.mf.canStart = true
    node.ctx.note('manual-failover-can-start', { offset: node.offset })
  }
  handleReplicaFailover(node)
}

/** Rank: how many replicas of my master have processed more of its stream than I have. */
export function replicaRank(node: RedisNode): number {
  if (node.mutant === 'no-rank-delay') return 0
  return siblingsAhead(node).length
}

/** The replicas of my master that, as far as this node knows, have processed more of its stream. */
export function siblingsAhead(node: RedisNode): PeerInfo[] {
  const ahead: PeerInfo[] = []
  for (const p of node.peers.values()) {
    if (p.name !== node.myName && p.role === 'slave' && p.master === node.me.master && p.replOffset > node.offset) ahead.push(p)
  }
  return ahead
}

export function handleReplicaFailover(node: RedisNode): void {
  const now = node.ctx.now()
  const master = node.myMaster
  const manual = node.mf.endUs > 0 && node.mf.canStart
  const timeoutMs = node.config.nodeTimeoutMs
  const authTimeoutUs = Math.max(timeoutMs * 2, AUTH_TIMEOUT_MIN_MS) * US_PER_MS
  const authRetryUs = authTimeoutUs * 2
  if (!master || (!master.fail && !manual) || node.numSlots(master.name) === 0) return
  // The data-age check: a replica disconnected too long has data too old to be promoted.
  let dataAgeUs = now - node.lastMasterContactUs
  if (dataAgeUs > node.nodeTimeoutUs) dataAgeUs -= node.nodeTimeoutUs
  const maxAgeUs = (node.config.replPingReplicaPeriodS * 1000 + timeoutMs * node.config.replicaValidityFactor) * US_PER_MS
  if (node.config.replicaValidityFactor > 0 && dataAgeUs > maxAgeUs && !manual) return
  const f = node.failover
  if (now - f.authTimeUs > authRetryUs) {
    f.authTimeUs = now + (FAILOVER_FIXED_DELAY_MS + node.ctx.rng.int(0, FAILOVER_RANDOM_DELAY_MS - 1)) * US_PER_MS
    f.authSent = false
    f.voters = new Set()
    f.authRank = replicaRank(node)
    f.authTimeUs += f.authRank * FAILOVER_RANK_DELAY_MS * US_PER_MS
    if (manual) (f.authTimeUs = now), (f.authRank = 0)
    node.ctx.note('failover-scheduled', { inMs: (f.authTimeUs - now) / US_PER_MS, rank: f.authRank })
    broadcastPong(node, true) // let the other replicas see my offset, for their ranks
    // A manual failover goes on at once (Redis: CLUSTER_TODO_HANDLE_FAILOVER before sleeping).
    if (!manual) return
  }
  if (!f.authSent && !manual) {
    const rank = replicaRank(node)
    if (rank > f.authRank) {
      f.authTimeUs += (rank - f.authRank) * FAILOVER_RANK_DELAY_MS * US_PER_MS
      f.authRank = rank
    }
  }
  if (now < f.authTimeUs || now - f.authTimeUs > authTimeoutUs) return
  if (!f.authSent) {
    node.currentEpoch++
    f.authEpoch = node.currentEpoch
    f.authSent = true
    saveConfig(node)
    node.ctx.note('failover-auth-request', { epoch: f.authEpoch })
    node.authRequests.push({ atLocalUs: now, epoch: f.authEpoch, forced: manual })
    broadcast(node, { type: 'FAILOVER_AUTH_REQUEST', hdr: header(node), forceAck: manual })
    return
  }
  const quorum = Math.floor(node.slotMasters().length / 2) + 1
  if (f.voters.size < quorum) return
  if (node.me.configEpoch < f.authEpoch) node.me.configEpoch = f.authEpoch
  node.ctx.note('failover-won', { epoch: f.authEpoch, votes: f.voters.size })
  replaceMyMaster(node)
}

/** Promotion: take every slot of the old master, tell everyone at once. */
export function replaceMyMaster(node: RedisNode): void {
  const old = node.myMaster
  const me = node.me
  me.role = 'master'
  me.master = null
  if (old) for (const [first, last] of node.slotsOf(old.name)) for (let s = first; s <= last; s++) node.setOwner(s, node.myName)
  node.replid = `${node.myName.slice(0, 20)}${node.currentEpoch.toString(16).padStart(20, '0')}`
  node.mf = NO_MF()
  node.claimVersion++
  saveConfig(node)
  node.ctx.note('promoted', { configEpoch: me.configEpoch, from: old?.addr ?? null })
  broadcastPong(node, false)
}

/** A master decides whether to vote for a replica's failover (every rule Redis applies). */
export function handleAuthRequest(node: RedisNode, sender: PeerInfo, msg: Extract<BusMsg, { type: 'FAILOVER_AUTH_REQUEST' }>): void {
  const hdr = msg.hdr
  const now = node.ctx.now()
  const sloppy = node.mutant === 'double-vote'
  if (!node.isMaster() || node.numSlots(node.myName) === 0) return
  if (hdr.currentEpoch < node.currentEpoch) return refuse(node, sender, 'request epoch is old')
  if (node.lastVoteEpoch === node.currentEpoch && !sloppy) return refuse(node, sender, 'already voted in this epoch')
  const master = hdr.master === null ? undefined : node.peers.get(hdr.master)
  if (hdr.role !== 'slave' || !master) return refuse(node, sender, 'sender is not a replica of a known master')
  if (!master.fail && !msg.forceAck) return refuse(node, sender, 'its master is not failing')
  if (now - master.votedTimeUs < node.nodeTimeoutUs * 2 && master.votedTimeUs > 0 && !sloppy) return refuse(node, sender, 'voted for a replica of this master recently')
  for (const [first, last] of hdr.slots) {
    for (let s = first; s <= last; s++) {
      const owner = node.owner[s]
      const ownerEpoch = owner ? (node.peers.get(owner)?.configEpoch ?? 0) : 0
      if (owner && ownerEpoch > hdr.configEpoch) return refuse(node, sender, `slot ${s} is owned at a higher configEpoch`)
    }
  }
  node.lastVoteEpoch = node.currentEpoch
  master.votedTimeUs = now
  node.votes.push({ epoch: node.currentEpoch, for: sender.name })
  saveConfig(node)
  node.ctx.note('vote-granted', { to: sender.addr, epoch: node.currentEpoch })
  node.ctx.send(sender.addr, { type: 'FAILOVER_AUTH_ACK', hdr: header(node) })
}

function refuse(node: RedisNode, sender: PeerInfo, why: string): void {
  node.ctx.note('vote-refused', { to: sender.addr, why })
}

export function handleAuthAck(node: RedisNode, sender: PeerInfo, hdr: Header): void {
  if (sender.role !== 'master' || node.numSlots(sender.name) === 0) return
  if (hdr.currentEpoch < node.failover.authEpoch || node.isMaster()) return
  node.failover.voters.add(sender.name)
}

/** On the master: a replica asked for a manual failover; pause writes and show it the final offset. */
export function handleMfStart(node: RedisNode, sender: PeerInfo): void {
  if (!node.isMaster() || sender.master !== node.myName) return
  const now = node.ctx.now()
  node.mf = { endUs: now + MF_TIMEOUT_MS * US_PER_MS, replica: sender.name, masterOffset: node.offset, canStart: false, force: false }
  node.pausedUntilUs = now + MF_TIMEOUT_MS * MF_PAUSE_MULT * US_PER_MS
  node.ctx.note('manual-failover-paused-clients', { replica: sender.addr })
  sendPing(node, sender.addr, 'PING')
}

/** CLUSTER FAILOVER on a replica: default (coordinated with the master), FORCE, or TAKEOVER. */
export function startManualFailover(node: RedisNode, mode: 'default' | 'force' | 'takeover'): string | null {
  const master = node.myMaster
  if (node.isMaster() || !master) return 'You should send CLUSTER FAILOVER to a replica'
  const now = node.ctx.now()
  if (mode === 'takeover') {
    // No election: a new configEpoch without consensus (clusterBumpConfigEpochWithoutConsensus).
    node.currentEpoch++
    node.me.configEpoch = node.currentEpoch
    node.ctx.note('takeover', { configEpoch: node.currentEpoch })
    replaceMyMaster(node)
    return null
  }
  node.mf = { endUs: now + MF_TIMEOUT_MS * US_PER_MS, replica: null, masterOffset: -1, canStart: mode === 'force', force: mode === 'force' }
  node.failover.authTimeUs = -Infinity // a manual failover starts its election at once
  if (mode === 'default') node.ctx.send(master.addr, { type: 'MFSTART', hdr: header(node) })
  else handleReplicaFailover(node) // FORCE: no handshake with the master, the election starts now
  return null
}
