/**
 * failover-waits-rank-delay: a replica that ranks behind a sibling waits its extra second
 * before asking for votes. Scripted: the mutant fails and the correct protocol passes with the
 * same seed; a drifting clock does not fool it (it measures in the replica's own clock); and
 * generated fault plans (crashes, partitions, loss, clock jumps and drift) never make it fire
 * for the correct protocol.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Simulation } from '../../sim/engine.ts'
import { faultPlanArbitrary } from '../../sim/nemesis/arbitrary.ts'
import type { Plan } from '../../sim/nemesis/types.ts'
import { oneWayCut } from '../../sim/network/shapes.ts'
import { defaultNodeIds } from '../../sim/options.ts'
import type { RedisNode } from './node.ts'
import { knownRank } from './rank-delay.ts'
import { cluster, nodeOf, S } from './test-support.ts'

/** Three masters; n1 has replicas n4 and n5 (n5 will lag), n2 has n6. node_timeout 1 s: a failover within 2 s. */
function threeMasters(seed: number, mutant: string | null, plan: Plan = []): Simulation {
  return cluster(6, { masters: 3, nodeTimeoutMs: 1000, replicaOf: { n4: 'n1', n5: 'n1', n6: 'n2' } }, {
    seed, mutant, plan, workload: { clients: 3, keys: 4, thinkUs: 10_000, mix: { incr: 2, set: 1 } },
  })
}

/** n5 misses the master's last half second of writes, then the master crashes. */
function lagThenCrash(sim: Simulation): void {
  sim.run({ untilUs: 4.5 * S })
  sim.setPartition(oneWayCut(['n1'], ['n5'], sim.nodeIds))
  sim.run({ untilUs: 5 * S })
  sim.crash('n1')
  sim.setPartition(null)
}

describe('failover-waits-rank-delay', () => {
  it('flags the lagging replica of no-rank-delay; the correct protocol passes the same run', () => {
    const bad = threeMasters(1, 'no-rank-delay')
    lagThenCrash(bad)
    bad.run({ untilUs: 12 * S })
    const violation = bad.finish().violation
    expect(violation?.invariant).toBe('failover-waits-rank-delay')
    expect(violation?.message).toMatch(/^n5 asked for failover votes .* with rank 1 \(n4@\d+ ahead of its offset \d+\) it must wait at least 1500 ms$/)

    const good = threeMasters(1, null)
    lagThenCrash(good)
    good.run({ untilUs: 12 * S })
    expect(good.finish().violation).toBeNull()
    expect(nodeOf(good, 'n4').isMaster()).toBe(true)
  })

  it('measures in the replica\'s own clock: a fast clock waits 1.5 s of its time, less of true time', () => {
    // n4 is ahead but its messages to the other masters are lost, so the lagging n5 must win;
    // n5's clock runs 40% fast, so its 1.5 s of local time is about 1.07 s of true time.
    const sim = threeMasters(2, null)
    sim.setClock('n5', { driftPpm: 400_000 })
    lagThenCrash(sim)
    sim.setPartition(oneWayCut(['n4'], ['n2', 'n3'], sim.nodeIds))
    const n5 = nodeOf(sim, 'n5')
    let failSeenUs: number | null = null
    let askedUs: number | null = null
    let rankWhenAsking = -1
    for (let t = 5 * S; t < 12 * S && askedUs === null; t += 10_000) {
      sim.run({ untilUs: t })
      if (failSeenUs === null && n5.myMaster?.fail) failSeenUs = t
      if (n5.authRequests.length > 0) (askedUs = t), (rankWhenAsking = knownRank(n5).rank)
    }
    expect(failSeenUs).not.toBeNull()
    expect(askedUs).not.toBeNull()
    expect(rankWhenAsking).toBe(1)
    expect(askedUs! - failSeenUs!).toBeLessThan(1500 * 1000)
    sim.run({ untilUs: 14 * S })
    expect(sim.finish().violation).toBeNull()
    expect(n5.isMaster()).toBe(true)
  })

  it('never fires for the correct protocol under generated faults', () => {
    const nodeIds = defaultNodeIds(6)
    const faultUs = 8 * S
    let automaticRequests = 0
    // Random faults, plus a master with replicas that crashes for a while, so that elections happen in most runs.
    const masterCrash = fc.record({ master: fc.constantFrom('n1', 'n2'), atUs: fc.integer({ min: 3 * S, max: 6 * S }) })
    fc.assert(
      fc.property(fc.nat({ max: 0xffff }), faultPlanArbitrary(nodeIds, faultUs), masterCrash, (seed, faults, { master, atUs }) => {
        const plan: Plan = [...faults, { at: atUs, do: 'crash', node: master }, { at: faultUs, do: 'restart', node: master }]
        const sim = threeMasters(seed, null, plan.sort((a, b) => a.at - b.at))
        sim.run({ untilUs: faultUs + 2 * S })
        for (const id of nodeIds) automaticRequests += sim.node<RedisNode>(id)?.authRequests.filter((r) => !r.forced).length ?? 0
        const violation = sim.finish().violation
        expect(violation, violation?.message).toBeNull()
      }),
      { seed: 7, numRuns: 12 },
    )
    // The runs did hold elections (of the nodes still up at the end), so the invariant was exercised.
    expect(automaticRequests).toBeGreaterThan(6)
  })
})
