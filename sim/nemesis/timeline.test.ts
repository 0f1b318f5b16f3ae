import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RandomStream } from '../random.ts'
import { US_PER_MS, US_PER_S } from '../time.ts'
import { budgetTrack, drawUs, episodesToPlan, firstEpisodes, mostAtOnce, paceFor, sequentialTrack, type Episode } from './timeline.ts'

const crash = { apply: [{ do: 'crash' as const, node: 'random' }], undo: [{ do: 'restart' as const, node: 'crashed' }] }
const episode = (startUs: number, endUs: number): Episode => ({ startUs, endUs, ...crash })

describe('timeline', () => {
  it('scales the pace down for short runs only', () => {
    expect(paceFor(60 * US_PER_S, [1, 5], [2, 3])).toEqual({ gapUs: [1e6, 5e6], lengthUs: [2e6, 3e6] })
    expect(paceFor(2 * US_PER_S, [1, 5], [1, 5])).toEqual({ gapUs: [1e5, 5e5], lengthUs: [1e5, 5e5] })
  })

  it('draws whole milliseconds within the range', () => {
    const rng = RandomStream.root(1)
    for (let i = 0; i < 200; i++) {
      const us = drawUs(rng, [1500, 4200])
      expect(us % US_PER_MS).toBe(0)
      expect(us).toBeGreaterThanOrEqual(2000)
      expect(us).toBeLessThanOrEqual(4000)
    }
  })

  it('counts overlaps with closed spans', () => {
    const episodes = [episode(0, 10), episode(10, 20), episode(15, 30)]
    expect(mostAtOnce(episodes, 0, 5)).toBe(1)
    expect(mostAtOnce(episodes, 10, 10)).toBe(2)
    expect(mostAtOnce(episodes, 12, 40)).toBe(2)
    expect(mostAtOnce(episodes, 31, 40)).toBe(0)
  })

  it('keeps sequential episodes apart and budgeted ones within budget', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 3 }), (seed, budget) => {
        const rng = RandomStream.root(seed)
        const pace = paceFor(60 * US_PER_S, [0.5, 3], [1, 8])
        const endUs = 60 * US_PER_S
        const sequential = sequentialTrack(rng, endUs, pace, () => crash)
        sequential.forEach((e, i) => i > 0 && expect(e.startUs).toBeGreaterThan(sequential[i - 1]!.endUs))
        const budgeted = budgetTrack(rng, endUs, pace, budget, [episode(20e6, 30e6)], () => crash)
        for (const e of [...sequential, ...budgeted]) expect(e.endUs).toBeLessThanOrEqual(endUs)
        for (const e of budgeted) expect(mostAtOnce([episode(20e6, 30e6), ...budgeted], e.startUs, e.endUs)).toBeLessThanOrEqual(budget)
      }),
      { numRuns: 50 },
    )
  })

  it('flattens episodes into a plan, undo before a later episode at the same time', () => {
    expect(episodesToPlan([episode(1, 5), episode(5, 7)])).toEqual([
      { at: 1, do: 'crash', node: 'random' },
      { at: 5, do: 'restart', node: 'crashed' },
      { at: 5, do: 'crash', node: 'random' },
      { at: 7, do: 'restart', node: 'crashed' },
    ])
  })

  it('keeps the earliest episodes that fit the step budget', () => {
    const episodes = [episode(30, 40), episode(10, 20), episode(20, 25)]
    expect(firstEpisodes(episodes, 5).map((e) => e.startUs)).toEqual([10, 20])
    expect(firstEpisodes(episodes, 1)).toEqual([])
  })
})
