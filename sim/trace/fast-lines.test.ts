import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from './events.ts'
import { FastLines } from './fast-lines.ts'
import { openTrace, parseTrace, TraceError } from './reader.ts'
import { serializeEvent } from './serialize.ts'
import { makeHeader } from './test-support.ts'

/** A trace of these raw event lines, its footer's count and hash right whatever the lines hold. */
function traceOf(lines: readonly string[]): string {
  const prefix = `${JSON.stringify(makeHeader())}\n${lines.map((l) => `${l}\n`).join('')}`
  const hash = `sha256:${createHash('sha256').update(prefix).digest('hex')}`
  return `${prefix}${JSON.stringify({ type: 'footer', events: lines.length, endTimeUs: 0, stoppedBy: 'time', hash })}\n`
}

/** The outcome of a reader: its events, or its error's message. */
function outcome(read: () => TraceEvent[]): TraceEvent[] | string {
  try {
    return read()
  } catch (err) {
    expect(err).toBeInstanceOf(TraceError)
    return (err as Error).message
  }
}

const lazyEvents = (text: string): TraceEvent[] => {
  const trace = openTrace(text)
  return Array.from({ length: trace.length }, (_, i) => trace.event(i))
}

const str = fc.oneof(fc.constantFrom('n1', 'n2', 'Ping', 'é→✗', 'a"b\\c\n\u0001'), fc.string({ maxLength: 6 }))
const int = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(2 ** 53 - 1, 2 ** 53, 1e15, 1e21, -0, 1.5))
const fastEvent = fc.oneof(
  fc.record({ type: fc.constant('deliver'), id: int, from: str, to: str, mtype: str }),
  fc.record({ type: fc.constant('drop'), id: int, from: str, to: str, mtype: str, reason: fc.constantFrom('loss', 'partition', 'node-down', 'restarted', 'lost') }),
  fc.record({ type: fc.constant('timer'), node: str, name: str, timer: int }),
  fc.record({ type: fc.constant('send'), id: int, from: str, to: str, mtype: str, msg: fc.jsonValue({ maxDepth: 3 }), due: int }),
)
const events = fc.array(fc.tuple(fastEvent, fc.nat(3)), { maxLength: 6 }).map((list) => {
  let t = 0
  return list.map(([body, dt], i) => ({ i, t: (t += dt), ...body }) as unknown as TraceEvent)
})

describe('the fast path of the open', () => {
  it('accepts the lines the writer makes, and the events read back are the ones written', () => {
    const written: TraceEvent[] = [
      { i: 0, t: 5, type: 'send', id: 1, from: 'n1', to: 'n2', mtype: 'Ping', msg: { type: 'Ping', seq: [1, 'é'] }, due: 90 },
      { i: 1, t: 9, type: 'timer', node: 'n1', name: 'tick', timer: 3 },
      { i: 2, t: 90, type: 'deliver', id: 1, from: 'n1', to: 'n2', mtype: 'Ping' },
      { i: 3, t: 91, type: 'drop', id: 2, from: 'n2', to: 'n1', mtype: 'Pong', reason: 'partition' },
    ]
    const text = traceOf(written.map(serializeEvent))
    const fast = new FastLines()
    let pos = text.indexOf('\n') + 1
    written.forEach((e, index) => {
      pos = fast.accept(text, pos, index, 0)
      expect(pos).toBeGreaterThan(0)
      expect(fast.timeUs).toBe(e.t)
    })
    expect(lazyEvents(text)).toEqual(written)
  })

  it('leaves a line it cannot prove well formed to the exact checks: both readers agree on any fast-type event', () => {
    fc.assert(fc.property(events, (list) => {
      const text = traceOf(list.map((e) => JSON.stringify(e)))
      expect(outcome(() => lazyEvents(text))).toEqual(outcome(() => parseTrace(text).events))
    }), { numRuns: 1500 })
  })

  it('agrees with the exact reader on any edit of a written line, the hash made right again', () => {
    const line = serializeEvent({ i: 0, t: 7, type: 'send', id: 12, from: 'n1', to: 'n2', mtype: 'Ping', msg: { a: [1, 2.5, 'x'], b: null }, due: 99 })
    const edit = fc.tuple(fc.nat(line.length), fc.nat(2), fc.constantFrom(...'{}[]",:\\0123456789-.etfn x'.split(''), '', '\u00e9', '\u0001'))
    fc.assert(fc.property(edit, ([at, cut, insert]) => {
      const text = traceOf([line.slice(0, at) + insert + line.slice(at + cut)])
      expect(outcome(() => lazyEvents(text))).toEqual(outcome(() => parseTrace(text).events))
    }), { numRuns: 2000 })
  })
})
