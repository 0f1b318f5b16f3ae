import { describe, expect, it } from 'vitest'
import { block, compact, fit, lineText, seg, shortDuration, sideBySide, windowAt } from './text.ts'

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
