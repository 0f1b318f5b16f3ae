/** The gossip section's size and the ping schedule's effect on failure detection. */
import { describe, expect, it } from 'vitest'
import { gossipSection } from './bus.ts'
import { cluster, nodeOf, S } from './test-support.ts'

describe('gossip section', () => {
  it('carries max(3, floor(n/10)) healthy nodes, at most n - 2, plus every PFAIL node', () => {
    const big = cluster(50, {})
    big.run({ untilUs: 5 * S })
    const n1 = nodeOf(big, 'n1')
    expect(n1.peers.size).toBe(50)
    expect(gossipSection(n1, null).length).toBe(5)
    const [a, b] = [...n1.peers.values()].filter((p) => p.name !== n1.myName)
    a!.pfail = true
    b!.pfail = true
    const withPfail = gossipSection(n1, null)
    expect(withPfail.length).toBe(7)
    expect(withPfail.filter((g) => g.pfail).map((g) => g.name).sort()).toEqual([a!.name, b!.name].sort())
    const small = cluster(4, { masters: 2 })
    small.run({ untilUs: 5 * S })
    expect(gossipSection(nodeOf(small, 'n1'), null).length).toBe(2) // 4 known: at most n - 2
  })

  it('flags a crashed node PFAIL after node_timeout, and FAIL once a majority of masters report it', () => {
    const sim = cluster(6, {})
    sim.run({ untilUs: 8 * S })
    sim.crash('n3')
    const crashedName = nodeOf(sim, 'n1').peers.get(nodeOf(sim, 'n1').byAddr.get('n3')!)!.name
    sim.run({ untilUs: 12 * S }) // under node_timeout (5 s) since the crash: nobody suspects yet
    expect(nodeOf(sim, 'n1').peers.get(crashedName)!.pfail || nodeOf(sim, 'n1').peers.get(crashedName)!.fail).toBe(false)
    sim.run({ untilUs: 25 * S })
    for (const id of ['n1', 'n2', 'n4', 'n5']) expect(nodeOf(sim, id).peers.get(crashedName)!.fail).toBe(true)
  })
})
