/**
 * One forward pass over a trace's events, keeping what expectations and captions look at:
 * every node's view and status after each event. Lighter than the viewer's Timeline (no
 * messages in flight, no copies per step): a scenario's checks only ever move forward.
 */
import type { NodeView } from '../sim/protocol.ts'
import type { NodeStatus, TraceEvent } from '../sim/trace/events.ts'
import type { Micros } from '../sim/time.ts'
import { lastIndexAtOrBefore } from '../sim/trace/query.ts'
import { mergeView } from '../sim/trace/timeline.ts'
import type { Window } from './types.ts'

export interface NodeStates {
  readonly views: Map<string, NodeView | null>
  readonly status: Map<string, NodeStatus>
}

/** Calls `visit` after applying each event (index = the event's position). */
export function walkStates(nodes: readonly string[], events: readonly TraceEvent[], visit: (states: NodeStates, event: TraceEvent, index: number) => void): NodeStates {
  const states: NodeStates = { views: new Map(nodes.map((n) => [n, null])), status: new Map(nodes.map((n) => [n, 'up'])) }
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!
    apply(states, e)
    visit(states, e, i)
  }
  return states
}

function apply(states: NodeStates, e: TraceEvent): void {
  switch (e.type) {
    case 'view':
      return void states.views.set(e.node, mergeView(states.views.get(e.node) ?? null, e))
    case 'crash':
      states.status.set(e.node, 'crashed')
      return void states.views.set(e.node, null)
    case 'restart':
    case 'resume':
      return void states.status.set(e.node, 'up')
    case 'pause':
      return void states.status.set(e.node, 'paused')
  }
}

/** The index of the last event at or before `timeUs` (-1 if none): the state "at" that moment. */
export function lastIndexAt(events: readonly TraceEvent[], timeUs: Micros): number {
  return lastIndexAtOrBefore(events.length, (i) => events[i]!.t, timeUs)
}

/** The index of the first event at or after `timeUs` (events.length if none). */
export function firstIndexFrom(events: readonly TraceEvent[], timeUs: Micros): number {
  return lastIndexAt(events, timeUs - 1) + 1
}

export function inWindow(timeUs: Micros, w: Window): boolean {
  return timeUs >= w.fromUs && (w.toUs === null || timeUs <= w.toUs)
}
