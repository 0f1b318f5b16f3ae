/**
 * The viewer's state and the reducer over key actions: pure, so every key is tested
 * without a terminal. The trace-derived facts a reducer needs (length, interesting events,
 * times) come from the read-only Session; nothing here renders.
 */
import { InputError, parseDuration } from '../sim/time.ts'
import { type Command, commandForKey } from './keys.ts'
import { isFiltered, type LogFilter, NO_FILTER, TYPE_GROUP_NAMES } from './panes/events.ts'
import { nextCaptionEvent, previousCaptionEvent } from './scenario.ts'
import { findMatch as findMatchingEvent } from './search.ts'
import type { Session } from './session.ts'

export const PANES = ['cluster', 'flight', 'detail', 'log'] as const
export type Pane = (typeof PANES)[number]

/** Simulated time per real second while playing, as a ratio. */
export const SPEEDS = [0.001, 0.01, 0.1, 1, 10, 100] as const
/** A search or go-to scans at most this many events, so one key never freezes the screen. */
export const SCAN_LIMIT = 2_000_000

export interface Prompt {
  kind: 'search' | 'goto'
  text: string
}

export type Overlay = 'help' | 'scenario'

export interface ViewerState {
  /** The event shown: the state after it; -1 is before the first. */
  index: number
  pane: Pane
  /** Position of the selected node in the header's node list. */
  selected: number
  /** Scroll offsets of the panes that scroll (lines from the top; the log counts back from the cursor). */
  scroll: Record<Pane, number>
  playing: boolean
  speed: number
  filter: LogFilter
  prompt: Prompt | null
  /** The overlay over the panes: the key help, or the scenario's captions and expectations. */
  overlay: Overlay | null
  /** First overlay row shown, when the overlay is taller than the screen. */
  overlayScroll: number
  /** One line of feedback for the last key ("no later interesting event"). */
  message: string | null
  quit: boolean
}

const OVERLAY_SCROLL: Partial<Record<Command, number>> = { down: 1, up: -1, pageDown: 10, pageUp: -10 }

export type Action =
  /** A key by name (keys.ts): a command, or typing while a prompt is open, decided by the state it meets. */
  | { type: 'key'; name: string }
  | { type: 'command'; command: Command }
  | { type: 'text'; text: string }
  | { type: 'backspace' }
  | { type: 'submit' }
  | { type: 'tick'; elapsedMs: number }
  | { type: 'goto'; index: number }
  /** A live run grew: a viewer at the old last event moves to the new one (it follows the run). */
  | { type: 'follow'; lastIndex: number; newLastIndex: number }

/** What a key does in this state: a command, or typing while a prompt is open. */
export function actionForKey(state: ViewerState, name: string): Action | null {
  if (state.prompt !== null) {
    if (name === 'return') return { type: 'submit' }
    if (name === 'backspace') return { type: 'backspace' }
    if (name === 'escape' || name === 'ctrl+c') return { type: 'command', command: name === 'escape' ? 'cancel' : 'quit' }
    if (name === 'space') return { type: 'text', text: ' ' }
    return name.length === 1 ? { type: 'text', text: name } : null
  }
  const command = commandForKey(name)
  return command === undefined ? null : { type: 'command', command }
}

export function initialState(session: Session, index = session.length - 1): ViewerState {
  return {
    index: clamp(index, -1, session.length - 1), pane: 'cluster', selected: 0,
    scroll: { cluster: 0, flight: 0, detail: 0, log: 0 }, playing: false, speed: 2,
    filter: NO_FILTER, prompt: null, overlay: null, overlayScroll: 0, message: null, quit: false,
  }
}

export function reduce(state: ViewerState, action: Action, session: Session): ViewerState {
  switch (action.type) {
    case 'key': {
      const resolved = actionForKey(state, action.name)
      return resolved === null ? state : reduce(state, resolved, session)
    }
    case 'command': return runCommand({ ...state, message: null }, action.command, session)
    case 'text': return state.prompt ? { ...state, prompt: { ...state.prompt, text: state.prompt.text + action.text } } : state
    case 'backspace': return state.prompt ? { ...state, prompt: { ...state.prompt, text: state.prompt.text.slice(0, -1) } } : state
    case 'submit': return submitPrompt(state, session)
    case 'tick': return tick(state, action.elapsedMs, session)
    case 'goto': return moveTo(state, action.index, session)
    // Not clamped to `session`: this action arrives before the grown session does.
    case 'follow': return state.index === action.lastIndex && !state.playing ? { ...state, index: action.newLastIndex } : state
  }
}

