/** The seeds' walkthrough: five masters A..E, A with replicas A1 and A2; A crashes. */
import { describe, expect, it } from 'vitest'
import { slotMapProblem } from './convergence.ts'
import { cluster, fiveMastersTwoReplicasOfA, nodeOf, ownerAddr, S } from './test-support.ts'
import { clusterNodesText } from './cluster-text.ts'

describe('replica failover', () => {
  it('A crashes: exactly one of A1/A2 wins the next epoch, the other follows it, everyone agrees', () => {
    for (const seed of [1, 2, 3]) {
      const sim = fiveMastersTwoReplicasOfA({ seed })
      sim.run({ untilUs: 8 * S })
      expect(nodeOf(sim, 'n6').currentEpoch).toBe(7) // redis-cli gave configEpochs 1..7
      sim.crash('n1')
      sim.run({ untilUs: 30 * S })
      const [a1, a2] = [nodeOf(sim, 'n6'), nodeOf(sim, 'n7')]
      const winners = [a1, a2].filter((n) => n.isMaster())
      expect(winners.length).toBe(1)
      const winner = winners[0]!
      expect(winner.me.configEpoch).toBe(8)
      const loser = winner === a1 ? a2 : a1
      expect(loser.myMaster?.name).toBe(winner.myName)
      for (const id of ['n2', 'n3', 'n4', 'n5', 'n6', 'n7']) expect(ownerAddr(sim, id, 0)).toBe(winner.ctx.id)
      expect(slotMapProblem({ nodeIds: sim.nodeIds, node: (id) => sim.node(id) })).toBeNull()
      expect(sim.finish().violation).toBeNull()
    }
  })

  it('marks the crashed master FAIL everywhere, as CLUSTER NODES shows', () => {
    const sim = fiveMastersTwoReplicasOfA()
    sim.run({ untilUs: 8 * S })
    sim.crash('n1')
    sim.run({ untilUs: 30 * S })
    const line = clusterNodesText(nodeOf(sim, 'n2')).split('\n').find((l) => l.includes(' n1:6379@16379 '))!
    expect(line).toMatch(/^[0-9a-f]{40} n1:6379@16379 master,fail - \d+ \d+ 1 disconnected$/)
  })

  it('restarted old master rejoins as a replica of the winner', () => {
    const sim = fiveMastersTwoReplicasOfA()
    sim.run({ untilUs: 8 * S })
    sim.crash('n1')
    sim.run({ untilUs: 30 * S })
    sim.restart('n1')
    sim.run({ untilUs: 60 * S })
    const a = nodeOf(sim, 'n1')
    const winner = [nodeOf(sim, 'n6'), nodeOf(sim, 'n7')].find((n) => n.isMaster())!
    expect(a.isMaster()).toBe(false)
    expect(a.me.master).toBe(winner.myName)
    expect(slotMapProblem({ nodeIds: sim.nodeIds, node: (id) => sim.node(id) })).toBeNull()
  })
})

describe('manual failover', () => {
  it('CLUSTER FAILOVER: the master pauses writes, the replica catches up and takes over without losing a write', () => {
    const sim = cluster(6, {}, { workload: { clients: 4, keys: 4, thinkUs: 10_000, mix: { incr: 2, set: 1, get: 1 } } })
    sim.run({ untilUs: 8 * S })
    const replica = nodeOf(sim, 'n4')
    expect(replica.myMaster?.addr).toBe('n1')
    sim.command('n4', { type: 'FAILOVER' })
    sim.run({ untilUs: 15 * S })
    expect(nodeOf(sim, 'n4').isMaster()).toBe(true)
    expect(nodeOf(sim, 'n1').myMaster?.addr).toBe('n4')
    expect(ownerAddr(sim, 'n2', 0)).toBe('n4')
    const result = sim.finish()
    expect(result.violation).toBeNull()
    expect((result.reports[0]!.data as { lost: number }).lost).toBe(0)
  })

  it('TAKEOVER needs no votes: a new configEpoch without consensus', () => {
    const sim = cluster(6, {})
    sim.run({ untilUs: 8 * S })
    const before = nodeOf(sim, 'n5').currentEpoch
    sim.command('n5', { type: 'FAILOVER', mode: 'TAKEOVER' })
    sim.run({ untilUs: 12 * S })
    expect(nodeOf(sim, 'n5').isMaster()).toBe(true)
    expect(nodeOf(sim, 'n5').me.configEpoch).toBe(before + 1)
    expect(nodeOf(sim, 'n5').votes.length + nodeOf(sim, 'n1').votes.length).toBe(0)
  })
})
