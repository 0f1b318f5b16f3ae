/**
 * The cluster pane: one row per node (id, role, term or epoch, status, partition side) and
 * the partition beneath, so a glance tells who can reach whom: sides are lettered A, B...,
 * and links cut in one direction only are listed with an arrow.
 */
import type { PartitionState } from '../../sim/trace/timeline.ts'
import { type Line, seg, title, windowAt } from '../text.ts'
import { type PaneContext, roleColor } from './context.ts'

export function clusterPane(ctx: PaneContext, width: number, height: number): Line[] {
  const { session, state, cluster } = ctx
  const partition = partitionLines(cluster.partition)
  const rows = Math.max(1, height - 1 - partition.length)
  const nodes = session.nodes.map((id, position) => nodeRow(ctx, id, position, sideOf(cluster.partition, id)))
  const shown = windowAt(nodes, state.selected - rows + 1, rows)
  const counts = `${session.nodes.length} nodes`
  return [title('Cluster', width, state.pane === 'cluster', counts), ...shown.items, ...partition].slice(0, height)
}

function nodeRow(ctx: PaneContext, id: string, position: number, side: string): Line {
  const { cluster, state } = ctx
  const status = cluster.status[id] ?? 'up'
  const view = cluster.views[id] ?? null
  const role = status === 'crashed' ? 'crashed' : String(view?.role ?? view?.state ?? '-')
  const color = status === 'crashed' ? 'red' : status === 'paused' ? 'magenta' : roleColor(role)
  const selected = position === state.selected
  const leads = view?.leads === true ? '★' : ' '
  return [
    seg(selected ? '▸' : ' ', { bold: true }),
    seg(`${id.padEnd(4)} `, selected ? { inverse: true } : {}),
    seg(`${leads}${role.padEnd(10)}`, color ? { color, bold: view?.leads === true } : {}),
    seg(` ${termOf(view).padEnd(6)}`),
    seg(` ${status.padEnd(7)}`, status === 'up' ? { color: 'gray' } : { color: color ?? 'red' }),
    seg(side ? ` ${side}` : '', { color: 'yellow' }),
  ]
}

/** Raft's term, ZAB's epoch, Redis's epochs: whichever the view has, labelled. */
export function termOf(view: Record<string, unknown> | null): string {
  if (view === null) return ''
  // ZAB shows its epoch as a term too; an epoch is what ZooKeeper calls it.
  if (typeof view.currentEpoch === 'number') return `E${view.currentEpoch}`
  if (typeof view.term === 'number') return `T${view.term}`
  if (typeof view.epoch === 'number') return `E${view.epoch}`
  return ''
}

/** The side letter of a node in a grouped partition ("A", "B"...), empty when whole or ungrouped. */
export function sideOf(partition: PartitionState | null, node: string): string {
  if (partition?.groups == null) return ''
  const k = partition.groups.findIndex((g) => g.includes(node))
  return k < 0 ? '' : String.fromCharCode(65 + k)
}

export function partitionLines(partition: PartitionState | null): Line[] {
  if (partition === null) return [[seg('network whole: every node reaches every node', { color: 'gray' })]]
  const lines: Line[] = [[seg('partition ', { color: 'yellow', bold: true }), seg(partition.description)]]
  if (partition.groups !== null) {
    lines.push([seg('sides ', { color: 'yellow' }), seg(partition.groups.map((g, k) => `${String.fromCharCode(65 + k)}{${g.join(' ')}}`).join(' | '))])
  }
  const oneWay = oneWayLinks(partition.blocked)
  if (oneWay.length > 0) lines.push([seg('one-way cut ', { color: 'yellow' }), seg(oneWay.map(([from, to]) => `${from}↛${to}`).join(' '))])
  else if (partition.groups === null) lines.push([seg('cut ', { color: 'yellow' }), seg(partition.blocked.filter(([a, b]) => a < b).map(([a, b]) => `${a}↮${b}`).join(' '))])
  return lines
}

/** Directed cuts whose reverse link still works: from can no longer reach to, but to still reaches from. */
export function oneWayLinks(blocked: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const cut = new Set(blocked.map(([a, b]) => `${a}\u0000${b}`))
  return blocked.filter(([a, b]) => !cut.has(`${b}\u0000${a}`)).map(([a, b]) => [a, b])
}
