import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NodeClock } from './clock.ts'

describe('NodeClock', () => {
  it('reads true time when untouched', () => {
    const clock = new NodeClock()
    expect(clock.local(1234)).toBe(1234)
    expect(clock.trueDelay(500)).toBe(500)
  })

  it('applies an offset as a jump and keeps ticking at the true rate', () => {
    const clock = new NodeClock()
    clock.set(1_000, { offsetUs: -300 })
    expect(clock.local(1_000)).toBe(700)
    expect(clock.local(2_000)).toBe(1_700)
    expect(clock.offsetAt(5_000)).toBe(-300)
  })

  it('runs fast with positive drift, and its timers fire early in true time', () => {
    const clock = new NodeClock()
    clock.set(0, { driftPpm: 100_000 }) // 10% fast
    expect(clock.local(1_000_000)).toBe(1_100_000)
    expect(clock.trueDelay(1_100_000)).toBe(1_000_000)
  })

  it('is monotonic and continuous under any drift changes without offsets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: -500_000, max: 500_000 })), { maxLength: 20 }),
        (changes) => {
          const clock = new NodeClock()
          let t = 0
          let last = clock.local(0)
          for (const [dt, drift] of changes) {
            t += dt
            const before = clock.local(t)
            expect(before).toBeGreaterThanOrEqual(last)
            clock.set(t, { driftPpm: drift })
            expect(clock.local(t)).toBe(before)
            last = before
          }
        },
      ),
    )
  })

  it('a timer set for d local microseconds has elapsed at least d on the local clock when it fires', () => {
    fc.assert(
      fc.property(fc.integer({ min: -900_000, max: 900_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 1e9 }), (drift, d, start) => {
        const clock = new NodeClock()
        clock.set(0, { driftPpm: drift })
        const fireAt = start + clock.trueDelay(d)
        expect(clock.local(fireAt) - clock.local(start)).toBeGreaterThanOrEqual(d - 1)
      }),
    )
  })
})
