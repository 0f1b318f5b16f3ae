/**
 * The one-line bars: status (protocol, seed, hash, source), the reproduction line, the
 * timeline (time, event of total, playback, a progress rule, what comes next), the
 * invariant panel, and the footer (key hints, a prompt being typed, or feedback).
 */
import { formatClock } from '../../sim/time.ts'
import { SPEEDS } from '../model.ts'
import { type Line, seg } from '../text.ts'
import type { PaneContext } from './context.ts'

export function statusBar({ session }: PaneContext): Line {
  const h = session.header
  const f = session.footer
  const mutant = h.mutant === null ? '' : ` · mutant ${h.mutant}`
  return [
    seg(' faultline ', { inverse: true, bold: true }),
    seg(` ${h.protocol}`, { bold: true }),
    seg(` · seed ${h.seed} · ${h.nodes.length} nodes${mutant} · `),
    session.running
      ? seg(`running: ${f.events.toLocaleString('en-US')} events so far`, { color: 'green', bold: true })
      : seg(`${f.hash.slice(0, 15)} · ${f.events.toLocaleString('en-US')} events, stopped by ${f.stoppedBy}`),
    seg(` · ${session.source}`),
  ]
}

export function reproduceBar({ session }: PaneContext): Line {
  return [seg('reproduce: ', { color: 'gray' }), seg(session.reproduce)]
}

export function timelineBar({ session, state, cluster }: PaneContext, width: number): Line {
  const total = session.length
  const play = state.playing ? `▶ x${SPEEDS[state.speed]}` : `❚❚ x${SPEEDS[state.speed]}`
  const here = `t ${formatClock(cluster.time)}  event ${state.index < 0 ? '-' : `#${state.index}`} of ${total.toLocaleString('en-US')}`
  const kind = state.index >= 0 ? session.interest.kindAt(state.index) : null
  const next = session.interest.next(state.index)
  const nextText = next < 0 ? '' : `  next ${session.interest.kindAt(next)} #${next}`
  const ruleWidth = Math.max(0, Math.min(30, width - play.length - here.length - nextText.length - (kind ? kind.length + 3 : 0) - 6))
  const filled = total <= 1 ? ruleWidth : Math.round((ruleWidth * Math.max(0, state.index)) / (total - 1))
  return [
    seg(`${play} `, { color: state.playing ? 'green' : 'gray', bold: true }),
    seg(here, { bold: true }),
    seg(kind ? ` [${kind}]` : '', { color: 'yellow', bold: true }),
    seg(' ▕'), seg('█'.repeat(filled), { color: 'blue' }), seg('─'.repeat(ruleWidth - filled), { color: 'gray' }), seg('▏'),
    seg(nextText, { color: 'gray' }),
  ]
}

export function invariantBar({ session, state }: PaneContext): Line {
  const problem = session.problem()
  if (problem === null) return [seg('invariants ', { color: 'gray' }), seg('ok: no violation in this run', { color: 'green' })]
  const what = problem.type === 'violation' ? `VIOLATION ${problem.invariant}` : `NODE ERROR ${problem.node}`
  const at = `at #${problem.i} (${formatClock(problem.t)}, caused by #${problem.cause})`
  const reached = state.index >= problem.i
  return [
    seg(` ${what} `, { color: 'red', inverse: reached, bold: true }),
    seg(reached ? '' : ' [v] jump to it', { color: 'yellow', bold: true }),
    seg(` ${at}: ${problem.message}`, { color: 'red' }),
  ]
}

const HINTS = 'q quit  ? help  ←→ step  n/N interesting  v violation  space play  t go to  / search  Tab pane'
/** A scenario run's hints put the captions first: they are what its reader steps through. */
const SCENARIO_HINTS = 'q quit  ? help  c/C caption  s scenario  ←→ step  n/N interesting  space play  t go to  / search'

export function footerBar({ state, session }: PaneContext): Line {
  if (state.prompt !== null) {
    const label = state.prompt.kind === 'search' ? 'search: ' : 'go to (1.5s, 300ms, #1234, end): '
    return [seg(label, { color: 'yellow', bold: true }), seg(state.prompt.text), seg('█'), seg('  Enter ok · Esc cancel', { color: 'gray' })]
  }
  if (state.message !== null) return [seg(state.message, { color: 'yellow' })]
  return [seg(session.scenario === null ? HINTS : SCENARIO_HINTS, { color: 'gray' })]
}
