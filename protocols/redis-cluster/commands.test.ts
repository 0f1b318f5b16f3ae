/** Building a cluster by hand, as an operator would with redis-cli, from empty nodes. */
import { describe, expect, it } from 'vitest'
import { slotMapProblem } from './convergence.ts'
import { cluster, nodeOf, S } from './test-support.ts'

describe('CLUSTER commands', () => {
  it('ADDSLOTS, MEET and REPLICATE make a working cluster from empty nodes; FORGET drops a node', () => {
    const sim = cluster(4, { create: false })
    sim.run({ untilUs: 1 * S })
    expect(nodeOf(sim, 'n1').peers.size).toBe(1)
    expect(nodeOf(sim, 'n1').state).toBe('fail') // no slots served yet
    sim.command('n1', { type: 'ADDSLOTS', ranges: [[0, 8191]] })
    sim.command('n2', { type: 'ADDSLOTS', ranges: [[8192, 16383]] })
    sim.command('n3', { type: 'ADDSLOTS', slots: [5] }) // n3 knows no owner of slot 5 yet: it takes it
    sim.command('n3', { type: 'DELSLOTS', slots: [5] }) // and gives it back
    for (const id of ['n2', 'n3', 'n4']) sim.command(id, { type: 'MEET', addr: 'n1' })
    sim.run({ untilUs: 6 * S })
    for (const id of sim.nodeIds) expect(nodeOf(sim, id).peers.size).toBe(4)
    sim.command('n3', { type: 'REPLICATE', master: 'n1' })
    sim.command('n4', { type: 'REPLICATE', master: 'n2' })
    sim.run({ untilUs: 12 * S })
    expect(nodeOf(sim, 'n3').myMaster?.addr).toBe('n1')
    expect(slotMapProblem({ nodeIds: sim.nodeIds, node: (id) => sim.node(id) })).toBeNull()
    // Epochs collided at 0 for the two masters: the smaller name bumped, so claims are ordered.
    expect(nodeOf(sim, 'n1').me.configEpoch).not.toBe(nodeOf(sim, 'n2').me.configEpoch)
    sim.command('n1', { type: 'FORGET', node: 'n4' })
    sim.run({ untilUs: 13 * S })
    expect(nodeOf(sim, 'n1').peers.size).toBe(3) // blacklisted: gossip does not bring it back for 60 s
  })

  it('refuses what Redis refuses, and reports a malformed command as a node error', () => {
    const sim = cluster(6, {})
    sim.run({ untilUs: 6 * S })
    sim.command('n1', { type: 'FAILOVER' }) // a master: "You should send CLUSTER FAILOVER to a replica"
    sim.command('n1', { type: 'ADDSLOTS', slots: [0] }) // already busy
    sim.run({ untilUs: 7 * S })
    expect(sim.finish().nodeError).toBeNull()
    const bad = cluster(6, {})
    bad.run({ untilUs: 1 * S })
    bad.command('n1', { type: 'SETSLOT', slot: 99999, state: 'NODE', node: 'n2' })
    expect(bad.finish().nodeError).toMatch(/bad slot 99999/)
  })
})
