/**
 * Redis Cluster's detail: role and master, the two epochs (currentEpoch for elections,
 * configEpoch for the slots a master claims), the cluster state, the slot ranges the node
 * owns, its replication offset, the nodes it flags PFAIL or FAIL and the failure reports it
 * holds, then a `CLUSTER NODES` listing.
 *
 * The listing is the view's own `clusterNodes` text when it has one. Otherwise it is put
 * together from every node's view, in Redis's column order (id, address, flags, master,
 * ping-sent, pong-recv, config-epoch, link-state, slots): ids, roles, epochs and slots are
 * what each node says of itself, the fail flags are what the selected node believes, and
 * ping and pong times, which no view carries, are printed as `-`.
 */
import type { NodeView } from '../../sim/protocol.ts'
import { compact, type Line, seg } from '../text.ts'
import type { DetailContext } from './context.ts'
import { fieldLines, pair } from './generic.ts'

const SHOWN = new Set(['role', 'leads', 'name', 'master', 'currentEpoch', 'configEpoch', 'state', 'flags', 'slots', 'offset', 'replOffset', 'failReports', 'failureReports', 'clusterNodes'])

/** The ports our Redis Cluster gives every node's address (protocols/redis-cluster/cluster-text.ts). */
const ADDRESS_SUFFIX = ':6379@16379'

export function redisDetail(view: NodeView, width: number, ctx: DetailContext): Line[] {
  const failing = failingPeers(view.flags)
  const reports = view.failReports ?? view.failureReports
  return [
    [...pair('role', view.role), ...pair('master', view.master ?? '-'), ...pair('cluster', view.state ?? '-')],
    [...pair('currentEpoch', view.currentEpoch), ...pair('configEpoch', view.configEpoch), ...pair('offset', view.offset ?? view.replOffset)],
    [seg('slots ', { color: 'gray' }), seg(slotText(view.slots), { bold: true })],
    [seg('flags ', { color: 'gray' }), seg(failing.size === 0 ? 'no peer failing' : [...failing].map(([addr, flag]) => `${addr} ${flag}`).join(', '), failing.size === 0 ? {} : { color: 'red', bold: true })],
    [seg('failure reports ', { color: 'gray' }), seg(reportText(reports), isEmpty(reports) ? {} : { color: 'red' })],
    ...fieldLines(view, SHOWN),
    ...clusterNodesLines(view, ctx, failing),
  ]
}

/** Slot ranges as Redis prints them: 0-5460 10923-16383. */
export function slotText(slots: unknown): string {
  if (typeof slots === 'string') return slots === '' ? 'none' : slots
  if (!Array.isArray(slots)) return slots === undefined ? '-' : compact(slots, 80)
  if (slots.length === 0) return 'none'
  return slots.map((r) => (Array.isArray(r) ? (r[0] === r[1] ? String(r[0]) : `${String(r[0])}-${String(r[1])}`) : String(r))).join(' ')
}

/** `["n3:pfail", "n4:fail"]` (our view's spelling) as a map from address to flag. */
function failingPeers(flags: unknown): Map<string, string> {
  const out = new Map<string, string>()
  if (!Array.isArray(flags)) return out
  for (const f of flags) {
    const [addr, flag] = String(f).split(':')
    if (addr && flag) out.set(addr, flag)
  }
  return out
}

function isEmpty(value: unknown): boolean {
  return value == null || (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.keys(value).length === 0)
}

function reportText(reports: unknown): string {
  if (isEmpty(reports)) return 'none'
  if (Array.isArray(reports)) return reports.map(String).join(' ')
  return compact(reports, 80)
}

function clusterNodesLines(view: NodeView, ctx: DetailContext, failing: Map<string, string>): Line[] {
  if (typeof view.clusterNodes === 'string' && view.clusterNodes !== '') {
    return [[seg('CLUSTER NODES', { color: 'gray', bold: true })], ...view.clusterNodes.trimEnd().split('\n').map((l) => [seg(l)])]
  }
  const known = ctx.nodes.filter((id) => ctx.views[id] != null)
  if (known.length === 0) return []
  const nameOf = (id: string) => String(ctx.views[id]?.name ?? id)
  const rows = known.map((id): Line => {
    const v = ctx.views[id]!
    const flags = [id === ctx.node ? 'myself' : null, String(v.role ?? '?'), failing.get(id) === 'pfail' ? 'fail?' : failing.get(id) === 'fail' ? 'fail' : null].filter(Boolean).join(',')
    const master = typeof v.master === 'string' ? nameOf(v.master) : '-'
    // A replica prints its master's configEpoch, as Redis does.
    const epoch = typeof v.master === 'string' && ctx.views[v.master] ? ctx.views[v.master]!.configEpoch : v.configEpoch
    const slots = slotText(v.slots)
    const text = `${nameOf(id)} ${id}${ADDRESS_SUFFIX} ${flags} ${master} - - ${String(epoch ?? '-')} connected${slots === 'none' || slots === '-' ? '' : ` ${slots}`}`
    return [seg(text, failing.has(id) ? { color: 'red' } : id === ctx.node ? { bold: true } : {})]
  })
  return [[seg(`CLUSTER NODES (from the views; flags as ${ctx.node} sees them)`, { color: 'gray', bold: true })], ...rows]
}
