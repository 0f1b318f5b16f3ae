import { describe, expect, it } from 'vitest'
import type { Trace } from './reader.ts'
import { eventsOfType, findEvents, indexAtTime, nextEvent, previousEvent } from './query.ts'
import { makeHeader, numbered } from './test-support.ts'

const events = numbered(
  [
    { type: 'send', id: 0, from: 'n1', to: 'n2', mtype: 'Ping', msg: null, due: 50 },
    { type: 'crash', node: 'n2', lostWrites: 0 },
    { type: 'deliver', id: 0, from: 'n1', to: 'n2', mtype: 'Ping' },
    { type: 'restart', node: 'n2' },
    { type: 'crash', node: 'n3', lostWrites: 1 },
  ],
  [0, 10, 10, 30, 40],
)
const trace: Trace = { header: makeHeader(), events, footer: { type: 'footer', events: 5, endTimeUs: 40, stoppedBy: 'time', hash: '' } }
const isCrash = (e: { type: string }) => e.type === 'crash'

describe('trace queries', () => {
  it('finds events by predicate and by type', () => {
    expect(findEvents(trace, isCrash)).toEqual([1, 4])
    expect(eventsOfType(trace, 'crash', 'restart').map((e) => e.node)).toEqual(['n2', 'n2', 'n3'])
  })

  it('steps to the next and previous matching event', () => {
    expect(nextEvent(trace, 1, isCrash)).toBe(4)
    expect(nextEvent(trace, -1, isCrash)).toBe(1)
    expect(nextEvent(trace, 4, isCrash)).toBe(-1)
    expect(previousEvent(trace, 4, isCrash)).toBe(1)
    expect(previousEvent(trace, 1, isCrash)).toBe(-1)
  })

  it('finds the last event at or before a time', () => {
    expect(indexAtTime(trace, -1)).toBe(-1)
    expect(indexAtTime(trace, 0)).toBe(0)
    expect(indexAtTime(trace, 10)).toBe(2)
    expect(indexAtTime(trace, 29)).toBe(2)
    expect(indexAtTime(trace, 1_000)).toBe(4)
  })
})