function runCommand(s: ViewerState, command: Command, session: Session): ViewerState {
  // An overlay scrolls, quit quits, and any other key closes it (and only that).
  if (s.overlay !== null && command !== 'quit') {
    const delta = OVERLAY_SCROLL[command]
    return delta === undefined ? { ...s, overlay: null } : { ...s, overlayScroll: Math.max(0, s.overlayScroll + delta) }
  }
  switch (command) {
    case 'quit': return { ...s, quit: true, playing: false }
    case 'help': return { ...s, overlay: 'help', overlayScroll: 0 }
    case 'scenario': return session.scenario === null ? { ...s, message: NO_SCENARIO } : { ...s, overlay: 'scenario', overlayScroll: 0 }
    case 'nextCaption': return jumpCaption(s, 1, session)
    case 'prevCaption': return jumpCaption(s, -1, session)
    case 'cancel': return s.prompt !== null ? { ...s, prompt: null } : { ...s, filter: NO_FILTER, message: isFiltered(s.filter) ? 'filters cleared' : null }
    case 'stepForward': return moveTo(s, s.index + 1, session)
    case 'stepBack': return moveTo(s, s.index - 1, session)
    case 'first': return moveTo(s, -1, session)
    case 'last': return moveTo(s, session.length - 1, session)
    case 'nextInteresting': return jump(s, session.interest.next(s.index), 'no later interesting event', session)
    case 'prevInteresting': return jump(s, session.interest.previous(s.index), 'no earlier interesting event', session)
    case 'jumpViolation': return jump(s, session.problemIndex, 'this run has no violation', session)
    case 'nextMatch': return jump(s, findMatch(s, session, 1), 'no later matching event', session)
    case 'prevMatch': return jump(s, findMatch(s, session, -1), 'no earlier matching event', session)
    case 'playPause': return togglePlay(s, session)
    case 'faster': return { ...s, speed: Math.min(SPEEDS.length - 1, s.speed + 1) }
    case 'slower': return { ...s, speed: Math.max(0, s.speed - 1) }
    case 'gotoTime': return { ...s, prompt: { kind: 'goto', text: '' }, playing: false }
    case 'search': return { ...s, prompt: { kind: 'search', text: s.filter.search } }
    case 'nextPane': return { ...s, pane: PANES[(PANES.indexOf(s.pane) + 1) % PANES.length]! }
    case 'prevPane': return { ...s, pane: PANES[(PANES.indexOf(s.pane) + PANES.length - 1) % PANES.length]! }
    case 'down': return scrollBy(s, 1, session)
    case 'up': return scrollBy(s, -1, session)
    case 'pageDown': return scrollBy(s, 10, session)
    case 'pageUp': return scrollBy(s, -10, session)
    case 'nodeFilter': return { ...s, filter: { ...s.filter, node: cycle(session.nodes, s.filter.node, 1) }, scroll: { ...s.scroll, log: 0 } }
    case 'nodeFilterBack': return { ...s, filter: { ...s.filter, node: cycle(session.nodes, s.filter.node, -1) }, scroll: { ...s.scroll, log: 0 } }
    case 'typeFilter': return { ...s, filter: { ...s.filter, typeGroup: cycle(TYPE_GROUP_NAMES, s.filter.typeGroup, 1) }, scroll: { ...s.scroll, log: 0 } }
    case 'typeFilterBack': return { ...s, filter: { ...s.filter, typeGroup: cycle(TYPE_GROUP_NAMES, s.filter.typeGroup, -1) }, scroll: { ...s.scroll, log: 0 } }
  }
}

function moveTo(s: ViewerState, index: number, session: Session): ViewerState {
  return { ...s, index: clamp(index, -1, session.length - 1), scroll: { ...s.scroll, log: 0, flight: 0 } }
}

