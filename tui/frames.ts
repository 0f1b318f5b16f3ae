/**
 * Text frames: the viewer's screen at chosen moments, as plain text, for a pipe, CI or a
 * README. `--frames SPEC` is a comma-separated list of moments:
 *
 *   1.5s, 300ms        the last event at or before that simulated time
 *   #1234              that event
 *   start, end         before the first event, after the last
 *   violation          the first violation or node error
 *   interesting        every interesting event; past FRAMES_MAX, the rare kinds first
 *   captions           a scenario run's captions, each at its event
 *   every:500ms        one frame per interval of simulated time
 *
 * The frames share the layout and selectors of the interactive viewer, colours dropped.
 */
import { InputError, parseDuration } from '../sim/time.ts'
import { screen } from './layout.ts'
import { initialState, parseMoment, type ViewerState } from './model.ts'
import type { Session } from './session.ts'
import { lineText } from './text.ts'

export const FRAMES_MAX = 40
export const DEFAULT_FRAMES = 'interesting,end'
export const FRAME_WIDTH = 100
export const FRAME_HEIGHT = 32

/** The event indexes a spec names, ascending and without repeats, at most FRAMES_MAX. */
export function frameIndexes(spec: string, session: Session): number[] {
  const parts = spec.split(',').map((p) => p.trim()).filter((p) => p !== '')
  if (parts.length === 0) throw new InputError(`bad --frames '${spec}': expected moments like 1.5s, #1234, start, end, violation, interesting, captions, every:500ms`)
  const found = new Set<number>()
  for (const part of parts) for (const index of momentsOf(part, session)) found.add(index)
  return thin([...found].sort((a, b) => a - b), FRAMES_MAX)
}

function momentsOf(part: string, session: Session): number[] {
  if (part === 'interesting') return interestingFrames(session)
  if (part === 'violation') return session.problemIndex < 0 ? [] : [session.problemIndex]
  if (part === 'captions') return captionFrames(session)
  if (part.startsWith('every:')) {
    const stepUs = parseDuration(part.slice(6), '--frames every:')
    if (stepUs <= 0) throw new InputError(`bad --frames '${part}': the interval must be positive`)
    const endUs = session.timeAt(session.length - 1)
    const out: number[] = []
    for (let t = stepUs; t <= endUs + stepUs && out.length < FRAMES_MAX; t += stepUs) out.push(session.indexAtTime(Math.min(t, endUs)))
    return out
  }
  try {
    return [parseMoment(part, session)]
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`bad --frames moment '${part}': ${err.message} (moments: 1.5s, #1234, start, end, violation, interesting, captions, every:500ms)`)
    throw err
  }
}

/** One frame per caption of a scenario run (its own event; `start` for one before the first event), none for other traces. */
function captionFrames(session: Session): number[] {
  return (session.scenario?.captions ?? []).map((c) => c.i).filter((i) => i < session.length)
}

/** Kinds that come by the hundred in a healthy run: frames go to the rarer events first. */
const FREQUENT_KINDS = new Set(['commit', 'note'])

/**
 * Every interesting event when they fit; otherwise the rare ones (elections, partitions,
 * crashes, failovers, violations) first, and commits and notes evenly in the frames left.
 */
function interestingFrames(session: Session): number[] {
  const all = Array.from(session.interest.indexes)
  if (all.length <= FRAMES_MAX) return all
  const rare = all.filter((i) => !FREQUENT_KINDS.has(session.interest.kindAt(i)!))
  if (rare.length >= FRAMES_MAX) return thin(rare, FRAMES_MAX)
  const frequent = all.filter((i) => FREQUENT_KINDS.has(session.interest.kindAt(i)!))
  return [...rare, ...thin(frequent, FRAMES_MAX - rare.length)].sort((a, b) => a - b)
}

/** At most `max` items, evenly spread, always keeping the first and the last. */
export function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items
  const out: T[] = []
  for (let k = 0; k < max; k++) out.push(items[Math.round((k * (items.length - 1)) / (max - 1))]!)
  return out
}

/** One frame as text: a rule naming the moment, then the screen with trailing spaces trimmed. */
export function renderFrame(session: Session, state: ViewerState, width = FRAME_WIDTH, height = FRAME_HEIGHT): string {
  const kind = state.index >= 0 ? session.interest.kindAt(state.index) : null
  const head = `=== ${session.source} · event ${state.index < 0 ? 'start' : `#${state.index}`}${kind ? ` · ${kind}` : ''}${captionMark(session, state.index)} ===`
  const body = screen(session, state, width, height, { growCaption: true }).map((l) => lineText(l).trimEnd())
  return [head, ...body].join('\n')
}

/** ` · caption 2/7` on a frame at a caption's own event. */
function captionMark(session: Session, index: number): string {
  const captions = session.scenario?.captions ?? []
  const k = captions.findIndex((c) => c.i === index)
  return k < 0 ? '' : ` · caption ${k + 1}/${captions.length}`
}

export function renderFrames(session: Session, spec: string, width = FRAME_WIDTH, height = FRAME_HEIGHT): string[] {
  const base: ViewerState = initialState(session)
  return frameIndexes(spec, session).map((index) => renderFrame(session, { ...base, index, selected: focusNode(session, index) }, width, height))
}

/** The node a frame details: the one the event is about, else a leader, else the first. */
export function focusNode(session: Session, index: number): number {
  const e = index >= 0 ? (session.event(index) as { node?: string; from?: string }) : undefined
  const about = session.nodes.indexOf(e?.node ?? e?.from ?? '')
  if (about >= 0) return about
  const views = session.stateAt(index).views
  return Math.max(0, session.nodes.findIndex((id) => views[id]?.leads === true))
}
