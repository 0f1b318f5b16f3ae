import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../sim/trace/events.ts'
import { serializeEvent } from '../sim/trace/serialize.ts'
import { describeEvent, describeLine, type LogFilter, matches, NO_FILTER } from './panes/events.ts'
import { findMatch, SearchIndex } from './search.ts'
import { Session } from './session.ts'
import { allEvents, faultyRun, sessionOf } from './test-support.ts'

const run = faultyRun()
const lazy = sessionOf(run)
const eager = new Session(run.trace, { source: 'test.jsonl' })
const events = allEvents(lazy)

/** The reference: one event at a time, as the log shows it. */
function naive(filter: LogFilter, from: number, direction: 1 | -1, limit: number): number {
  for (let k = 1, i = from + direction; k <= limit && i >= 0 && i < events.length; k++, i += direction) if (matches(events[i]!, filter)) return i
  return -1
}

describe('the log search', () => {
  it('finds across many small chunks what a scan finds', () => {
    const index = new SearchIndex(lazy.events, 16)
    const lines = events.map((e) => describeEvent(e).toLowerCase())
    const query = fc.tuple(fc.nat(events.length - 1), fc.nat(10), fc.integer({ min: 1, max: 6 }), fc.integer({ min: -1, max: events.length }), fc.constantFrom<1 | -1>(1, -1), fc.integer({ min: 1, max: 400 }))
    fc.assert(fc.property(query, ([line, at, n, from, direction, limit]) => {
      const search = lines[line]!.slice(at, at + n)
      if (search === '') return
      const f = { ...NO_FILTER, search }
      expect(index.find(from, direction, search, (i) => matches(events[i]!, NO_FILTER), limit)).toBe(naive(f, from, direction, limit))
    }), { numRuns: 400 })
  })

  it('finds what a scan of every event finds, both ways, with any filters and limits, on both kinds of session', () => {
    const lines = events.map((e) => describeEvent(e).toLowerCase())
    const needle = fc.oneof(
      fc.constantFrom('crashed', 'n1→n2', 'ping', 'delivered', 'timer', 'no such text', '(op ', '✗', 'e'),
      fc.tuple(fc.nat(events.length - 1), fc.nat(12), fc.integer({ min: 1, max: 8 })).map(([i, at, n]) => lines[i]!.slice(at, at + n)),
    )
    const filter = fc.record({ node: fc.constantFrom(null, 'n1', 'n3'), typeGroup: fc.constantFrom(null, 'messages', 'faults', 'views'), search: needle })
    const query = fc.tuple(filter, fc.integer({ min: -1, max: events.length }), fc.constantFrom<1 | -1>(1, -1), fc.integer({ min: 1, max: events.length + 5 }))
    fc.assert(fc.property(query, ([f, from, direction, limit]) => {
      if (f.search === '') return
      const expected = naive(f, from, direction, limit)
      expect(findMatch(lazy, f, from, direction, limit)).toBe(expected)
      expect(findMatch(eager, f, from, direction, limit)).toBe(expected)
    }), { numRuns: 400 })
  })

  it('without a search text, filters by node and type alone', () => {
    const f = { ...NO_FILTER, node: 'n2', typeGroup: 'faults' }
    expect(findMatch(lazy, f, -1, 1, events.length)).toBe(naive(f, -1, 1, events.length))
    expect(findMatch(lazy, f, events.length, -1, events.length)).toBe(naive(f, events.length, -1, events.length))
  })

  it('builds its index ahead of time, and finds the same after', () => {
    const fresh = sessionOf(run)
    expect(fresh.search.complete).toBe(false)
    while (fresh.search.buildNext());
    expect(fresh.search.complete).toBe(true)
    const f = { ...NO_FILTER, search: 'restarted' }
    expect(findMatch(fresh, f, -1, 1, events.length)).toBe(naive(f, -1, 1, events.length))
  })
})

describe('describeLine', () => {
  const str = fc.oneof(fc.constantFrom('n1', 'Ping', 'é→✗', 'a"b\\c\n'), fc.string({ maxLength: 5 }))
  const int = fc.integer({ min: -3_000_000, max: 3_000_000 })
  const object = fc.dictionary(fc.oneof(str, fc.constantFrom('10', '2', 'role')), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  const body = fc.oneof(
    fc.record({ type: fc.constant('deliver'), id: int, from: str, to: str, mtype: str }),
    fc.record({ type: fc.constant('drop'), id: int, from: str, to: str, mtype: str, reason: fc.constantFrom('loss', 'partition', 'node-down', 'restarted') }),
    fc.record({ type: fc.constant('timer'), node: str, name: str, timer: int }),
    fc.record({ type: fc.constant('send'), id: int, from: str, to: str, mtype: str, msg: fc.jsonValue({ maxDepth: 2 }), due: fc.oneof(fc.constant(-1), int) }),
    fc.record({ type: fc.constant('note'), node: str, kind: str, data: object }, { requiredKeys: ['type', 'node', 'kind'] }),
    fc.record({ type: fc.constant('view'), node: str, view: object }),
    fc.record({ type: fc.constant('view'), node: str, changes: object }),
    fc.record({ type: fc.constant('view'), node: str, changes: object, removed: fc.array(str, { minLength: 1, maxLength: 2 }) }),
  )

  it('describes a written line as describeEvent does its event', () => {
    fc.assert(fc.property(body, fc.nat(2_000_000), (b, t) => {
      const e = { i: 7, t, ...b } as unknown as TraceEvent
      const line = serializeEvent(e)
      const quick = describeLine(line)
      const plain = e.type === 'send' ? typeof e.msg !== 'string' : e.type !== 'view' || e.removed === undefined
      if (plain) expect(quick).not.toBeNull()
      if (quick !== null) expect(quick).toBe(describeEvent(JSON.parse(line) as TraceEvent))
    }), { numRuns: 2000 })
  })

  it('leaves other lines to describeEvent', () => {
    expect(describeLine('{"i":0,"t":1,"type":"crash","node":"n1","lostWrites":0}')).toBeNull()
    expect(describeLine('{"i":0,"t":1,"type":"view","node":"n1","view":{"role":"x"},"changes":{"a":1}}')).toBeNull()
    expect(describeLine('{"t":1,"i":0,"type":"timer","node":"n1","name":"x","timer":1}')).toBeNull()
  })
})
