/** The liveness condition `faultline check` applies after healing: met once healed, not while no quorum can form. */
import { describe, expect, it } from 'vitest'
import { Simulation } from '../../sim/engine.ts'
import type { InvariantContext } from '../../sim/protocol.ts'
import { US_PER_S } from '../../sim/time.ts'
import { DEFAULT_CONFIG } from './config.ts'
import { zab } from './index.ts'
import type { ZabNode } from './node.ts'

const S = US_PER_S

function contextOf(sim: Simulation): InvariantContext<ZabNode> {
  return {
    get time() {
      return sim.now()
    },
    eventIndex: 0,
    touched: null,
    nodeIds: ['n1', 'n2', 'n3', 'n4', 'n5'],
    node: (id) => sim.node<ZabNode>(id),
    storage: (id) => sim.storage(id),
    get history() {
      return sim.history
    },
  }
}

describe('zab liveness', () => {
  it('is not met while the cluster is split three ways, and is met within its bound after the heal', () => {
    const plan = [{ at: 1 * S, do: 'groups' as const, groups: [['n1', 'n2'], ['n3', 'n4'], ['n5']] }]
    const sim = new Simulation({ protocol: zab, seed: 3, nodes: 5, plan, workload: { clients: 3 } })
    sim.run({ untilUs: 8 * S })
    const liveness = zab.liveness!({ config: DEFAULT_CONFIG, mutant: null })
    const split = zab.liveness!({ config: DEFAULT_CONFIG, mutant: null })
    expect(split.check(contextOf(sim))).toBe('no established leader')
    sim.apply({ do: 'heal' })
    const healedUs = sim.now()
    let missing: string | null = 'not checked'
    const ctx = contextOf(sim)
    sim.run({ untilUs: healedUs + liveness.withinUs, stopWhen: () => (missing = liveness.check(ctx)) === null })
    expect(missing).toBeNull()
    // A LOOKING server may sleep through a doubled notification timeout, but not past the bound.
    expect(sim.now() - healedUs).toBeLessThan(liveness.withinUs)
    expect(sim.finish().violation).toBeNull()
  })
})
