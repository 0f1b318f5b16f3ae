import { describe, expect, it } from 'vitest'
import { countSlots, evenSplit, formatRanges, rangesWhere } from './slots.ts'

describe('slot ranges', () => {
  it('splits like redis-cli --cluster create (3 masters: 0-5460 5461-10922 10923-16383)', () => {
    expect(evenSplit(3)).toEqual([[0, 5460], [5461, 10922], [10923, 16383]])
    expect(evenSplit(5).map(([, b]) => b)).toEqual([3276, 6553, 9829, 13106, 16383])
    for (const m of [1, 2, 7, 50]) expect(countSlots(evenSplit(m))).toBe(16384)
  })

  it('turns a predicate into ranges and prints them', () => {
    const r = rangesWhere((s) => s < 100 && s !== 50)
    expect(r).toEqual([[0, 49], [51, 99]])
    expect(formatRanges([[0, 99], [101, 101]])).toBe('0-99 101')
  })
})
