/**
 * After a heal and a quiet period: every live node agrees on each slot's owner, that owner
 * is the live claim with the highest configEpoch, and every node's cluster state is ok.
 */
import type { InvariantContext, Liveness } from '../../sim/protocol.ts'
import { US_PER_MS } from '../../sim/time.ts'
import { SLOTS } from './constants.ts'
import type { RedisNode } from './node.ts'
import type { RedisClusterConfig } from './types.ts'

type View = Pick<InvariantContext<RedisNode>, 'nodeIds' | 'node'>

/** Null once the slot map has converged to the highest-configEpoch claims; else what is still wrong. */
export function slotMapProblem(ctx: View): string | null {
  const live = ctx.nodeIds.map((id) => ctx.node(id)).filter((n): n is RedisNode => n !== undefined && n.myName !== '')
  if (live.length === 0) return 'no node is up'
  // The cheap test first: the liveness phase calls this after every event until it holds.
  const failing = live.find((node) => node.state !== 'ok')
  if (failing) return `${failing.ctx.id} reports cluster state fail`
  const best = highestClaims(live)
  const slots = SLOTS
  for (const node of live) {
    for (let s = 0; s < slots; s++) {
      const claim = best[s]
      const owner = node.owner[s] ?? null
      if (claim === undefined) return `slot ${s} is claimed by no live master`
      if (claim.tied) return `slot ${s} is claimed at configEpoch ${claim.epoch} by two masters`
      if (owner !== claim.name) {
        const seen = owner === null ? 'nobody' : (node.peers.get(owner)?.addr ?? owner.slice(0, 8))
        return `${node.ctx.id} sees slot ${s} owned by ${seen}, but the highest claim is ${claim.addr}'s at configEpoch ${claim.epoch}`
      }
    }
  }
  return null
}

interface Claim {
  name: string
  addr: string
  epoch: number
  tied: boolean
}

/** Each live master claims the slots it believes it owns, at its configEpoch. */
function highestClaims(live: RedisNode[]): Array<Claim | undefined> {
  const best: Array<Claim | undefined> = new Array(SLOTS)
  for (const node of live) {
    if (!node.isMaster()) continue
    const epoch = node.me.configEpoch
    for (const [first, last] of node.slotsOf(node.myName)) {
      for (let s = first; s <= last; s++) {
        const b = best[s]
        if (b === undefined || epoch > b.epoch) best[s] = { name: node.myName, addr: node.ctx.id, epoch, tied: false }
        else if (epoch === b.epoch) b.tied = true
      }
    }
  }
  return best
}

export function slotMapLiveness(config: RedisClusterConfig): Liveness<RedisNode> {
  // Failure detection, an election with retries and the rejoin delay all fit in ten node timeouts.
  const memo = new ProblemMemo()
  return {
    description: 'every node agrees on each slot owner (the highest-configEpoch claim) and reports cluster state ok',
    withinUs: 10 * config.nodeTimeoutMs * US_PER_MS,
    check: (ctx) => memo.problem(ctx),
  }
}

/**
 * The liveness phase asks after every event. The answer depends only on which node objects are
 * up and on each one's name, cluster state, role, configEpoch and slot table, so while none of
 * those changed the last answer stands: a stuck cluster (two masters tied at one configEpoch,
 * for the whole bound) then costs a few comparisons per event instead of a scan of 16384 slots
 * on every node.
 */
class ProblemMemo {
  private nodes: Array<RedisNode | undefined> = []
  private stamps: Array<string | number> = []
  private last: string | null = null

  problem(ctx: View): string | null {
    if (this.unchanged(ctx)) return this.last
    this.last = slotMapProblem(ctx)
    return this.last
  }

  private unchanged(ctx: View): boolean {
    const ids = ctx.nodeIds
    let same = this.nodes.length === ids.length
    if (!same) (this.nodes = new Array(ids.length)), (this.stamps = new Array(ids.length * STAMP_FIELDS))
    for (let i = 0; i < ids.length; i++) {
      const node = ctx.node(ids[i]!)
      if (this.nodes[i] !== node) (this.nodes[i] = node), (same = false)
      if (node === undefined) continue
      same = this.stamp(i * STAMP_FIELDS, node.myName, node.state, node.me.role, node.me.configEpoch, node.ownerVersion) && same
    }
    return same
  }

  /** Stores the fields at `at`; true when they were all the same already. */
  private stamp(at: number, ...fields: Array<string | number>): boolean {
    let same = true
    for (let k = 0; k < fields.length; k++) {
      if (this.stamps[at + k] !== fields[k]) (this.stamps[at + k] = fields[k]!), (same = false)
    }
    return same
  }
}

const STAMP_FIELDS = 5
