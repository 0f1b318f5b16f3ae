/**
 * Places each caption on the event it belongs to: the first event at or after its time, or
 * the first event (or view change) its `on` matches. `{node}` in the text becomes the node of
 * that event. A caption whose trigger never happens is reported: its story did not play out.
 */
import type { TraceEvent } from '../sim/trace/events.ts'
import { includes, nodeMatches } from './match.ts'
import { firstIndexFrom, inWindow, walkStates } from './states.ts'
import type { Caption } from './types.ts'

export interface PlacedCaption {
  /** The event index, or null when the trigger never happened. */
  i: number | null
  t: number | null
  text: string
}

/**
 * `stoppedEarly`: the run ended before its duration (a violation stops it). A caption timed, or
 * searching from, after its last event belongs to a story that did not get that far: left out.
 */
export function placeCaptions(captions: readonly Caption[], nodes: readonly string[], events: readonly TraceEvent[], stoppedEarly = false): PlacedCaption[] {
  const lastUs = events.at(-1)?.t ?? 0
  const startUs = (c: Caption) => (c.trigger.kind === 'at' ? c.trigger.atUs : c.trigger.window.fromUs)
  const shown = captions.filter((c) => !(stoppedEarly && startUs(c) > lastUs))
  const placed = shown.map((c) => place(c, nodes, events))
  return placed.sort((a, b) => (a.i ?? Infinity) - (b.i ?? Infinity) || (a.t ?? 0) - (b.t ?? 0))
}

function place(c: Caption, nodes: readonly string[], events: readonly TraceEvent[]): PlacedCaption {
  const at = (i: number, node?: string): PlacedCaption => ({ i, t: events[i]!.t, text: node === undefined ? c.text : c.text.replaceAll('{node}', node) })
  const trigger = c.trigger
  if (events.length === 0) return { i: null, t: null, text: c.text }
  // At its own time, on the first event from then on (the state the viewer shows there).
  if (trigger.kind === 'at') return { ...at(Math.min(firstIndexFrom(events, trigger.atUs), events.length - 1)), t: trigger.atUs }
  if (trigger.kind === 'event') {
    const i = events.findIndex((e) => inWindow(e.t, trigger.window) && includes(e, trigger.match))
    return i < 0 ? { i: null, t: null, text: c.text } : at(i, nodeOf(events[i]!))
  }
  let hit: { i: number; node: string } | null = null
  const before = new Map<string, boolean>()
  let firstInWindow = true
  walkStates(nodes, events, (states, event, index) => {
    if (hit !== null) return
    const inside = inWindow(event.t, trigger.window)
    for (const id of nodes) {
      const now = nodeMatches(trigger.match, id, states.views.get(id) ?? null, states.status.get(id) ?? 'up')
      const was = before.get(id) === true
      before.set(id, now)
      // "Starts to include": a node that already matched when the window opened counts at its first event.
      if (inside && now && (!was || firstInWindow) && hit === null) hit = { i: index, node: id }
    }
    if (inside) firstInWindow = false
  })
  const found = hit as { i: number; node: string } | null
  return found === null ? { i: null, t: null, text: c.text } : at(found.i, found.node)
}

function nodeOf(e: TraceEvent): string | undefined {
  if ('node' in e && typeof e.node === 'string') return e.node
  if ('from' in e && typeof e.from === 'string') return e.from
  if ('client' in e && typeof e.client === 'string') return e.client
  return undefined
}
