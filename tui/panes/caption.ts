/**
 * A scenario run's narration: the caption line under the invariants (the latest caption at
 * or before the cursor, highlighted when the cursor is on its event), and the scenario
 * overlay (`s`): summary, expectations with their results, and every caption. Traces that
 * are not scenario runs get neither, and their screen is unchanged.
 */
import { formatClock } from '../../sim/time.ts'
import { captionIndexAt, type ScenarioInfo } from '../scenario.ts'
import { firstLines, type Line, type Segment, seg, type Style, wrapText } from '../text.ts'
import type { PaneContext } from './context.ts'

/** The most rows a caption grows to in a text frame. */
export const CAPTION_MAX_ROWS = 6

/**
 * Rows the caption takes: none without a scenario; two on a small screen (80x24), three from
 * 30 rows. The interactive viewer keeps that fixed, so the panes do not jump from caption to
 * caption; a text frame (`grow`) of 30 rows or more gives a long caption up to
 * CAPTION_MAX_ROWS, since a frame is read on its own.
 */
export function captionHeight(ctx: PaneContext, width: number, height: number, grow = false): number {
  if (ctx.session.scenario === null) return 0
  if (height < 30) return 2
  return grow ? Math.min(CAPTION_MAX_ROWS, Math.max(3, captionPane(ctx, width, CAPTION_MAX_ROWS + 1).length)) : 3
}

/**
 * The caption rows: a label (scenario name, which caption of how many, its time and event)
 * and the caption's text wrapped after it. Before the first caption, the scenario's summary.
 */
export function captionPane({ session, state }: PaneContext, width: number, height: number): Line[] {
  const scenario = session.scenario
  if (scenario === null || height <= 0) return []
  const k = captionIndexAt(scenario.captions, state.index)
  if (k < 0) return beforeFirst(scenario, width, height)
  const caption = scenario.captions[k]!
  const exact = caption.i === state.index
  // ▶ marks the caption's own event as the log's cursor does: colours are dropped in text frames.
  const label = `${exact ? '▶' : ' '}[${scenario.name} ${k + 1}/${scenario.captions.length} · ${formatClock(caption.t)} #${caption.i}] `
  // On its event the caption stands out; later, while it is still the latest, it is plain.
  return wrapped(
    seg(label, exact ? { color: 'yellow', bold: true, inverse: true } : { color: 'cyan', bold: true }),
    caption.text, exact ? { bold: true } : {}, width, height,
  )
}

function beforeFirst(scenario: ScenarioInfo, width: number, height: number): Line[] {
  const first = scenario.captions[0]
  const hint = first === undefined ? '' : ` (c: first caption, at ${formatClock(first.t)} #${first.i})`
  const variant = scenario.variant === null ? '' : ` [${scenario.variant}]`
  return wrapped(seg(` [${scenario.name}${variant}] `, { color: 'cyan', bold: true }), `${scenario.summary}${hint}`, { color: 'gray' }, width, height)
}

/** The label, then the text word-wrapped beside and under it, cut with an ellipsis at `height` rows. */
function wrapped(label: Segment, text: string, style: Style, width: number, height: number): Line[] {
  const firstWidth = Math.max(1, width - label.text.length)
  const rows = firstLines(wrapText(text, firstWidth, width), height, height === 1 ? firstWidth : width)
  return rows.map((row, r) => (r === 0 ? [label, seg(row, style)] : [seg(row, style)]))
}

/** The scenario overlay's rows (before scrolling): what the run claims, how its checks came out, and its captions. */
export function scenarioRows(scenario: ScenarioInfo, index: number, width: number): Line[] {
  const rows: Line[] = []
  const text = (t: string, indent: number, style: Style = {}) => {
    for (const row of wrapText(t, width - indent, width - indent)) rows.push([seg(' '.repeat(indent)), seg(row, style)])
  }
  const facts = [scenario.variant, scenario.claims.length > 0 ? `claims ${scenario.claims.join(', ')}` : null].filter((f) => f !== null)
  if (facts.length > 0) text(facts.join(' · '), 2, { color: 'gray' })
  if (scenario.summary !== '') text(scenario.summary, 2)
  rows.push([])
  const passed = scenario.expect.filter((e) => e.ok).length
  rows.push([seg(`  Expectations: ${passed} of ${scenario.expect.length} held`, { bold: true, color: passed === scenario.expect.length ? 'green' : 'red' })])
  for (const e of scenario.expect) {
    const where = e.i === null ? 'whole run' : `#${e.i}`
    const line = `${e.ok ? '✓' : '✗'} ${e.says}${e.detail === '' ? '' : `: ${e.detail}`} (${where})`
    text(line, 2, { color: e.ok ? 'green' : 'red' })
  }
  rows.push([])
  rows.push([seg(`  Captions: ${scenario.captions.length} (c next, C previous; ▶ the one shown now)`, { bold: true })])
  const shown = captionIndexAt(scenario.captions, index)
  scenario.captions.forEach((c, k) => {
    const head = `${k === shown ? '▶' : ' '} ${formatClock(c.t)} #${c.i}  `
    const body = wrapText(c.text, width - 2 - head.length, width - 2 - head.length)
    body.forEach((row, r) => rows.push([
      seg(`  ${r === 0 ? head : ' '.repeat(head.length)}`, { color: k === shown ? 'yellow' : 'cyan', bold: k === shown }),
      seg(row, k === shown ? { bold: true } : {}),
    ]))
  })
  return rows
}
