import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InputError } from '../time.ts'
import { canonicalOffset, formatOffset, parseOffset } from './offset.ts'
import { quote } from '../text.ts'
import { describeNodes, listWords } from './text.ts'

describe('clock offsets', () => {
  it('parse signed durations', () => {
    expect(parseOffset('-200ms')).toBe(-200_000)
    expect(parseOffset('+50ms')).toBe(50_000)
    expect(parseOffset('1.5s')).toBe(1_500_000)
    expect(parseOffset('-0ms')).toBe(0)
    expect(Object.is(parseOffset('-0ms'), 0)).toBe(true)
  })

  it('have one canonical spelling', () => {
    expect(['-200ms', '+50ms', '50ms', '0ms', '-0s', '+1000ms'].map((t) => canonicalOffset(t))).toEqual([
      '-200ms',
      '+50ms',
      '+50ms',
      '0ms',
      '0ms',
      '+1s',
    ])
  })

  it('round-trip any whole number of microseconds', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (us) => parseOffset(formatOffset(us)) === us))
  })

  it('reject malformed text in one line', () => {
    for (const bad of ['', '--1s', '1 sec', '+-1s', 'x\ny']) {
      expect(() => parseOffset(bad)).toThrow(InputError)
      expect(() => parseOffset(bad)).toThrow(/^bad offset [^\n]*expected a signed duration like -200ms, \+50ms or 0ms$/)
    }
  })
})

describe('wording helpers', () => {
  it('describe node lists briefly', () => {
    expect(describeNodes(['n1', 'n2', 'n3', 'n4', 'n5'])).toBe('n1..n5')
    expect(describeNodes(['node7', 'node8', 'node9'])).toBe('node7..node9')
    expect(describeNodes(['n1', 'n3', 'n4'])).toBe('n1, n3, n4')
    expect(describeNodes(['a', 'b'])).toBe('a, b')
    expect(describeNodes([])).toBe('none')
    expect(describeNodes(Array.from({ length: 20 }, (_, i) => `x${20 - i}`))).toMatch(/^x20, x19, .*\.\.\. \(20 in all\)$/)
  })

  it('quote values on one line, short', () => {
    expect(quote('n1')).toBe("'n1'")
    expect(quote(5)).toBe('5')
    expect(quote('a\nb')).toBe('"a\\nb"')
    expect(quote('y'.repeat(100))).toBe(`'${'y'.repeat(39)}...`)
    expect(quote(undefined)).toBe('undefined')
  })

  it('list words', () => {
    expect(listWords(['a'])).toBe('a')
    expect(listWords(['a', 'b'])).toBe('a or b')
    expect(listWords(['a', 'b', 'c'], 'and')).toBe('a, b and c')
  })
})
