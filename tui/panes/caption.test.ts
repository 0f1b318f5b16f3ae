import { describe, expect, it } from 'vitest'
import { renderFrames } from '../frames.ts'
import { screen } from '../layout.ts'
import { initialState, type ViewerState } from '../model.ts'
import { Session } from '../session.ts'
import { faultyRun, scenarioRun, sessionOf } from '../test-support.ts'
import { type Line, lineText } from '../text.ts'
import { CAPTION_MAX_ROWS, captionHeight, captionPane, scenarioRows } from './caption.ts'
import { paneContext } from './context.ts'

const run = scenarioRun()
const session = sessionOf(run, 'scenario.jsonl')
const captions = session.scenario!.captions
const plain = sessionOf(faultyRun())
const at = (index: number): ViewerState => ({ ...initialState(session), index })
const pane = (index: number, width = 80, height = 2) => captionPane(paneContext(session, at(index)), width, height)
const text = (lines: Line[]) => lines.map(lineText)

describe('the caption pane', () => {
  it('takes no room in a trace that is not a scenario run, two rows at 80x24 and three from 30 rows', () => {
    const ctx = paneContext(session, at(captions[0]!.i))
    expect(captionHeight(paneContext(plain, initialState(plain)), 80, 23)).toBe(0)
    expect(captionHeight(paneContext(plain, initialState(plain)), 80, 40, true)).toBe(0)
    expect(captionHeight(ctx, 80, 23)).toBe(2)
    expect(captionHeight(ctx, 80, 29, true)).toBe(2)
    expect(captionHeight(ctx, 80, 30)).toBe(3)
  })

  it('grows in a text frame of 30 rows or more to the rows a long caption needs, up to a limit', () => {
    const long = paneContext(session, at(captions.find((c) => c.text.startsWith('Check-quorum'))!.i))
    const needs = captionPane(long, 80, 99).length
    expect(needs).toBeGreaterThan(3)
    expect(captionHeight(long, 80, 40)).toBe(3)
    expect(captionHeight(long, 80, 40, true)).toBe(Math.min(CAPTION_MAX_ROWS, needs))
    expect(captionHeight(long, 120, 40, true)).toBe(Math.max(3, captionPane(long, 120, 99).length))
    expect(captionHeight(long, 80, 29, true)).toBe(2)
    // A short caption keeps the usual three rows.
    expect(captionHeight(paneContext(session, at(captions[1]!.i)), 200, 40, true)).toBe(3)
  })

  it('before the first caption: the scenario name, its summary, and where the first caption is', () => {
    const lines = text(pane(-1, 100, 3)).join(' ')
    expect(lines).toContain('[raft-isolated-leader]')
    expect(lines).toContain(run.scenario.summary)
    expect(lines).toContain(`c: first caption, at 0.${String(captions[0]!.t).padStart(6, '0')}s #${captions[0]!.i}`)
  })

  it('on a caption event: the caption highlighted, with the scenario name, its number and its time', () => {
    const c = captions[2]!
    const lines = pane(c.i, 120, 3)
    expect(lineText(lines[0]!)).toMatch(new RegExp(`^▶\\[raft-isolated-leader 3/${captions.length} · 0\\.\\d{6}s #${c.i}\\] The leader is cut off`))
    expect(lines[0]![0]).toMatchObject({ inverse: true, bold: true })
    expect(lines[0]![1]).toMatchObject({ bold: true })
  })

  it('between captions: the latest one before the cursor, not highlighted', () => {
    const c = captions[2]!
    const lines = pane(c.i + 1, 120, 3)
    expect(lineText(lines[0]!)).toMatch(new RegExp(`^ \\[raft-isolated-leader 3/${captions.length} · 0\\.\\d{6}s #${c.i}\\] The leader`))
    expect(lines[0]![0]!.inverse).toBeUndefined()
    expect(lines[0]![1]!.bold).toBeUndefined()
    expect(lineText(pane(captions[3]!.i - 1, 120, 3)[0]!)).toContain(` 3/${captions.length}`)
  })

  it('wraps a long caption at word boundaries and cuts it with an ellipsis at the rows it has', () => {
    const long = captions.find((c) => c.text.startsWith('Check-quorum'))!
    const two = text(pane(long.i, 80, 2))
    expect(two).toHaveLength(2)
    for (const l of two) expect(l.length).toBeLessThanOrEqual(80)
    expect(two[1]!.endsWith('…')).toBe(true)
    const whole = text(pane(long.i, 80, 9))
    expect(whole.join(' ').replace(/^.*?\] /, '')).toBe(long.text)
    expect(whole.at(-1)!.endsWith('…')).toBe(false)
  })
})

