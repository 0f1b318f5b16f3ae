/**
 * CLUSTER ... operations a scenario issues (plan `command` steps, sim.command). Shapes are
 * listed in README.md. A Redis-level refusal (what redis-cli would print as -ERR) is a note;
 * a malformed command is a thrown error, which the engine reports as a node error.
 */
import type { NodeCommand } from '../../sim/protocol.ts'
import { broadcastPong } from './bus.ts'
import { startMigration } from './data.ts'
import { startManualFailover } from './failover.ts'
import type { RedisNode } from './node.ts'
import { removePeer, saveConfig, sendMeet } from './persist.ts'
import { BLACKLIST_TTL_MS, SLOTS } from './constants.ts'
import { setMyMaster } from './slots-config.ts'
import { forEachSlot } from './slots.ts'
import type { PeerInfo, SlotRange } from './types.ts'
import { US_PER_MS } from '../../sim/time.ts'

export function runCommand(node: RedisNode, cmd: NodeCommand): void {
  const error = dispatch(node, cmd)
  if (error !== null) node.ctx.note('command-error', { command: cmd.type, error })
  else node.ctx.note('command-ok', { command: cmd.type })
}

function dispatch(node: RedisNode, cmd: NodeCommand): string | null {
  switch (cmd.type) {
    case 'MEET':
      sendMeet(node, str(cmd, 'addr'))
      return null
    case 'ADDSLOTS':
      return addSlots(node, slotList(cmd))
    case 'DELSLOTS':
      for (const s of slotList(cmd)) node.setOwner(s, null)
      saveConfig(node)
      return null
    case 'SETSLOT':
      return setSlot(node, cmd)
    case 'REPLICATE': {
      const master = peerOf(node, str(cmd, 'master'))
      if (!master || master.role !== 'master') return `Unknown node ${String(cmd.master)}`
      if (node.isMaster() && node.numSlots(node.myName) > 0) return 'To set a master the node must be empty and without assigned slots.'
      setMyMaster(node, master)
      return null
    }
    case 'FORGET': {
      const peer = peerOf(node, str(cmd, 'node'))
      if (!peer) return `Unknown node ${String(cmd.node)}`
      if (peer.name === node.myName) return "I tried hard but I can't forget myself..."
      if (node.me.master === peer.name) return "Can't forget my master!"
      node.blacklist.set(peer.name, node.ctx.now() + BLACKLIST_TTL_MS * US_PER_MS)
      removePeer(node, peer.name)
      saveConfig(node)
      return null
    }
    case 'FAILOVER': {
      const mode = cmd.mode === undefined ? 'default' : String(cmd.mode).toLowerCase()
      if (mode !== 'default' && mode !== 'force' && mode !== 'takeover') throw new Error(`FAILOVER mode must be FORCE or TAKEOVER, not ${String(cmd.mode)}`)
      return startManualFailover(node, mode)
    }
    case 'MIGRATE': {
      const to = str(cmd, 'to')
      return startMigration(node, slotNumber(cmd.slot), to)
    }
    default:
      throw new Error(`unknown redis-cluster command '${cmd.type}' (MEET, ADDSLOTS, DELSLOTS, SETSLOT, REPLICATE, FORGET, FAILOVER, MIGRATE)`)
  }
}

function addSlots(node: RedisNode, slots: number[]): string | null {
  const busy = slots.find((s) => node.owner[s] !== null)
  if (busy !== undefined) return `Slot ${busy} is already busy`
  for (const s of slots) node.setOwner(s, node.myName)
  saveConfig(node)
  return null
}

function setSlot(node: RedisNode, cmd: NodeCommand): string | null {
  const slot = slotNumber(cmd.slot)
  const state = String(cmd.state ?? '').toUpperCase()
  if (state === 'STABLE') {
    node.migrating.delete(slot)
    node.importing.delete(slot)
    return null
  }
  const target = peerOf(node, str(cmd, 'node'))
  if (!target) return `I don't know about node ${String(cmd.node)}`
  if (state === 'MIGRATING') {
    if (node.owner[slot] !== node.myName) return `I'm not the owner of hash slot ${slot}`
    node.migrating.set(slot, target.name)
  } else if (state === 'IMPORTING') {
    if (node.owner[slot] === node.myName) return `I'm already the owner of hash slot ${slot}`
    node.importing.set(slot, target.name)
  } else if (state === 'NODE') {
    if (node.owner[slot] === node.myName && target.name !== node.myName && [...node.data.keys()].some((k) => keySlot(k) === slot)) {
      return `Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`
    }
    if (node.migrating.get(slot) !== undefined && target.name !== node.myName) node.migrating.delete(slot)
    if (node.importing.has(slot) && target.name === node.myName) {
      node.importing.delete(slot)
      bumpEpochWithoutConsensus(node)
    }
    node.setOwner(slot, target.name)
    broadcastPong(node, false)
  } else throw new Error(`SETSLOT state must be NODE, MIGRATING, IMPORTING or STABLE, not '${String(cmd.state)}'`)
  saveConfig(node)
  return null
}

/** clusterBumpConfigEpochWithoutConsensus: take a new epoch unless ours is already the greatest. */
export function bumpEpochWithoutConsensus(node: RedisNode): void {
  let max = node.currentEpoch
  for (const p of node.peers.values()) max = Math.max(max, p.configEpoch)
  if (node.me.configEpoch === 0 || node.me.configEpoch !== max) {
    node.currentEpoch++
    node.me.configEpoch = node.currentEpoch
    node.ctx.note('config-epoch-bumped', { configEpoch: node.currentEpoch })
  }
}

/** A node named by engine address ("n3") or by its 40-hex name. */
function peerOf(node: RedisNode, ref: string): PeerInfo | undefined {
  return node.peers.get(ref) ?? node.peers.get(node.byAddr.get(ref) ?? '')
}

function str(cmd: NodeCommand, field: string): string {
  const v = cmd[field]
  if (typeof v !== 'string' || v === '') throw new Error(`${cmd.type} needs '${field}' (a node address like "n2" or a 40-hex name)`)
  return v
}

function slotNumber(v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= SLOTS) throw new Error(`bad slot ${JSON.stringify(v)}: expected 0 to ${SLOTS - 1}`)
  return v as number
}

function slotList(cmd: NodeCommand): number[] {
  const out: number[] = []
  if (Array.isArray(cmd.slots)) for (const s of cmd.slots) out.push(slotNumber(s))
  if (Array.isArray(cmd.ranges)) forEachSlot(cmd.ranges as SlotRange[], (s) => out.push(slotNumber(s)))
  if (out.length === 0) throw new Error(`${cmd.type} needs 'slots' (numbers) or 'ranges' ([[first, last]])`)
  return out
}

import { header as headerFor } from './bus.ts'
import { keySlot } from './keyslot.ts'
