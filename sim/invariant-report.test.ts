/** Invariants may give an end-of-run account (write-loss accounting) that never fails the run. */
import { describe, expect, it } from 'vitest'
import { pingpong, type PingPongNode } from './builtin/pingpong.ts'
import { Simulation } from './engine.ts'
import type { Invariant, Protocol } from './protocol.ts'
import { US_PER_S } from './time.ts'

function withInvariant(inv: () => Invariant<PingPongNode>): Protocol<unknown, unknown, PingPongNode> {
  return { ...(pingpong as unknown as Protocol<unknown, unknown, PingPongNode>), invariants: () => [inv()] }
}

describe('invariant reports', () => {
  it('collects each report at the end, with the whole history', () => {
    let checks = 0
    const protocol = withInvariant(() => ({
      name: 'counts-operations',
      check: () => (checks++, null),
      report: (ctx) => ({ summary: `${ctx.history.filter((h) => h.type === 'ok').length} ok`, details: [], data: { checks } }),
    }))
    const sim = new Simulation({ protocol, seed: 7, nodes: 3, workload: { clients: 2 } })
    sim.run({ untilUs: 5 * US_PER_S })
    const result = sim.finish()
    const oks = result.history.filter((h) => h.type === 'ok').length
    expect(oks).toBeGreaterThan(0)
    expect(result.violation).toBeNull()
    expect(result.reports).toEqual([{ invariant: 'counts-operations', summary: `${oks} ok`, details: [], data: { checks } }])
  })

  it('turns a report that throws into a line, not a crash', () => {
    const protocol = withInvariant(() => ({ name: 'broken', check: () => null, report: () => { throw new Error('boom') } }))
    const sim = new Simulation({ protocol, seed: 1, nodes: 3 })
    sim.run({ untilUs: US_PER_S })
    expect(sim.finish().reports).toEqual([{ invariant: 'broken', summary: 'report failed: boom', details: [] }])
  })

  it('gives no reports without invariants that report', () => {
    const sim = new Simulation({ protocol: pingpong, seed: 1, nodes: 3 })
    sim.run({ untilUs: US_PER_S })
    expect(sim.finish().reports).toEqual([])
  })
})