describe('the screen of a scenario run', () => {
  it('fits 80x24 with the caption under the invariants, and the hints name c/C and s', () => {
    const c = captions[1]!
    const lines = text(screen(session, at(c.i), 80, 23))
    expect(lines).toHaveLength(23)
    for (const l of lines) expect(l.length).toBe(80)
    expect(lines[3]).toMatch(/^invariants ok/)
    expect(lines[4]).toMatch(/^▶\[raft-isolated-leader 2\//)
    expect(lines[6]).toMatch(/^── Cluster/)
    expect(lines[22]).toMatch(/c\/C caption {2}s scenario/)
  })

  it('takes the caption rows from the event log: the other panes are as tall as without a scenario', () => {
    const { scenario: _, ...config } = run.trace.header.config
    const bare = new Session({ ...run.trace, header: { ...run.trace.header, config } }, { source: 'scenario.jsonl' })
    for (const [width, height] of [[80, 23], [100, 32], [120, 40]] as const) {
      const c = captions[3]!.i
      const withCaption = text(screen(session, at(c), width, height, { growCaption: true }))
      const without = text(screen(bare, { ...initialState(bare), index: c }, width, height))
      const rows = captionHeight(paneContext(session, at(c)), width, height, true)
      const panesOf = (lines: string[], from: number) => lines.slice(from, lines.findIndex((l) => l.startsWith('── Events')))
      expect(panesOf(withCaption, 4 + rows)).toEqual(panesOf(without, 4))
      expect(withCaption.filter((l) => /^[ ▶]#\d+ /.test(l)).length).toBe(Math.max(3, without.filter((l) => /^[ ▶]#\d+ /.test(l)).length - rows))
    }
  })

  it('is unchanged for other traces: no caption rows, the usual hints', () => {
    const lines = text(screen(plain, initialState(plain), 80, 23))
    expect(lines[4]).toMatch(/^── Cluster/)
    expect(lines[22]).not.toContain('caption')
    expect(renderFrames(plain, 'captions', 80, 23)).toEqual([])
  })

  it('--frames puts the caption in every frame, and `captions` gives one frame per caption', () => {
    const frames = renderFrames(session, 'captions', 100, 32)
    expect(frames).toHaveLength(captions.length)
    frames.forEach((frame, k) => {
      const lines = frame.split('\n')
      expect(lines[0]).toContain(`event #${captions[k]!.i}`)
      expect(lines[0]).toContain(`caption ${k + 1}/${captions.length} ===`)
      expect(lines[5]).toContain(`▶[raft-isolated-leader ${k + 1}/${captions.length}`)
    })
    const between = renderFrames(session, `#${captions[1]!.i + 1}`, 100, 32)[0]!.split('\n')
    expect(between[0]).not.toContain('caption')
    expect(between[5]).toContain(` [raft-isolated-leader 2/${captions.length}`)
  })

  it('the scenario overlay lists the expectations with their results, and every caption, marking the one shown', () => {
    const shownAt = captions[2]!.i + 3
    const rows = text(scenarioRows(session.scenario!, shownAt, 80))
    expect(rows).toContain('  claims 1, 3')
    expect(rows).toContain('  Expectations: 2 of 3 held')
    const [yes, no, whole] = run.scenario.expect
    expect(rows).toContain(`  ✓ ${yes!.says}: ${yes!.detail} (#${yes!.i})`)
    expect(rows).toContain(`  ✗ ${no!.says}: ${no!.detail} (#${no!.i})`)
    expect(rows).toContain(`  ✓ ${whole!.says} (whole run)`)
    const marked = rows.filter((r) => r.startsWith('  ▶'))
    expect(marked).toHaveLength(1)
    expect(marked[0]).toContain(`#${captions[2]!.i}  The leader is cut off`)
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(80)
    const overlay = text(screen(session, { ...at(shownAt), overlay: 'scenario' }, 80, 23))
    expect(overlay[6]).toMatch(/^── Scenario raft-isolated-leader \(j\/k scroll, 1-15 of \d+; any other key closes\)/)
  })
})
