import { describe, expect, it } from 'vitest'
import { block, compact, firstLines, fit, lineText, seg, shortDuration, sideBySide, windowAt, wrapText } from './text.ts'

describe('styled lines', () => {
  it('fit pads a short line and cuts a long one with an ellipsis, keeping styles', () => {
    expect(lineText(fit([seg('ab')], 5))).toBe('ab   ')
    const cut = fit([seg('abc', { color: 'red' }), seg('defgh')], 5)
    expect(lineText(cut)).toBe('abcd…')
    expect(cut[0]).toEqual({ text: 'abc', color: 'red' })
    expect(lineText(fit([seg('abcde')], 5))).toBe('abcde')
  })

  it('block and sideBySide give exact heights and widths', () => {
    expect(block([[seg('x')]], 3)).toEqual([[seg('x')], [], []])
    const rows = sideBySide([[seg('left')]], 6, [[seg('right side')], [seg('r2')]], 5, 2).map(lineText)
    expect(rows).toEqual(['left  │righ…', '      │r2   '])
  })

  it('windowAt keeps the window inside the content', () => {
    expect(windowAt([1, 2, 3, 4, 5], 4, 2)).toEqual({ items: [4, 5], offset: 3 })
    expect(windowAt([1, 2, 3], -2, 2)).toEqual({ items: [1, 2], offset: 0 })
    expect(windowAt([1, 2], 5, 4)).toEqual({ items: [1, 2], offset: 0 })
  })

  it('shortDuration and compact keep numbers and values short', () => {
    expect([shortDuration(850), shortDuration(4500), shortDuration(1_250_000), shortDuration(-2000)]).toEqual(['850us', '4.5ms', '1.25s', '-2ms'])
    expect(compact({ a: 1 })).toBe('{"a":1}')
    expect(compact('x'.repeat(10), 5)).toBe('xxxx…')
  })
})

describe('wrapText and firstLines', () => {
  it('wraps at spaces, the first line to its own width', () => {
    expect(wrapText('the quick brown fox jumps', 9, 11)).toEqual(['the quick', 'brown fox', 'jumps'])
    expect(wrapText('  a   b  ', 10, 10)).toEqual(['a b'])
    expect(wrapText('', 10, 10)).toEqual([''])
  })

  it('cuts a word longer than a line across lines', () => {
    expect(wrapText('ab abcdefghij', 4, 4)).toEqual(['ab', 'abcd', 'efgh', 'ij'])
  })

  it('keeps at most the lines asked for, the last ending in an ellipsis within its width', () => {
    expect(firstLines(['abc', 'defg', 'hi'], 2, 4)).toEqual(['abc', 'def…'])
    expect(firstLines(['abc', 'de', 'hi'], 2, 4)).toEqual(['abc', 'de…'])
    expect(firstLines(['abc', 'de'], 2, 4)).toEqual(['abc', 'de'])
  })
})
