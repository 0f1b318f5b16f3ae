/**
 * Messages in flight at the moment shown (sent, neither delivered nor dropped), soonest due
 * first, with network copies marked; then the messages dropped just before, marked with why.
 */
import type { EventOf } from '../../sim/trace/events.ts'
import { formatClock } from '../../sim/time.ts'
import { type Line, seg, shortDuration, title, windowAt } from '../text.ts'
import type { PaneContext } from './context.ts'

/** How far back the pane looks for recent drops, in events. */
const RECENT_EVENTS = 400
const RECENT_DROPS_MAX = 3

export function flightPane(ctx: PaneContext, width: number, height: number): Line[] {
  const { cluster, session, state } = ctx
  const flying = [...cluster.inFlight].sort((a, b) => a.due - b.due || a.id - b.id)
  const drops = recentDrops(ctx)
  const rows: Line[] = flying.map((m) => {
    const copy = session.copies.has(m.id)
    return [
      seg(`${m.from}→${m.to} `.padEnd(10)),
      seg(`${m.mtype} `, { bold: true }),
      seg(`in ${shortDuration(m.due - cluster.time)}`, { color: 'gray' }),
      seg(copy ? ' ⧉dup' : '', { color: 'magenta' }),
      seg(` (due ${formatClock(m.due)}, #${m.id})`, { color: 'gray' }),
    ]
  })
  // Messages in flight first; recent drops fill the rows left over.
  const room = Math.max(0, height - 1)
  const shown = windowAt(rows, state.scroll.flight, room)
  const lines = rows.length === 0 ? [[seg('nothing in flight', { color: 'gray' })]] : shown.items
  const extra = rows.length > room ? `${shown.offset + 1}-${shown.offset + shown.items.length} of ${rows.length}` : `${rows.length}`
  return [title('In flight', width, state.pane === 'flight', extra), ...lines, ...drops].slice(0, height)
}

function recentDrops(ctx: PaneContext): Line[] {
  const found: Line[] = []
  for (let i = ctx.state.index, k = 0; i >= 0 && k < RECENT_EVENTS && found.length < RECENT_DROPS_MAX; i--, k++) {
    if (ctx.session.typeAt(i) !== 'drop') continue
    const d = ctx.session.event(i) as EventOf<'drop'>
    found.push([seg(`✗ ${d.from}→${d.to} ${d.mtype} dropped (${d.reason}) at #${d.i}`, { color: 'red' })])
  }
  return found
}
