/** What a node shows scenarios and the viewer: its slot map (slotMap) and the claims it ignored (claim-ignored notes). */
import { describe, expect, it } from 'vitest'
import { traced } from '../../sim/testing.ts'
import { redisCluster } from './index.ts'
import { cluster, nodeOf, S } from './test-support.ts'

describe('slotMap view field', () => {
  it('shows every owner with its ranges and the configEpoch this node knows, after creation and after a failover', () => {
    const sim = cluster(6, { masters: 3 })
    sim.run({ untilUs: 4 * S })
    const expected = { n1: '0-5460@1', n2: '5461-10922@2', n3: '10923-16383@3' }
    for (const id of sim.nodeIds) expect(sim.view(id)?.slotMap).toEqual(expected)
    sim.crash('n1') // n4 replicates n1 (round-robin placement)
    sim.run({ untilUs: 20 * S })
    expect(nodeOf(sim, 'n4').isMaster()).toBe(true)
    for (const id of ['n2', 'n3', 'n4', 'n5', 'n6']) expect(sim.view(id)?.slotMap).toEqual({ n4: '0-5460@7', n2: '5461-10922@2', n3: '10923-16383@3' })
  })
})

describe('claim-ignored note', () => {
  it('is noted when a claim arrives after a newer one, and names the owner that was kept', () => {
    // n4 and n5 replicate n1. n4's messages to n3 take 5 s: n3 hears n5's later failover
    // (configEpoch 8) before n4's earlier one (7), and must keep n5.
    const { events } = traced({
      protocol: redisCluster, seed: 1, nodes: 6,
      config: { ...redisCluster.defaultConfig, masters: 3, replicaOf: { n4: 'n1', n5: 'n1', n6: 'n2' } },
      plan: [
        { at: 2.5 * S, do: 'network', latency: 'fixed:5s', links: [['n4', 'n3']] },
        { at: 3 * S, do: 'command', node: 'n4', command: { type: 'FAILOVER' } },
        { at: 6 * S, do: 'command', node: 'n5', command: { type: 'FAILOVER' } },
      ],
    }, 10 * S)
    const promoted = events.filter((e) => e.type === 'note' && e.kind === 'promoted').map((e) => [e.type === 'note' && e.node, e.type === 'note' && e.data?.configEpoch])
    expect(promoted).toEqual([['n4', 7], ['n5', 8]])
    const ignored = events.filter((e) => e.type === 'note' && e.kind === 'claim-ignored')
    expect(ignored.length).toBeGreaterThan(0)
    for (const e of ignored) expect(e.type === 'note' && [e.node, e.data]).toEqual(['n3', { from: 'n4', configEpoch: 7, owner: 'n5', ownerEpoch: 8 }])
  })

  it('is not noted in a run without conflicting claims', () => {
    const { events } = traced({ protocol: redisCluster, seed: 2, nodes: 6, plan: [{ at: 3 * S, do: 'crash', node: 'n1' }] }, 20 * S)
    expect(events.some((e) => e.type === 'note' && e.kind === 'promoted')).toBe(true)
    expect(events.some((e) => e.type === 'note' && e.kind === 'claim-ignored')).toBe(false)
  })
})
