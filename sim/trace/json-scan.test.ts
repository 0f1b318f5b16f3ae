import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { skipJsonValue } from './json-scan.ts'

/** True when `text` is exactly one JSON value, by JSON.parse (the reference). */
function parses(text: string): boolean {
  if (text.length === 0 || /^[\s]/.test(text) || /[\s]$/.test(text)) return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const whole = (text: string): boolean => skipJsonValue(text, 0) === text.length

describe('skipJsonValue', () => {
  it('accepts whatever JSON.stringify writes, and ends exactly after it', () => {
    // What follows a payload in a trace line; a digit would rightly continue a number.
    const after = fc.constantFrom('', ',"due":12}\n', ']', '}', ' x')
    fc.assert(fc.property(fc.jsonValue(), after, (value, after) => {
      const json = JSON.stringify(value)
      expect(skipJsonValue(`${json}${after}`, 0)).toBe(json.length)
    }), { numRuns: 500 })
  })

  it('agrees with JSON.parse on edited JSON text', () => {
    const edits = fc.tuple(fc.json(), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...'{}[]",:\\0123456789.eE+-tfnu \t\n'.split(''), 'true', 'nul', '1e', '-0', '\u0001'))
    fc.assert(fc.property(edits, ([json, at, cut, insert]) => {
      const k = at % (json.length + 1)
      const edited = json.slice(0, k) + insert + json.slice(k + cut)
      expect(whole(edited)).toBe(parses(edited))
    }), { numRuns: 3000 })
  })

  it('follows the grammar on the edge cases', () => {
    for (const ok of ['0', '-0', '1.5e-3', '1E+2', '"a\\u00e9\\n"', '[]', '{}', '[1, {"a" : [null, true, false]}]', '"→✗"']) expect(whole(ok)).toBe(true)
    for (const bad of ['01', '1.', '.5', '-', '1e', '"\\x"', '"\\u12g4"', '"a', '[1,]', '{"a":1,}', '{a:1}', 'tru', '"\u0001"', "'a'", '']) expect(whole(bad)).toBe(false)
  })

  it('refuses nesting deeper than its bound instead of overflowing the stack', () => {
    expect(skipJsonValue('['.repeat(100_000), 0)).toBe(-1)
    expect(whole(`${'['.repeat(200)}${']'.repeat(200)}`)).toBe(true)
  })
})
