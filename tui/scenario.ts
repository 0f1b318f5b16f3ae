/**
 * A scenario run's narration, as the viewer reads it from the trace header: the runner puts
 * `{ name, summary, claims, variant, captions, expect }` in `header.config.scenario` (the
 * engine copies a run's traceMeta into the header's config). A trace without it is an
 * ordinary run and shows no caption. Each caption belongs to an event (`i`); the viewer
 * shows the latest caption at or before its cursor.
 *
 * The object is checked when the trace is opened, like the rest of the header: a malformed
 * one is a TraceError (one line, exit 2), not a caption pane that silently shows nothing.
 */
import type { TraceHeader } from '../sim/trace/events.ts'
import { TraceError } from '../sim/trace/errors.ts'

export interface Caption {
  /** The event the caption belongs to (-1: before the first event). */
  i: number
  /** Its simulated time, in microseconds. */
  t: number
  text: string
}

export interface Expectation {
  says: string
  ok: boolean
  detail: string
  /** The event at the expectation's moment, or null for a check over the whole run. */
  i: number | null
}

export interface ScenarioInfo {
  name: string
  summary: string
  claims: number[]
  /** The variant's label when the scenario has variants, else null. */
  variant: string | null
  /**
   * Captions in event order; several captions of one event are one here (texts joined),
   * since the cursor cannot stand between them.
   */
  captions: Caption[]
  expect: Expectation[]
}

/** The scenario a trace header carries, or null for an ordinary run. Throws TraceError when malformed. */
export function scenarioOf(header: TraceHeader, source: string): ScenarioInfo | null {
  const raw = header.config.scenario
  if (raw === undefined) return null
  const bad = (detail: string): TraceError => new TraceError(source, 1, `header config.scenario: ${detail}`)
  if (!isRecord(raw)) throw bad('must be an object')
  const name = str(raw.name, 'name', bad)
  const summary = raw.summary === undefined ? '' : str(raw.summary, 'summary', bad)
  const claims = list(raw.claims, 'claims', bad).map((c, k) => {
    if (!Number.isInteger(c)) throw bad(`claims[${k}] must be an integer`)
    return c as number
  })
  const variant = raw.variant === undefined || raw.variant === null ? null : str(raw.variant, 'variant', bad)
  const captions = list(raw.captions, 'captions', bad).map((c, k) => captionOf(c, `captions[${k}]`, bad))
  const expect = list(raw.expect, 'expect', bad).map((e, k) => expectationOf(e, `expect[${k}]`, bad))
  return { name, summary, claims, variant, captions: mergeSameEvent(captions), expect }
}

function captionOf(c: unknown, where: string, bad: (d: string) => TraceError): Caption {
  if (!isRecord(c)) throw bad(`${where} must be an object`)
  return { i: eventIndex(c.i, `${where}.i`, bad), t: micros(c.t, `${where}.t`, bad), text: str(c.text, `${where}.text`, bad) }
}

function expectationOf(e: unknown, where: string, bad: (d: string) => TraceError): Expectation {
  if (!isRecord(e)) throw bad(`${where} must be an object`)
  if (typeof e.ok !== 'boolean') throw bad(`${where}.ok must be true or false`)
  const i = e.i === undefined || e.i === null ? null : eventIndex(e.i, `${where}.i`, bad)
  return { says: str(e.says, `${where}.says`, bad), ok: e.ok, detail: e.detail === undefined ? '' : str(e.detail, `${where}.detail`, bad), i }
}

/** Sorted by event (stable, so captions of one event keep their order), one entry per event. */
function mergeSameEvent(captions: Caption[]): Caption[] {
  const sorted = captions.map((c, k) => ({ c, k })).sort((a, b) => a.c.i - b.c.i || a.k - b.k).map(({ c }) => c)
  const out: Caption[] = []
  for (const c of sorted) {
    const last = out.at(-1)
    if (last !== undefined && last.i === c.i) out[out.length - 1] = { ...last, text: `${last.text} ${c.text}` }
    else out.push(c)
  }
  return out
}

/** Position in `captions` of the latest caption at or before event `index`, or -1 when none is. */
export function captionIndexAt(captions: readonly Caption[], index: number): number {
  let lo = 0
  let hi = captions.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (captions[mid]!.i <= index) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}

/** The event of the first caption after event `index`, or -1 (none, or not yet reached by a run of `length` events). */
export function nextCaptionEvent(captions: readonly Caption[], index: number, length: number): number {
  const next = captions[captionIndexAt(captions, index) + 1]
  return next === undefined || next.i >= length ? -1 : next.i
}

/**
 * The event of the caption before the one shown at `index`: the caption's own event when
 * the cursor is past it (so `C` first goes back to the start of the caption being read).
 * Returns null when there is none; -1 is a real target (a caption before the first event).
 */
export function previousCaptionEvent(captions: readonly Caption[], index: number): number | null {
  const k = captionIndexAt(captions, index - 1)
  return k < 0 ? null : captions[k]!.i
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function str(v: unknown, field: string, bad: (d: string) => TraceError): string {
  if (typeof v !== 'string') throw bad(`${field} must be a string`)
  return v
}

function list(v: unknown, field: string, bad: (d: string) => TraceError): unknown[] {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw bad(`${field} must be a list`)
  return v
}

function eventIndex(v: unknown, field: string, bad: (d: string) => TraceError): number {
  if (!Number.isInteger(v) || (v as number) < -1) throw bad(`${field} must be an event index (an integer, -1 for before the first event)`)
  return v as number
}

function micros(v: unknown, field: string, bad: (d: string) => TraceError): number {
  if (!Number.isInteger(v) || (v as number) < 0) throw bad(`${field} must be a time in microseconds (a whole number)`)
  return v as number
}
