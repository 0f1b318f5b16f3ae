/**
 * The shared wording helpers in sim/text.ts, used by both the plan code (here) and the trace
 * code (TraceError): every message they build stays on one short line.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { oneLine, quote } from '../text.ts'
import { TraceError } from '../trace/errors.ts'
import { parsePlan } from './plan.ts'

const LINE_BREAK = /[\n\v\f\r\x85\u2028\u2029]/

describe('quote', () => {
  it('shows plain short strings as themselves and everything else as JSON', () => {
    expect(quote('n9')).toBe("'n9'")
    expect(quote('')).toBe("''")
    expect(quote(0)).toBe('0')
    expect(quote(null)).toBe('null')
    expect(quote(true)).toBe('true')
    expect(quote({ type: 'x' })).toBe('{"type":"x"}')
    expect(quote('nœud')).toBe('"nœud"')
    expect(quote(Symbol('s'))).toBe('Symbol(s)')
  })

  it('escapes what a terminal would not show, and never throws', () => {
    expect(quote('a\u2028b')).toBe('"a\\u2028b"')
    expect(quote('evil\u202etxt')).toBe('"evil\\u202etxt"')
    expect(quote('\x85')).toBe('"\\u0085"')
    expect(quote(10n)).toBe('10')
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(quote(cycle)).toBe('[object Object]')
    expect(quote(Object.create(null))).toBe('{}')
  })

  it('cuts long values without splitting a character', () => {
    expect(quote('x'.repeat(38) + '😀😀')).toBe(`"${'x'.repeat(38)}...`)
    expect(quote('x'.repeat(37) + '😀😀')).toBe(`"${'x'.repeat(37)}😀...`)
  })

  it('is always one line of at most 43 characters, whatever the value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.anything()), (value) => {
        const text = quote(value)
        expect(text).not.toMatch(LINE_BREAK)
        expect(text.length).toBeLessThanOrEqual(43)
      }),
    )
  })
})

describe('oneLine', () => {
  it('turns each run of line breaks and the space around it into one space', () => {
    expect(oneLine('a\nb')).toBe('a b')
    expect(oneLine('a \r\n\r\n  b')).toBe('a b')
    expect(oneLine('a\u2028b\u2029c\x85d\ve\ff')).toBe('a b c d e f')
    expect(oneLine('tabs\tand  double spaces stay')).toBe('tabs\tand  double spaces stay')
    expect(oneLine('')).toBe('')
  })

  it('leaves no line break in any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(oneLine(text)).not.toMatch(LINE_BREAK)
      }),
    )
  })
})

describe('messages built with them', () => {
  it('keep trace errors on one line', () => {
    expect(new TraceError('run\n.jsonl', 3, 'bad\u2028value').message).toBe('trace run .jsonl line 3: bad value')
  })

  it('keep plan errors on one line, even for a source label with a line break', () => {
    expect(() => parsePlan(5, [], 'my\nplan')).toThrow(/^my plan: expected/)
    expect(() => parsePlan([{ at: '1s', do: 'crash', node: 'n1\u2028' }], ['n1'])).toThrow(`plan steps[0].node: unknown node "n1\\u2028" (nodes: n1)`)
  })
})
