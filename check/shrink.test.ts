import { describe, expect, it } from 'vitest'
import type { Plan, PlanStep } from '../sim/nemesis/types.ts'
import type { RunSpec } from './run-spec.ts'
import { CALM_NETWORK, mentionsOnly, shrinkSpec, undoOf } from './shrink.ts'

const crash = (at: number, node: string): PlanStep => ({ at, do: 'crash', node })
const restart = (at: number, node: string): PlanStep => ({ at, do: 'restart', node })
const clock = (at: number, node: string): PlanStep => ({ at, do: 'clock', node, offset: '5ms' })

function specWith(faults: Plan, over: Partial<RunSpec> = {}): RunSpec {
  return {
    seed: 1, nodes: 5, clients: 3, faultUs: 10_000_000, config: null, faults,
    network: { latency: 'uniform:5ms..30ms', loss: 0.1, duplicate: 0.02, reorder: 0.1 },
    ...over,
  }
}

const forever = { deadlineMs: Infinity, nodeSizes: [3, 5] }
const has = (spec: RunSpec, at: number) => spec.faults.some((s) => s.at === at)

describe('shrinkSpec', () => {
  it('keeps exactly the steps the failure needs, out of many', () => {
    const faults = Array.from({ length: 40 }, (_, i) => clock(i * 1000, `n${(i % 5) + 1}`))
    const out = shrinkSpec(specWith(faults), (s) => has(s, 7000) && has(s, 31000), forever)
    expect(out.spec.faults.map((s) => s.at)).toEqual([7000, 31000])
    expect(out.interrupted).toBe(false)
  })

  it('calms the run: one client, the calm network, the smallest cluster the steps allow', () => {
    const out = shrinkSpec(specWith([clock(0, 'n2')]), (s) => s.faults.length > 0, { ...forever, enoughSteps: 0 })
    expect(out.spec).toMatchObject({ clients: 1, network: CALM_NETWORK, nodes: 3 })
  })

  it('leaves a plan of enoughSteps or fewer as noisy as it was', () => {
    const out = shrinkSpec(specWith([clock(0, 'n2')]), (s) => s.faults.length > 0, forever)
    expect(out.spec).toEqual(specWith([clock(0, 'n2')]))
  })

  it('keeps the parts of the network the failure needs, and a cluster its steps name', () => {
    const needsLoss = (s: RunSpec) => s.network.loss > 0 && s.faults.length > 0
    const out = shrinkSpec(specWith([clock(0, 'n5')]), needsLoss, { ...forever, enoughSteps: 0 })
    expect(out.spec.network).toEqual({ ...CALM_NETWORK, loss: 0.1 })
    expect(out.spec.nodes).toBe(5)
  })

  it('removes a fault with its undo when neither goes alone', () => {
    // Removing the crash alone or the restart alone changes the run (the predicate says so).
    const faults = [crash(0, 'n1'), clock(10, 'n2'), restart(20, 'n1'), clock(30, 'n3')]
    const paired = (s: RunSpec) => has(s, 30) && has(s, 0) === has(s, 20)
    const out = shrinkSpec(specWith(faults), paired, forever)
    expect(out.spec.faults.map((s) => s.at)).toEqual([30])
  })

  it('stops at the deadline and says so', () => {
    let clockMs = 0
    const faults = Array.from({ length: 20 }, (_, i) => clock(i, 'n1'))
    const out = shrinkSpec(specWith(faults), (s) => has(s, 3), { ...forever, nowMs: () => clockMs++, deadlineMs: 4 })
    expect(out.interrupted).toBe(true)
    expect(out.tries).toBe(5)
  })

  it("shrinks under other seeds when no step can go under the run's own", () => {
    const faults = Array.from({ length: 20 }, (_, i) => clock(i, 'n1'))
    const fragile = (s: RunSpec) => (s.seed === 1 ? s.faults.length === 20 : has(s, 3))
    const out = shrinkSpec(specWith(faults), fragile, forever)
    expect(out.spec.faults.map((s) => s.at)).toEqual([3])
    expect(out.spec.seed).not.toBe(1)
    const enough = shrinkSpec(specWith(faults), fragile, { ...forever, enoughSteps: 20 })
    expect(enough.spec.faults).toHaveLength(20)
  })

  it('tries the shrunk spec under another seed first, and the original where only that fails', () => {
    const faults = Array.from({ length: 20 }, (_, i) => clock(i, 'n1'))
    // Under seed 1 no fewer than 12 steps fail; under any other seed only a calm run (one
    // client, as the shrunk spec is) fails, with step 0: the original (3 clients) passes there.
    const calmOnly = (s: RunSpec) => (s.seed === 1 ? s.faults.length >= 12 && has(s, 11) && has(s, 0) : s.clients === 1 && has(s, 0))
    const out = shrinkSpec(specWith(faults), calmOnly, forever)
    expect(out.spec.seed).not.toBe(1)
    expect(out.spec.faults.map((s) => s.at)).toEqual([0])
  })

  it('is a pure function of the spec and the predicate', () => {
    const faults = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? crash(i, 'n1') : i % 3 === 1 ? restart(i, 'n1') : clock(i, 'n2')))
    const chaotic = (s: RunSpec) => s.faults.filter((f) => f.do === 'crash').length % 2 === 1 && s.faults.length > 3
    expect(shrinkSpec(specWith(faults), chaotic, forever)).toEqual(shrinkSpec(specWith(faults), chaotic, forever))
  })
})

describe('undoOf and mentionsOnly', () => {
  it('pairs a fault with the next step of its kind', () => {
    const faults = [crash(0, 'n1'), clock(1, 'n2'), restart(2, 'crashed'), clock(3, 'n2')]
    expect([0, 1, 2, 3].map((i) => undoOf(faults, i))).toEqual([2, 3, -1, -1])
  })

  it('finds node ids a smaller cluster lacks, in any field', () => {
    const ids = ['n1', 'n2', 'n3', 'n4', 'n5']
    expect(mentionsOnly([{ at: 0, do: 'isolate', nodes: ['leader', 'n2'] }], ids.slice(0, 3), ids)).toBe(true)
    expect(mentionsOnly([{ at: 0, do: 'groups', groups: [['n1'], ['n4']] }], ids.slice(0, 3), ids)).toBe(false)
    expect(mentionsOnly([clock(0, 'n5')], ids.slice(0, 3), ids)).toBe(false)
  })
})
