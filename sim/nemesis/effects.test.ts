import { describe, expect, it } from 'vitest'
import { parsePlan } from './plan.ts'
import { leftovers, minorityOf, planEffects, planProblems } from './effects.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']
const plan = (...steps: Array<Record<string, unknown>>) => parsePlan(steps, NODES)

describe('planEffects', () => {
  it('follows crashes and restarts, with run-time picks as placeholders restarted oldest first', () => {
    const effects = planEffects(plan(
      { at: '1s', do: 'crash', node: 'leader' },
      { at: '2s', do: 'crash', node: 'n3' },
      { at: '3s', do: 'restart', node: 'crashed' },
    ))
    expect(effects.maxDown).toBe(2)
    expect(effects.maxDownAtUs).toBe(2_000_000)
    expect(effects.final.crashed).toEqual(['n3'])
  })

  it('counts a stop with isolate as a partition too, until a heal', () => {
    const stopped = plan({ at: '1s', until: '2s', do: 'pause', node: 'leader', isolate: true }, { at: '3s', do: 'resume', node: 'paused' })
    expect(leftovers(planEffects(stopped).final)).toEqual(['partitioned'])
    expect(leftovers(planEffects([...stopped, ...plan({ at: '4s', do: 'heal' })]).final)).toEqual([])
  })

  it('counts crashed and paused nodes together', () => {
    const effects = planEffects(plan(
      { at: '1s', do: 'pause', node: 'random' },
      { at: '2s', do: 'crash', node: 'random' },
      { at: '3s', do: 'crash', node: 'n1' },
      { at: '3s', do: 'crash', node: 'n1' },
    ))
    expect(effects.maxDown).toBe(3)
  })

  it('treats every partition action as replacing the last, and heal as clearing it', () => {
    expect(planEffects(plan({ at: '1s', do: 'bridge' }, { at: '2s', do: 'halves' })).final.partitioned).toBe(true)
    expect(planEffects(plan({ at: '1s', do: 'bridge' }, { at: '2s', do: 'heal' })).final.partitioned).toBe(false)
  })

  it('tracks network changes per link and reset', () => {
    const links = [['n1', 'n2'], ['n2', 'n1']]
    const steps = [
      { at: '1s', do: 'network', loss: 0.1, links },
      { at: '2s', do: 'network', latency: 'fixed:9ms' },
      { at: '3s', do: 'network', reset: true, links: [['n1', 'n2']] },
    ]
    expect(leftovers(planEffects(plan(...steps)).final)).toEqual(['network changed', 'link n2->n1 changed'])
    expect(leftovers(planEffects(plan(...steps, { at: '4s', do: 'network', reset: true })).final)).toEqual([])
  })

  it('tracks clock offset and drift separately', () => {
    const skew = { at: '1s', do: 'clock', node: 'n2', offset: '-5ms', driftPpm: 10 }
    expect(planEffects(plan(skew, { at: '2s', do: 'clock', node: 'n2', offset: '0ms' })).final.skewed).toEqual(new Set(['n2']))
    expect(planEffects(plan(skew, { at: '2s', do: 'clock', node: 'n2', offset: '0ms', driftPpm: 0 })).final.skewed).toEqual(new Set())
    // A clock picked at run time can never be reset by name.
    expect(planEffects(plan({ at: '1s', do: 'clock', node: 'leader', driftPpm: 10 })).final.skewed).toEqual(new Set(['?1']))
  })
})

describe('command steps', () => {
  it('change no fault state: not a partition, nothing down, nothing left to undo', () => {
    const effects = planEffects(plan(
      { at: '1s', do: 'command', node: 'leader', command: { type: 'cluster-failover' } },
      { at: '2s', do: 'command', node: 'n3', command: { type: 'transfer-leadership', to: 'n1' } },
    ))
    expect(effects.maxDown).toBe(0)
    expect(effects.final).toEqual(planEffects([]).final)
    expect(leftovers(effects.final)).toEqual([])
  })

  it('leave a partition in place and a clean plan clean', () => {
    const steps = [
      { at: '1s', do: 'halves' },
      { at: '2s', do: 'command', node: 'random', command: { type: 'cluster-meet' } },
    ]
    expect(planEffects(plan(...steps)).final.partitioned).toBe(true)
    expect(planProblems(plan(...steps, { at: '3s', do: 'heal' }), 5, 4_000_000)).toEqual([])
  })
})

describe('planProblems', () => {
  it('is empty for a clean plan', () => {
    expect(planProblems(plan({ at: '1s', do: 'crash', node: 'n1' }, { at: '2s', do: 'restart', node: 'n1' }), 5, 3_000_000)).toEqual([])
  })

  it('reports a majority down, steps out of time, and leftovers', () => {
    const problems = planProblems(
      plan(
        { at: '1s', do: 'crash', node: 'n1' },
        { at: '1s', do: 'pause', node: 'n2' },
        { at: '2s', do: 'crash', node: 'n3' },
        { at: '2s', do: 'isolate', nodes: ['n4'] },
        { at: '5s', do: 'clock', node: 'n5', offset: '+1s' },
      ),
      5,
      5_000_000,
    )
    expect(problems).toEqual([
      'step 4 (5s clock n5 offset=+1s) is outside 0..5s',
      '3 of 5 nodes down at 2s',
      'ends with n1 crashed, n3 crashed, n2 paused, partitioned, n5 clock skewed',
    ])
  })

  it('reports steps out of order', () => {
    const steps = [{ at: 2, do: 'heal' as const }, { at: 1, do: 'heal' as const }]
    expect(planProblems(steps, 3, 10)).toEqual(['step 1 (0.001ms heal) is out of order'])
  })

  it('knows the minority of each cluster size', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(minorityOf)).toEqual([0, 0, 1, 1, 2, 2, 3])
  })
})