function jump(s: ViewerState, target: number, otherwise: string, session: Session): ViewerState {
  return target < 0 ? { ...s, message: otherwise } : { ...moveTo(s, target, session), playing: false }
}

const NO_SCENARIO = 'this trace is not a scenario run: it has no captions'

function jumpCaption(s: ViewerState, direction: 1 | -1, session: Session): ViewerState {
  const scenario = session.scenario
  if (scenario === null) return { ...s, message: NO_SCENARIO }
  if (direction === 1) return jump(s, nextCaptionEvent(scenario.captions, s.index, session.length), 'no later caption', session)
  const target = previousCaptionEvent(scenario.captions, s.index)
  // -1 is a caption's real place (before the first event), so `jump`'s "below 0 is none" cannot be used.
  return target === null ? { ...s, message: 'no earlier caption' } : { ...moveTo(s, target, session), playing: false }
}

function togglePlay(s: ViewerState, session: Session): ViewerState {
  if (s.playing) return { ...s, playing: false }
  // Play from the start when at the end, as a media player does.
  const index = s.index >= session.length - 1 ? -1 : s.index
  return { ...moveTo(s, index, session), playing: true }
}

/** Advances by the simulated time `elapsedMs` of real time stands for, and by one event at least. */
function tick(s: ViewerState, elapsedMs: number, session: Session): ViewerState {
  if (!s.playing) return s
  const targetUs = session.timeAt(s.index) + elapsedMs * 1000 * SPEEDS[s.speed]!
  const index = Math.max(s.index + 1, session.indexAtTime(targetUs))
  if (index >= session.length - 1) return { ...moveTo(s, session.length - 1, session), playing: false, message: 'end of the trace' }
  return moveTo(s, index, session)
}

function scrollBy(s: ViewerState, delta: number, session: Session): ViewerState {
  if (s.pane === 'cluster') return { ...s, selected: clamp(s.selected + delta, 0, session.nodes.length - 1) }
  // The log scrolls back in time: "down" shows older lines, as a pager's newest-at-bottom.
  const sign = s.pane === 'log' ? -1 : 1
  return { ...s, scroll: { ...s.scroll, [s.pane]: Math.max(0, s.scroll[s.pane] + sign * delta) } }
}

function submitPrompt(s: ViewerState, session: Session): ViewerState {
  if (s.prompt === null) return s
  const { kind, text } = s.prompt
  const closed = { ...s, prompt: null }
  if (kind === 'search') {
    const filter = { ...s.filter, search: text.trim().toLowerCase() }
    const next = { ...closed, filter, scroll: { ...s.scroll, log: 0 } }
    return filter.search === '' ? next : jump(next, findMatch(next, session, 1), `no match for '${text.trim()}' after this event`, session)
  }
  try {
    return { ...moveTo(closed, parseMoment(text, session), session), message: null }
  } catch (err) {
    return { ...closed, message: err instanceof InputError ? err.message : String(err) }
  }
}

/** `#1234` (an event index), `1.5s`/`300ms` (a time: the last event at or before it), `end`. */
export function parseMoment(text: string, session: Session): number {
  const t = text.trim()
  if (t === 'end') return session.length - 1
  if (t === 'start') return -1
  const event = /^#?(\d+)$/.exec(t)
  if (event && t.startsWith('#')) {
    const index = Number(event[1])
    if (index >= session.length) throw new InputError(`event #${index} is past the end (the trace has ${session.length} events)`)
    return index
  }
  return session.indexAtTime(parseDuration(t, 'time'))
}

function findMatch(s: ViewerState, session: Session, direction: 1 | -1): number {
  return findMatchingEvent(session, s.filter, s.index, direction, SCAN_LIMIT)
}

function cycle<T>(values: readonly T[], current: T | null, direction: 1 | -1): T | null {
  // null (all) sits before the first value.
  const position = current === null ? -1 : values.indexOf(current)
  const next = position + direction
  if (next === -2) return values.at(-1) ?? null
  return next < 0 || next >= values.length ? null : values[next]!
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x))
}
