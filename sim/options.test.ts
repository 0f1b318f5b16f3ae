import { describe, expect, it } from 'vitest'
import { pingpong } from './builtin/pingpong.ts'
import type { Plan } from './nemesis/types.ts'
import { resolveOptions } from './options.ts'
import { traced } from './testing.ts'
import { InputError, US_PER_MS } from './time.ts'

const plan: Plan = [
  { at: 100 * US_PER_MS, do: 'crash', node: 'random' },
  { at: 300 * US_PER_MS, do: 'halves' },
  { at: 600 * US_PER_MS, do: 'restart', node: 'crashed' },
  { at: 900 * US_PER_MS, do: 'heal' },
]

describe('a plan given as canonical', () => {
  it('runs exactly as the same plan validated', () => {
    const options = { protocol: pingpong, seed: 9, nodes: 3, plan }
    const validated = traced(options, 1_000 * US_PER_MS)
    const canonical = traced({ ...options, planIsCanonical: true }, 1_000 * US_PER_MS)
    expect(canonical.text).toBe(validated.text)
    expect(canonical.result.stats.faults).toBeGreaterThan(0)
  })

  it('still has its times and actions checked', () => {
    const resolve = (p: Plan) => () => resolveOptions({ protocol: pingpong, seed: 1, nodes: 3, plan: p, planIsCanonical: true })
    expect(resolve([plan[1]!, plan[0]!])).toThrow(InputError)
    expect(resolve([{ at: 0.5, do: 'heal' }])).toThrow(/whole microseconds/)
    expect(resolve([{ at: 0, do: 'explode' } as unknown as Plan[number]])).toThrow(/unknown action 'explode'/)
    expect(resolve(plan)().plan).toStrictEqual(plan)
  })
})
