/**
 * Redis Cluster's detail: role and master, the two epochs (currentEpoch for elections,
 * configEpoch for the slots a master claims), flags such as PFAIL and FAIL, the slot ranges
 * the node owns, the replication offset, the failure reports it holds about others, and
 * its `CLUSTER NODES` text when the view carries one (one line per known node, as Redis prints it).
 */
import type { NodeView } from '../../sim/protocol.ts'
import { compact, type Line, seg } from '../text.ts'
import { fieldLines, pair } from './generic.ts'

const SHOWN = new Set(['role', 'leads', 'master', 'currentEpoch', 'configEpoch', 'flags', 'slots', 'replOffset', 'replicationOffset', 'failureReports', 'clusterNodes'])

export function redisDetail(view: NodeView): Line[] {
  const flags = Array.isArray(view.flags) ? view.flags.join(',') : String(view.flags ?? '')
  const failing = /fail/i.test(flags)
  return [
    [...pair('role', view.role), ...pair('master', view.master ?? '-')],
    [...pair('currentEpoch', view.currentEpoch), ...pair('configEpoch', view.configEpoch)],
    [seg('flags ', { color: 'gray' }), seg(flags || '-', failing ? { color: 'red', bold: true } : { bold: true }), seg('  '), ...pair('offset', view.replOffset ?? view.replicationOffset)],
    [seg('slots ', { color: 'gray' }), seg(slotText(view.slots))],
    ...reportLines(view.failureReports),
    ...fieldLines(view, SHOWN),
    ...clusterNodesLines(view.clusterNodes),
  ]
}

/** Slot ranges as Redis prints them: 0-5460 10923-16383. */
export function slotText(slots: unknown): string {
  if (!Array.isArray(slots)) return slots === undefined ? '-' : compact(slots, 80)
  if (slots.length === 0) return 'none'
  return slots.map((r) => (Array.isArray(r) ? (r[0] === r[1] ? String(r[0]) : `${String(r[0])}-${String(r[1])}`) : String(r))).join(' ')
}

function reportLines(reports: unknown): Line[] {
  if (reports === undefined || reports === null) return []
  const entries = Array.isArray(reports) ? reports.map((r, k) => [String(k), r] as const) : Object.entries(reports as Record<string, unknown>)
  if (entries.length === 0) return [[seg('failure reports ', { color: 'gray' }), seg('none')]]
  return [[seg('failure reports', { color: 'gray' })], ...entries.map(([about, by]) => [seg(`  ${Array.isArray(reports) ? '' : `${about}: `}${compact(by, 70)}`, { color: 'red' })])]
}

function clusterNodesLines(text: unknown): Line[] {
  if (typeof text !== 'string' || text === '') return []
  return [[seg('CLUSTER NODES', { color: 'gray', bold: true })], ...text.trimEnd().split('\n').map((l) => [seg(l)])]
}
