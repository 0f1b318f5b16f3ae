/** Each mutant is caught by a check, and the correct protocol passes the same scenario. */
import { describe, expect, it } from 'vitest'
import type { Simulation } from '../../sim/engine.ts'
import { slotMapProblem } from './convergence.ts'
import { fiveMastersTwoReplicasOfA, nodeOf, S } from './test-support.ts'

const converged = (sim: Simulation) => slotMapProblem({ nodeIds: sim.nodeIds, node: (id) => sim.node(id) })

/** CLUSTER FAILOVER FORCE on A1 and A2 at the same instant: two requests in one epoch. */
function forceBoth(mutant: string | null) {
  const sim = fiveMastersTwoReplicasOfA({ mutant })
  sim.run({ untilUs: 8 * S })
  sim.command('n6', { type: 'FAILOVER', mode: 'FORCE' })
  sim.command('n7', { type: 'FAILOVER', mode: 'FORCE' })
  sim.run({ untilUs: 20 * S })
  return sim
}

/** CLUSTER FAILOVER TAKEOVER on A1 and A2 at once: both take configEpoch 8 for A's slots. */
function takeoverBoth(mutant: string | null) {
  const sim = fiveMastersTwoReplicasOfA({ mutant })
  sim.run({ untilUs: 8 * S })
  sim.command('n6', { type: 'FAILOVER', mode: 'TAKEOVER' })
  sim.command('n7', { type: 'FAILOVER', mode: 'TAKEOVER' })
  sim.run({ untilUs: 30 * S })
  return sim
}

function crashA(mutant: string | null) {
  const sim = fiveMastersTwoReplicasOfA({ mutant })
  sim.run({ untilUs: 8 * S })
  sim.crash('n1')
  sim.run({ untilUs: 40 * S })
  return sim
}

describe('mutants', () => {
  it('double-vote: a master votes twice in one epoch (one-vote-per-epoch)', () => {
    const bad = forceBoth('double-vote').finish()
    expect(bad.violation?.invariant).toBe('one-vote-per-epoch')
    const good = forceBoth(null)
    expect(good.finish().violation).toBeNull()
    expect([nodeOf(good, 'n6'), nodeOf(good, 'n7')].filter((n) => n.isMaster()).length).toBe(1)
  })

  it('no-epoch-collision: two equal claims never resolve (converged-slot-map)', () => {
    const bad = takeoverBoth('no-epoch-collision')
    expect(converged(bad)).toMatch(/claimed at configEpoch 8 by two masters/)
    const good = takeoverBoth(null)
    expect(converged(good)).toBeNull()
    expect(good.finish().violation).toBeNull()
  })

  it('ignore-config-epoch: the old owner keeps the slots everywhere but on the promoted replica', () => {
    const bad = crashA('ignore-config-epoch')
    // The others keep routing A's slots to the failed A: their cluster state stays fail.
    expect(converged(bad)).toMatch(/cluster state fail|owned by n1, but the highest claim/)
    expect(nodeOf(bad, 'n2').owner[0]).toBe(nodeOf(bad, 'n2').peers.get(nodeOf(bad, 'n2').byAddr.get('n1')!)!.name)
    const good = crashA(null)
    expect(converged(good)).toBeNull()
  })
})
