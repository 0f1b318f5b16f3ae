import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { US_PER_S } from '../time.ts'
import { parseLatency } from '../network/latency.ts'
import { actionArbitrary, COMMAND_TYPES, commandArbitrary, faultPlanArbitrary, latencyArbitrary, planArbitrary } from './arbitrary.ts'
import { describeStep } from './describe.ts'
import { planProblems } from './effects.ts'
import { parsePlan, planToJson } from './plan.ts'
import type { Plan } from './types.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']
const DURATION_US = 30 * US_PER_S

describe('planArbitrary', () => {
  it('makes valid, sorted plans within the duration, for any node list', () => {
    const nodeLists = [NODES, ['a'], [], ['x', 'y']]
    for (const nodes of nodeLists) {
      fc.assert(
        fc.property(planArbitrary(nodes, DURATION_US), (plan) => {
          expect(parsePlan(planToJson(plan), nodes)).toEqual(plan)
          for (const step of plan) expect(step.at).toBeLessThan(DURATION_US)
        }),
        { numRuns: 50 },
      )
    }
  })

  it('shrinks a failing plan to one step at time zero', () => {
    const property = fc.property(planArbitrary(NODES, DURATION_US), (plan) => !plan.some((s) => s.do === 'crash'))
    const details = fc.check(property, { seed: 42 })
    expect(details.failed).toBe(true)
    const [smallest] = details.counterexample as [Plan]
    expect(smallest).toEqual([{ at: 0, do: 'crash', node: 'leader' }])
  })
})

describe('command steps in arbitraries', () => {
  it('are left out unless asked for, and never in fault plans', () => {
    const noCommands = (plan: Plan) => plan.every((s) => s.do !== 'command')
    fc.assert(fc.property(planArbitrary(NODES, DURATION_US), noCommands), { numRuns: 100 })
    fc.assert(fc.property(faultPlanArbitrary(NODES, DURATION_US), noCommands), { numRuns: 100 })
    fc.assert(fc.property(actionArbitrary(NODES), (action) => action.do !== 'command'), { numRuns: 200 })
  })

  it('when asked for, are valid for any node list and come in every listed type', () => {
    for (const nodes of [NODES, ['a'], []]) {
      fc.assert(
        fc.property(planArbitrary(nodes, DURATION_US, { commands: true }), (plan) => {
          expect(parsePlan(planToJson(plan), nodes)).toEqual(plan)
        }),
        { numRuns: 50 },
      )
    }
    const seen = new Set<string>()
    fc.assert(
      fc.property(commandArbitrary(NODES), (action) => {
        if (action.do !== 'command') return false
        seen.add(action.command.type)
        return ['leader', 'random', ...NODES].includes(action.node)
      }),
      { numRuns: 200 },
    )
    expect([...seen].sort()).toEqual([...COMMAND_TYPES].sort())
    const withCommands = fc.sample(planArbitrary(NODES, DURATION_US, { commands: true }), { numRuns: 100, seed: 1 })
    expect(withCommands.some((plan) => plan.some((s) => s.do === 'command'))).toBe(true)
  })
})

describe('faultPlanArbitrary', () => {
  it('undoes every fault and keeps a majority up', () => {
    for (const nodes of [NODES, ['n1', 'n2', 'n3'], ['n1']]) {
      fc.assert(
        fc.property(faultPlanArbitrary(nodes, DURATION_US), (plan) => {
          expect(parsePlan(planToJson(plan), nodes)).toEqual(plan)
          expect(planProblems(plan, nodes.length, DURATION_US), plan.map(describeStep).join('\n')).toEqual([])
        }),
        { numRuns: 100 },
      )
    }
  })

  it('is empty when there is no time for a fault', () => {
    fc.assert(fc.property(faultPlanArbitrary(NODES, 1000), (plan) => plan.length === 0))
  })

  it('shrinks to a single fault and its undo, early', () => {
    const property = fc.property(faultPlanArbitrary(NODES, DURATION_US), (plan) => !plan.some((s) => s.do === 'pause'))
    const details = fc.check(property, { seed: 7 })
    expect(details.failed).toBe(true)
    const [smallest] = details.counterexample as [Plan]
    expect(smallest).toEqual([
      { at: 0, do: 'pause', node: 'leader' },
      { at: 1, do: 'resume', node: 'paused' },
    ])
  })
})

describe('latencyArbitrary', () => {
  it('makes specs parseLatency reads', () => {
    fc.assert(fc.property(latencyArbitrary, (spec) => void parseLatency(spec)))
  })
})
