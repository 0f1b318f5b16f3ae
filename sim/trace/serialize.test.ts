import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from './events.ts'
import { serializeEvent } from './serialize.ts'

const id = fc.oneof(fc.constantFrom('n1', 'n2', 'c1'), fc.string())
const int = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
const base = { i: int, t: int }

const hot: fc.Arbitrary<TraceEvent> = fc.oneof(
  fc.record({ ...base, type: fc.constant('deliver' as const), id: int, from: id, to: id, mtype: fc.string() }),
  fc.record({ ...base, type: fc.constant('send' as const), id: int, from: id, to: id, mtype: fc.string(), msg: fc.jsonValue(), due: fc.integer({ min: -1, max: 1e12 }) }),
  fc.record({ ...base, type: fc.constant('drop' as const), id: int, from: id, to: id, mtype: fc.string(), reason: fc.constantFrom('loss', 'partition', 'node-down', 'restarted' as const) }),
  fc.record({ ...base, type: fc.constant('timer' as const), node: id, name: fc.string(), timer: int }),
)

describe('serializeEvent', () => {
  it('equals JSON.stringify for every hot event type, whatever the strings hold', () => {
    fc.assert(fc.property(hot, (e) => {
      expect(serializeEvent(e)).toBe(JSON.stringify(e))
    }), { numRuns: 2000 })
  })

  it('falls back to JSON.stringify for unexpected shapes: other key order, extra keys, odd numbers', () => {
    const odd: unknown[] = [
      { t: 1, i: 2, type: 'deliver', id: 3, from: 'a', to: 'b', mtype: 'm' },
      { i: 1, t: 2, type: 'deliver', id: 3, from: 'a', to: 'b', mtype: 'm', extra: true },
      { i: 1, t: 2.5, type: 'timer', node: 'n1', name: 'x', timer: 1 },
      { i: 1, t: Number.NaN, type: 'deliver', id: 3, from: 'a', to: 'b', mtype: 'm' },
      { i: 1, t: 2, type: 'send', id: 3, from: 'a', to: 'b', mtype: 'm', msg: undefined, due: 4 },
      { i: 1, t: 2, type: 'drop', id: 3, from: 'a', to: 'b', mtype: 'm', reason: 'loss', step: undefined },
      { i: 1, t: 2, type: 'crash', node: 'n1', lostWrites: 0 },
    ]
    for (const e of odd) expect(serializeEvent(e as TraceEvent)).toBe(JSON.stringify(e))
  })
})
