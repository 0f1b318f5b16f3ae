/**
 * The correct protocol stays safe under random fault plans (crashes, restarts, pauses,
 * partitions, lossy and reordering networks, clock skew): a bounded fast-check property.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { faultPlanArbitrary } from '../../sim/nemesis/arbitrary.ts'
import { Simulation } from '../../sim/engine.ts'
import { US_PER_S } from '../../sim/time.ts'
import { zab } from './index.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']
const DURATION_US = 6 * US_PER_S

describe('zab under random faults', () => {
  it('no invariant is violated and no handler throws', () => {
    fc.assert(
      fc.property(faultPlanArbitrary(NODES, DURATION_US), fc.integer({ min: 1, max: 0xffff }), fc.boolean(), (plan, seed, loseUnsynced) => {
        const sim = new Simulation({ protocol: zab, seed, nodes: NODES, plan, loseUnsyncedWrites: loseUnsynced, workload: { clients: 3, thinkUs: 50_000 } })
        sim.run({ untilUs: DURATION_US })
        const result = sim.finish()
        expect(result.violation).toBeNull()
        expect(result.nodeError).toBeNull()
      }),
      { numRuns: 25, seed: 0x5ab },
    )
  })
})
