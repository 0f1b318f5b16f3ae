import { describe, expect, it } from 'vitest'
import { US_PER_S } from '../../sim/time.ts'
import { slotMapLiveness, slotMapProblem } from './convergence.ts'
import { DEFAULT_CONFIG } from './config.ts'
import { cluster, nodeOf } from './test-support.ts'

describe('the slot-map liveness check', () => {
  it('answers as a fresh scan would after every change, though it remembers its last answer', () => {
    const sim = cluster(6, {})
    const view = { nodeIds: sim.nodeIds, node: (id: string) => sim.node(id) } as unknown as Parameters<typeof slotMapProblem>[0] & Parameters<ReturnType<typeof slotMapLiveness>['check']>[0]
    const check = slotMapLiveness(DEFAULT_CONFIG).check
    sim.run({ untilUs: 3 * US_PER_S })
    expect(check(view)).toBe(slotMapProblem(view))
    expect(check(view)).toBeNull()
    // A node's slot table changes: the remembered answer must not stand.
    const n2 = nodeOf(sim, 'n2')
    const slot = n2.owner.findIndex((o) => o !== null && o !== n2.myName)
    n2.setOwner(slot, n2.myName)
    expect(check(view)).toMatch(/slot \d+/)
    expect(check(view)).toBe(slotMapProblem(view))
    // And a crash (a node object gone) is seen too.
    n2.setOwner(slot, null)
    sim.crash('n1')
    expect(check(view)).toBe(slotMapProblem(view))
  })
})
