/**
 * The whole screen as styled lines, from the session and the viewer's state: the one
 * layout both the ink app and the text frames use. Exactly `height` lines of exactly
 * `width` columns, so ink never wraps and never overflows the terminal.
 *
 *   status · reproduce · timeline · invariants
 *   caption (scenario runs only)
 *   Cluster + In flight │ Node detail
 *   Events
 *   footer (key hints, prompt, feedback)
 */
import { detailPane } from './detail/index.ts'
import { helpRows } from './keys.ts'
import type { ViewerState } from './model.ts'
import { captionHeight, captionPane, scenarioRows } from './panes/caption.ts'
import { footerBar, invariantBar, reproduceBar, statusBar, timelineBar } from './panes/bars.ts'
import { clusterPane, partitionLines } from './panes/cluster.ts'
import { type PaneContext, paneContext } from './panes/context.ts'
import { flightPane } from './panes/flight.ts'
import { logPane } from './panes/log.ts'
import type { Session } from './session.ts'
import { block, fit, type Line, seg, sideBySide, title, windowAt } from './text.ts'

export const MIN_WIDTH = 80
/** Lines of a screen: a 24-row terminal, less the line ink must leave free (see app.tsx). */
export const MIN_HEIGHT = 23
const TOP_LINES = 4
const FOOTER_LINES = 1

/** `growCaption`: a text frame, where a long caption may take more rows (see captionHeight). */
export function screen(session: Session, state: ViewerState, width: number, height: number, { growCaption = false } = {}): Line[] {
  const ctx = paneContext(session, state)
  if (width < MIN_WIDTH || height < MIN_HEIGHT) return tooSmall(ctx, width, height)
  const captionLines = captionHeight(ctx, width, height, growCaption)
  const top = [statusBar(ctx), reproduceBar(ctx), timelineBar(ctx, width), invariantBar(ctx), ...block(captionPane(ctx, width, captionLines), captionLines)]
  const body = height - TOP_LINES - captionLines - FOOTER_LINES
  return [...top, ...middle(ctx, width, body, captionLines), footerBar(ctx)].map((l) => fit(l, width))
}

function middle(ctx: PaneContext, width: number, body: number, captionLines: number): Line[] {
  const { state, session } = ctx
  if (state.overlay === 'help') return overlayLines('Keys', helpLines(), width, body, state.overlayScroll)
  if (state.overlay === 'scenario' && session.scenario !== null) {
    return overlayLines(`Scenario ${session.scenario.name}`, scenarioRows(session.scenario, state.index, width), width, body, state.overlayScroll)
  }
  return panes(ctx, width, body, captionLines)
}

/**
 * The panes in `body` rows. A caption's rows come out of the event log's share (down to four
 * rows), so the cluster, in-flight and detail panes are as tall as without a caption: a
 * narrated run needs the log least.
 */
function panes(ctx: PaneContext, width: number, body: number, captionLines: number): Line[] {
  const logHeight = Math.max(captionLines > 0 ? 4 : 5, Math.floor((body + captionLines) * 0.35) - captionLines)
  const mainHeight = body - logHeight
  const leftWidth = Math.floor((width - 1) * 0.46)
  const rightWidth = width - 1 - leftWidth
  const clusterWanted = ctx.session.nodes.length + 1 + partitionLines(ctx.cluster.partition).length
  // The cluster gets what it needs while leaving the in-flight pane a title and three rows.
  const clusterHeight = Math.max(3, Math.min(clusterWanted, mainHeight - 4))
  const left = [...block(clusterPane(ctx, leftWidth, clusterHeight), clusterHeight), ...flightPane(ctx, leftWidth, mainHeight - clusterHeight)]
  const right = detailPane(ctx, rightWidth, mainHeight)
  return [...sideBySide(left, leftWidth, right, rightWidth, mainHeight), ...block(logPane(ctx, width, logHeight), logHeight)]
}

function helpLines(): Line[] {
  const rows = helpRows()
  const keyWidth = Math.max(...rows.map((r) => r.keys.length)) + 2
  return rows.map((r) => [seg(`  ${r.keys.padEnd(keyWidth)}`, { color: 'yellow', bold: true }), seg(r.description)])
}

/** An overlay over the panes: a title saying how to scroll and close it, and a window of its lines. */
function overlayLines(name: string, lines: Line[], width: number, height: number, scroll: number): Line[] {
  const shown = windowAt(lines, scroll, height - 1)
  const more = lines.length > height - 1 ? `j/k scroll, ${shown.offset + 1}-${shown.offset + shown.items.length} of ${lines.length}; ` : ''
  return block([title(`${name} (${more}any other key closes)`, width, true), ...shown.items], height)
}

function tooSmall(ctx: PaneContext, width: number, height: number): Line[] {
  const lines: Line[] = [
    [seg(`window too small: the viewer needs ${MIN_WIDTH} columns and ${MIN_HEIGHT + 1} rows`, { color: 'yellow', bold: true })],
    [seg('enlarge the window, or press q to quit')],
    timelineBar(ctx, width),
  ]
  return block(lines, Math.max(1, height)).map((l) => fit(l, Math.max(1, width)))
}
