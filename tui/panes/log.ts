/**
 * The event log: the events up to the moment shown, newest at the bottom and the current
 * one highlighted, narrowed by the node, type and search filters.
 */
import { type Line, seg, title } from '../text.ts'
import type { PaneContext } from './context.ts'
import { eventColor, eventLine, isFiltered, matches } from './events.ts'

/** A narrow filter scans back at most this far, so a rare match never stalls a frame. */
const LOG_SCAN_EVENTS = 200_000

export function logPane(ctx: PaneContext, width: number, height: number): Line[] {
  const { session, state } = ctx
  const rows = Math.max(0, height - 1)
  const events = session.trace.events
  const found: Line[] = []
  let skip = state.scroll.log
  let i = state.index
  for (let scanned = 0; i >= 0 && found.length < rows && scanned < LOG_SCAN_EVENTS; i--, scanned++) {
    const e = events[i]!
    if (!matches(e, state.filter)) continue
    if (skip-- > 0) continue
    const current = i === state.index
    found.push([seg(current ? '▶' : ' ', { bold: true }), seg(eventLine(e), current ? { inverse: true } : { color: eventColor(e) })])
  }
  if (found.length === 0) found.push([seg(i < 0 ? '(no matching event up to here)' : `(no match in the last ${LOG_SCAN_EVENTS.toLocaleString('en-US')} events)`, { color: 'gray' })])
  return [title('Events', width, state.pane === 'log', filterLabel(ctx)), ...found.reverse()]
}

function filterLabel({ state }: PaneContext): string {
  const f = state.filter
  if (!isFiltered(f)) return 'all (f node, y type, / search)'
  const parts = [f.node && `node ${f.node}`, f.typeGroup && `type ${f.typeGroup}`, f.search && `search "${f.search}"`].filter(Boolean)
  return `${parts.join(', ')}${state.scroll.log > 0 ? ` · ${state.scroll.log} back` : ''}`
}
