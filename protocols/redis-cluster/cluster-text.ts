/**
 * CLUSTER NODES and CLUSTER SLOTS from one node's point of view, in Redis's format
 * (clusterGenNodeDescription and clusterReplyShards/addNodeReplyForClusterSlot). A node's
 * address is its engine id standing in for the host: "n1:6379@16379".
 */
import type { RedisNode } from './node.ts'
import { formatRanges } from './slots.ts'
import type { PeerInfo } from './types.ts'

export const PORT = 6379
export const BUS_PORT = 16379

function flagsOf(node: RedisNode, p: PeerInfo): string {
  const flags: string[] = []
  if (p.name === node.myName) flags.push('myself')
  flags.push(p.role)
  if (p.pfail) flags.push('fail?')
  if (p.fail) flags.push('fail')
  return flags.join(',')
}

/** Replicas print their master's configEpoch, as Redis does. */
function epochOf(node: RedisNode, p: PeerInfo): number {
  const master = p.role === 'slave' && p.master !== null ? node.peers.get(p.master) : undefined
  return master ? master.configEpoch : p.configEpoch
}

const ms = (us: number) => Math.max(0, Math.floor(us / 1000))

/** One line per known node: id addr flags master ping-sent pong-recv config-epoch link-state slots... */
export function clusterNodesText(node: RedisNode): string {
  const nowUs = node.ctx.now()
  const lines: string[] = []
  for (const p of node.peers.values()) {
    const myself = p.name === node.myName
    const pingSent = myself ? 0 : ms(p.pingSentUs)
    const pong = myself ? Math.floor(ms(nowUs) / 1000) * 1000 : ms(p.pongReceivedUs)
    // Redis drops a link whose ping has gone unanswered for node_timeout/2 and reconnects.
    const link = myself || p.pingSentUs === 0 || nowUs - p.pingSentUs <= node.nodeTimeoutUs / 2 ? 'connected' : 'disconnected'
    const parts = [p.name, `${p.addr}:${PORT}@${BUS_PORT}`, flagsOf(node, p), p.master ?? '-', String(pingSent), String(pong), String(epochOf(node, p)), link]
    const slots = formatRanges(node.slotsOf(p.name))
    if (slots !== '') parts.push(slots)
    if (myself) {
      for (const [slot, to] of [...node.migrating].sort((a, b) => a[0] - b[0])) parts.push(`[${slot}->-${to}]`)
      for (const [slot, from] of [...node.importing].sort((a, b) => a[0] - b[0])) parts.push(`[${slot}-<-${from}]`)
    }
    lines.push(parts.join(' '))
  }
  return lines.join('\n') + '\n'
}

/** One entry per contiguous range: [start, end, [host, port, id], ...replicas not failing]. */
export type SlotsEntry = [number, number, ...Array<[string, number, string]>]

export function clusterSlotsValue(node: RedisNode): SlotsEntry[] {
  const out: SlotsEntry[] = []
  for (const master of node.peers.values()) {
    if (master.role !== 'master' || node.numSlots(master.name) === 0) continue
    const replicas = [...node.peers.values()].filter((r) => r.role === 'slave' && r.master === master.name && !r.fail)
    for (const [first, last] of node.slotsOf(master.name)) {
      out.push([first, last, [master.addr, PORT, master.name], ...replicas.map((r): [string, number, string] => [r.addr, PORT, r.name])])
    }
  }
  return out.sort((a, b) => a[0] - b[0])
}

/** The reply as redis-cli prints it: one value a line, a blank line between nested entries. */
export function clusterSlotsText(node: RedisNode): string {
  const lines: string[] = []
  for (const [first, last, ...nodes] of clusterSlotsValue(node)) {
    lines.push(String(first), String(last))
    for (const [host, port, id] of nodes) lines.push(host, String(port), id, '')
  }
  return lines.join('\n')
}
