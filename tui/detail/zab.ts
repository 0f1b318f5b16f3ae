/**
 * ZAB's detail: the peer state (LOOKING, FOLLOWING, LEADING), the current vote of Fast
 * Leader Election (proposed leader, its zxid and epoch) and the election round, the two
 * epochs of discovery (acceptedEpoch, currentEpoch), the last zxid and the committed zxid.
 * A zxid is shown as epoch.counter: ZooKeeper keeps the epoch in its high 32 bits.
 */
import type { NodeView } from '../../sim/protocol.ts'
import { compact, type Line, seg } from '../text.ts'
import { fieldLines, pair } from './generic.ts'

const SHOWN = new Set(['role', 'leads', 'term', 'state', 'zabState', 'vote', 'round', 'acceptedEpoch', 'currentEpoch', 'lastZxid', 'committed', 'committedZxid', 'lastCommitted', 'following'])

export function zabDetail(view: NodeView): Line[] {
  const vote = typeof view.vote === 'object' && view.vote !== null ? (view.vote as Record<string, unknown>) : null
  const committed = view.committed ?? view.committedZxid ?? view.lastCommitted
  return [
    [...pair('state', peerState(view)), ...pair('phase', view.zabState ?? '-'), ...pair('following', view.following ?? '-')],
    [...pair('acceptedEpoch', view.acceptedEpoch), ...pair('currentEpoch', view.currentEpoch)],
    [...pair('lastZxid', zxid(view.lastZxid)), ...pair('committed', zxid(committed))],
    vote === null
      ? [seg('vote ', { color: 'gray' }), seg(view.vote === undefined ? '-' : compact(view.vote, 40), { bold: true }), seg(view.round === undefined ? '' : `  round ${String(view.round)}`, { color: 'gray' })]
      : [seg('vote ', { color: 'gray' }), seg(`leader ${String(vote.leader ?? vote.id ?? '?')}`, { bold: true }), seg(` zxid ${zxid(vote.zxid)} epoch ${String(vote.epoch ?? vote.peerEpoch ?? '?')}`), seg(view.round === undefined ? '' : `  round ${String(view.round)}`, { color: 'gray' })],
    ...fieldLines(view, SHOWN),
  ]
}

/** ZooKeeper's peer states in its own spelling: LOOKING, FOLLOWING, LEADING, OBSERVING. */
function peerState(view: NodeView): string {
  const state = view.state ?? view.role
  return typeof state === 'string' ? state.toUpperCase() : '-'
}

/** epoch.counter for a numeric zxid (high 32 bits, low 32 bits); other shapes as they are. */
export function zxid(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    const epoch = Math.floor(value / 2 ** 32)
    return `${epoch}.${value % 2 ** 32}`
  }
  if (typeof value === 'object' && value !== null && 'epoch' in value && 'counter' in value) {
    const z = value as { epoch: unknown; counter: unknown }
    return `${String(z.epoch)}.${String(z.counter)}`
  }
  return value === undefined ? '-' : compact(value, 24)
}
