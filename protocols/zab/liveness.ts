/**
 * What a healed ZAB cluster must do (for `faultline check`): an established leader followed
 * by a quorum of up-to-date servers, and a client write completing ok after the heal.
 */
import type { Liveness } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import type { ZabConfig } from './config.ts'
import { WRITE_OPS } from './datatree.ts'
import type { ZabNode } from './node.ts'
import { isQuorum } from './vote.ts'

export function zabLiveness(config: ZabConfig): Liveness<ZabNode> {
  let healedUs: number | null = null
  let scanned = 0
  let wrote = false
  // A LOOKING server alone may have doubled its notification timeout up to the cap; then
  // discovery and synchronisation take up to initLimit ticks each, a few times over.
  const withinUs = (config.maxNotificationIntervalMs + 20 * config.initLimit * config.tickTimeMs) * US_PER_MS + 5_000_000
  return {
    description: 'an established leader followed by a quorum of up-to-date servers, and a client write completing ok after the heal',
    withinUs,
    check(ctx) {
      healedUs ??= ctx.time
      for (; scanned < ctx.history.length; scanned++) {
        const h = ctx.history[scanned]!
        if (h.type === 'ok' && WRITE_OPS.has(h.f) && h.timeUs >= healedUs) wrote = true
      }
      const leader = ctx.nodeIds.map((id) => ctx.node(id)?.leader).find((l) => l?.established)
      if (!leader) return 'no established leader'
      const uptodate = 1 + [...leader.handlers.values()].filter((h) => h.phase === 'uptodate').length
      if (!isQuorum(uptodate, ctx.nodeIds.length)) return `the leader has ${uptodate} of ${ctx.nodeIds.length} servers up to date`
      return wrote ? null : 'no client write has completed ok since the heal'
    },
  }
}
