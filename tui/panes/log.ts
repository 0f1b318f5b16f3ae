/**
 * The event log: the events up to the moment shown, newest at the bottom and the current
 * one highlighted, narrowed by the node, type and search filters.
 */
import { type Line, seg, title } from '../text.ts'
import type { PaneContext } from './context.ts'
import { findMatch } from '../search.ts'
import { eventColor, eventLine, isFiltered } from './events.ts'

/** A narrow filter scans back at most this far, so a rare match never stalls a frame. */
const LOG_SCAN_EVENTS = 200_000

export function logPane(ctx: PaneContext, width: number, height: number): Line[] {
  const { session, state } = ctx
  const rows = Math.max(0, height - 1)
  const found: Line[] = []
  let skip = state.scroll.log
  // From just after the current event back, so the current one is the first candidate.
  const oldest = state.index - LOG_SCAN_EVENTS + 1
  let i = state.index + 1
  while (found.length < rows) {
    i = i - 1 < oldest ? -1 : findMatch(session, state.filter, i, -1, i - oldest)
    if (i < 0) break
    if (skip-- > 0) continue
    const e = session.event(i)
    const current = i === state.index
    found.push([seg(current ? '▶' : ' ', { bold: true }), seg(eventLine(e), current ? { inverse: true } : { color: eventColor(e) })])
  }
  if (found.length === 0) found.push([seg(oldest <= 0 ? '(no matching event up to here)' : `(no match in the last ${LOG_SCAN_EVENTS.toLocaleString('en-US')} events)`, { color: 'gray' })])
  return [title('Events', width, state.pane === 'log', filterLabel(ctx)), ...found.reverse()]
}

function filterLabel({ state }: PaneContext): string {
  const f = state.filter
  if (!isFiltered(f)) return 'all (f node, y type, / search)'
  const parts = [f.node && `node ${f.node}`, f.typeGroup && `type ${f.typeGroup}`, f.search && `search "${f.search}"`].filter(Boolean)
  return `${parts.join(', ')}${state.scroll.log > 0 ? ` · ${state.scroll.log} back` : ''}`
}
