import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RandomStream } from '../random.ts'
import { US_PER_S } from '../time.ts'
import { describeStep } from './describe.ts'
import { planProblems } from './effects.ts'
import { DEFAULT_MAX_STEPS, randomPlan, someOf } from './generate.ts'
import { parsePlan, planToJson } from './plan.ts'
import { FAULT_KINDS, KIND_OF_ACTION, type FaultKind, type Plan } from './types.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']
const kindsOf = (plan: Plan): string => [...new Set(plan.map((s) => KIND_OF_ACTION[s.do]))].sort().join(',')

const optionsArbitrary = fc.record({
  seed: fc.nat(),
  nodeCount: fc.integer({ min: 1, max: 9 }),
  durationUs: fc.integer({ min: 0, max: 300 * US_PER_S }),
  kinds: fc.option(fc.subarray([...FAULT_KINDS], { minLength: 1 }), { nil: undefined }),
  maxSteps: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
})

describe('randomPlan', () => {
  it('is valid, bounded, in time, never downs a majority and ends fully undone', () => {
    fc.assert(
      fc.property(optionsArbitrary, ({ seed, nodeCount, durationUs, kinds, maxSteps }) => {
        const nodes = Array.from({ length: nodeCount }, (_, i) => `n${i + 1}`)
        const rng = RandomStream.root(seed)
        const plan = randomPlan({ nodes, durationUs, rng, ...(kinds && { kinds }), ...(maxSteps !== undefined && { maxSteps }) })
        expect(plan.length).toBeLessThanOrEqual(maxSteps ?? DEFAULT_MAX_STEPS)
        expect(parsePlan(planToJson(plan), nodes)).toEqual(plan)
        expect(planProblems(plan, nodes.length, durationUs), plan.map(describeStep).join('\n')).toEqual([])
        if (kinds) for (const step of plan) expect(kinds).toContain(KIND_OF_ACTION[step.do])
      }),
      { numRuns: 300 },
    )
  })

  it('is deterministic for a stream state, and moves on as the stream is drawn from', () => {
    const make = (rng: RandomStream) => randomPlan({ nodes: NODES, durationUs: 60 * US_PER_S, rng })
    expect(make(RandomStream.root(11))).toEqual(make(RandomStream.root(11)))
    const shared = RandomStream.root(11)
    const first = make(shared)
    expect(make(shared)).not.toEqual(first)
  })

  it('differs across seeds, in timing and in which kinds are on', () => {
    const plans = Array.from({ length: 30 }, (_, seed) => randomPlan({ nodes: NODES, durationUs: 60 * US_PER_S, rng: RandomStream.root(seed) }))
    expect(new Set(plans.map((p) => JSON.stringify(p))).size).toBe(plans.length)
    expect(new Set(plans.map(kindsOf)).size).toBeGreaterThan(5)
  })

  it('keeps to the kinds it is given', () => {
    for (const kind of FAULT_KINDS) {
      const plan = randomPlan({ nodes: NODES, durationUs: 60 * US_PER_S, rng: RandomStream.root(3), kinds: [kind] })
      expect(plan.length).toBeGreaterThan(0)
      expect(kindsOf(plan)).toBe(kind)
    }
  })

  it('never makes command steps (they are scenario-only, and no fault kind)', () => {
    expect(FAULT_KINDS).not.toContain('command')
    for (let seed = 0; seed < 30; seed++) {
      const plan = randomPlan({ nodes: NODES, durationUs: 120 * US_PER_S, rng: RandomStream.root(seed) })
      expect(plan.filter((s) => KIND_OF_ACTION[s.do] === 'command')).toEqual([])
    }
  })

  it('fills the step budget in a long run', () => {
    const plan = randomPlan({ nodes: NODES, durationUs: 3600 * US_PER_S, rng: RandomStream.root(5), maxSteps: 25 })
    expect(plan.length).toBeGreaterThan(15)
    expect(plan.length).toBeLessThanOrEqual(25)
  })
})

describe('someOf', () => {
  it('never picks nothing from a non-empty list, and picks different subsets', () => {
    const picks = new Set<string>()
    for (let seed = 0; seed < 50; seed++) {
      const chosen = someOf<FaultKind>(RandomStream.root(seed), FAULT_KINDS)
      expect(chosen.length).toBeGreaterThan(0)
      picks.add(chosen.join(','))
    }
    expect(picks.size).toBeGreaterThan(10)
    expect(someOf(RandomStream.root(1), [])).toEqual([])
  })
})
