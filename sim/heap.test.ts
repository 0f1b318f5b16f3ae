import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { EventHeap } from './heap.ts'

describe('EventHeap', () => {
  it('pops in (at, seq) order for any pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const heap = new EventHeap<{ at: number; seq: number }>()
        times.forEach((at, seq) => heap.push({ at, seq }))
        const out: { at: number; seq: number }[] = []
        for (let e = heap.pop(); e; e = heap.pop()) out.push(e)
        const expected = times.map((at, seq) => ({ at, seq })).sort((a, b) => a.at - b.at || a.seq - b.seq)
        expect(out).toEqual(expected)
      }),
    )
  })

  it('interleaved push and pop never returns an item earlier than one already popped', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 300 }), (ops) => {
        const heap = new EventHeap<{ at: number; seq: number }>()
        let now = 0
        let seq = 0
        for (const [isPush, delay] of ops) {
          if (isPush) heap.push({ at: now + delay, seq: seq++ })
          else {
            const e = heap.pop()
            if (e) {
              expect(e.at).toBeGreaterThanOrEqual(now)
              now = e.at
            }
          }
        }
      }),
    )
  })
})
