/**
 * Slot ownership from claims: "the claim with the higher configEpoch wins"
 * (clusterUpdateSlotsConfigWith), UPDATE messages to a node with a stale claim, and the
 * consequences for this node (a master that lost all its slots follows their new owner).
 */
import type { RedisNode } from './node.ts'
import { saveConfig } from './persist.ts'
import { forEachSlot } from './slots.ts'
import type { BusMsg, Header, PeerInfo, SlotRange } from './types.ts'
import { keySlot } from './keyslot.ts'
import { releaseBlocked, requestSync } from './data.ts'

/** Applies `sender`'s claim on `slots` at `configEpoch` to this node's slot table. */
export function updateSlotsConfigWith(node: RedisNode, sender: PeerInfo, configEpoch: number, slots: readonly SlotRange[]): void {
  if (sender.name === node.myName) return
  const curMaster = node.isMaster() ? node.me : node.myMaster
  const ignoreEpochs = node.mutant === 'ignore-config-epoch'
  let newMaster: PeerInfo | null = null
  const dirty: number[] = []
  let kept: { owner: string; ownerEpoch: number } | null = null
  forEachSlot(slots, (s) => {
    const owner = node.owner[s] ?? null
    if (owner === sender.name || node.importing.has(s)) return
    const ownerEpoch = owner === null ? -1 : (node.peers.get(owner)?.configEpoch ?? -1)
    // The mutant compares claims without their epochs: a bound slot then never moves, so
    // the old owner's (stale) claim keeps winning everywhere but on the promoted replica.
    if (owner !== null && (ignoreEpochs || ownerEpoch >= configEpoch)) {
      kept ??= { owner, ownerEpoch }
      return
    }
    if (owner === node.myName && hasKeysIn(node, s)) dirty.push(s)
    if (curMaster && owner === curMaster.name) newMaster = sender
    node.setOwner(s, sender.name)
  })
  if (kept !== null) noteClaimKept(node, sender, configEpoch, kept)
  if (newMaster !== null && curMaster && node.numSlots(curMaster.name) === 0) {
    node.ctx.note('following-new-owner', { master: (newMaster as PeerInfo).addr })
    setMyMaster(node, newMaster)
  } else if (dirty.length > 0) {
    const lost = new Set(dirty)
    for (const key of [...node.data.keys()]) if (lost.has(keySlot(key))) node.data.delete(key)
  }
  saveConfig(node)
}

/**
 * A claim that lost to the owner this node already knows (at a higher configEpoch, or an equal
 * one: a tie keeps the first claim heard until the collision rule separates the epochs).
 * Noted once per message, with the first slot's owner, so a stale claim arriving late shows.
 */
function noteClaimKept(node: RedisNode, sender: PeerInfo, configEpoch: number, kept: { owner: string; ownerEpoch: number }): void {
  node.ctx.note('claim-ignored', {
    from: sender.addr, configEpoch, owner: node.peers.get(kept.owner)?.addr ?? kept.owner, ownerEpoch: kept.ownerEpoch,
  })
}

function hasKeysIn(node: RedisNode, slot: number): boolean {
  for (const key of node.data.keys()) if (keySlot(key) === slot) return true
  return false
}

/**
 * The sender claims a slot that we know is owned at a higher configEpoch by someone else:
 * tell it (clusterSendUpdate), once per message, naming that owner.
 */
export function sendUpdateIfStale(node: RedisNode, sender: PeerInfo, hdr: Header): void {
  for (const [first, last] of hdr.slots) {
    for (let s = first; s <= last; s++) {
      const owner = node.owner[s] ?? null
      if (owner === null || owner === sender.name || owner === hdr.master) continue
      const ownerPeer = node.peers.get(owner)
      if (!ownerPeer || ownerPeer.configEpoch <= hdr.configEpoch) continue
      node.ctx.send(sender.addr, { type: 'UPDATE', hdr: headerFor(node), about: owner, configEpoch: ownerPeer.configEpoch, slots: node.slotsOf(owner) })
      return
    }
  }
}

export function handleUpdate(node: RedisNode, msg: Extract<BusMsg, { type: 'UPDATE' }>): void {
  const about = node.peers.get(msg.about)
  if (!about) return
  if (about.configEpoch >= msg.configEpoch) return
  if (about.role === 'slave') {
    about.role = 'master'
    about.master = null
  }
  about.configEpoch = msg.configEpoch
  node.ctx.note('update-received', { about: about.addr, configEpoch: msg.configEpoch })
  updateSlotsConfigWith(node, about, msg.configEpoch, msg.slots)
}

/** clusterSetMaster: become (or stay) a replica of `master`, and resynchronise from it. */
export function setMyMaster(node: RedisNode, master: PeerInfo): void {
  const me = node.me
  if (me.role === 'master') for (const [first, last] of node.slotsOf(node.myName)) for (let s = first; s <= last; s++) node.setOwner(s, null)
  me.role = 'slave'
  me.master = master.name
  node.migrating.clear()
  node.importing.clear()
  node.replicas.clear()
  node.mf = { endUs: 0, replica: null, masterOffset: -1, canStart: false, force: false }
  node.lastMasterContactUs = node.ctx.now()
  saveConfig(node)
  node.ctx.note('replicating', { master: master.addr })
  node.pausedUntilUs = 0
  requestSync(node, true)
  releaseBlocked(node) // held requests now get MOVED to the new owner
}

import { header as headerFor } from './bus.ts'
