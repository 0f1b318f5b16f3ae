/**
 * Small searches over a trace for the viewer and tests: events by type or predicate, and
 * the event at a simulated time.
 */
import type { Micros } from '../time.ts'
import type { EventOf, TraceEvent, TraceEventType } from './events.ts'
import type { Trace } from './reader.ts'

/** Indexes of the events that satisfy the predicate, ascending. */
export function findEvents(trace: Trace, predicate: (e: TraceEvent) => boolean): number[] {
  const found: number[] = []
  for (const e of trace.events) if (predicate(e)) found.push(e.i)
  return found
}

/** The events of the given types, in order. */
export function eventsOfType<K extends TraceEventType>(trace: Trace, ...types: K[]): Array<EventOf<K>> {
  const wanted = new Set<TraceEventType>(types)
  return trace.events.filter((e): e is EventOf<K> => wanted.has(e.type))
}

/** The first event after `from` that satisfies the predicate, or -1. */
export function nextEvent(trace: Trace, from: number, predicate: (e: TraceEvent) => boolean): number {
  for (let i = Math.max(0, from + 1); i < trace.events.length; i++) if (predicate(trace.events[i]!)) return i
  return -1
}

/** The last event before `from` that satisfies the predicate, or -1. */
export function previousEvent(trace: Trace, from: number, predicate: (e: TraceEvent) => boolean): number {
  for (let i = Math.min(from, trace.events.length) - 1; i >= 0; i--) if (predicate(trace.events[i]!)) return i
  return -1
}

/** The index of the last event at or before `timeUs`, or -1 if the first event is later. */
export function indexAtTime(trace: Trace, timeUs: Micros): number {
  return lastIndexAtOrBefore(trace.events.length, (i) => trace.events[i]!.t, timeUs)
}

/** The same over any time-ordered sequence (a lazily parsed trace reads times without parsing events). */
export function lastIndexAtOrBefore(length: number, timeAt: (index: number) => Micros, timeUs: Micros): number {
  let lo = 0
  let hi = length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (timeAt(mid) <= timeUs) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}
