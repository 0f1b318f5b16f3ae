/**
 * The rank delay: the replica with the most of the master's stream goes first. n5 misses
 * the master's last half second of writes (a one-way cut), then the master crashes.
 */
import { describe, expect, it } from 'vitest'
import { oneWayCut } from '../../sim/network/shapes.ts'
import { cluster, nodeOf, S } from './test-support.ts'

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]

function crashWithLaggingReplica(seed: number, mutant: string | null) {
  const sim = cluster(6, { masters: 3, replicaOf: { n4: 'n1', n5: 'n1', n6: 'n2' } }, {
    seed, mutant, workload: { clients: 4, keys: 4, thinkUs: 10_000, mix: { incr: 3, get: 1, set: 1 } },
  })
  sim.run({ untilUs: 7.5 * S })
  sim.setPartition(oneWayCut(['n1'], ['n5'], sim.nodeIds))
  sim.run({ untilUs: 8 * S })
  sim.crash('n1')
  sim.setPartition(null)
  sim.run({ untilUs: 25 * S })
  const winner = ['n4', 'n5'].find((id) => nodeOf(sim, id).isMaster()) ?? null
  const result = sim.finish()
  const data = result.reports.find((r) => r.invariant === 'write-loss')!.data as { lost: number; failover: number }
  return { winner, lost: data.lost, violation: result.violation }
}

describe('rank delay (no-rank-delay mutant)', () => {
  it('the up-to-date replica always wins with the rank delay; without it more writes are lost', () => {
    const good = SEEDS.map((s) => crashWithLaggingReplica(s, null))
    const bad = SEEDS.map((s) => crashWithLaggingReplica(s, 'no-rank-delay'))
    expect(good.map((r) => r.winner)).toEqual(SEEDS.map(() => 'n4'))
    expect(good.every((r) => r.violation === null)).toBe(true)
    const lostGood = good.reduce((sum, r) => sum + r.lost, 0)
    const lostBad = bad.reduce((sum, r) => sum + r.lost, 0)
    expect(bad.some((r) => r.winner === 'n5')).toBe(true)
    expect(lostBad).toBeGreaterThan(lostGood + 10)
  })
})
