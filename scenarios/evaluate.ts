/**
 * Checks a scenario's expectations against one run: its trace events (views, statuses, every
 * event) and its result (history, violation, reports). Each outcome says what was seen, so a
 * failure reads "expected 2, saw 1 (n1)" rather than just "failed".
 */
import type { HistoryEntry } from '../sim/clients/history.ts'
import type { RunResult } from '../sim/result.ts'
import type { TraceEvent } from '../sim/trace/events.ts'
import { secondsText as formatClock } from './text.ts'
import { includes, nodeMatches, shownFields } from './match.ts'
import { operations } from './operations.ts'
import { inWindow, lastIndexAt, walkStates, type NodeStates } from './states.ts'
import type { Count, Expectation, Moment, OpMatch, Window } from './types.ts'

export interface RunData {
  nodes: readonly string[]
  events: readonly TraceEvent[]
  result: RunResult
}

export interface ExpectationOutcome {
  says: string
  ok: boolean
  /** What the run showed: "saw 2 (n1 at 1.2s, n3 at 2.5s)". */
  detail: string
  /** The event the check looked at (its moment, or the first match), or null for whole-run checks. */
  i: number | null
}

export function evaluate(e: Expectation, run: RunData): ExpectationOutcome {
  const late = afterTheStop(e, run.result)
  if (late !== null) return { says: e.says, ok: false, detail: late, i: null }
  return { says: e.says, ...evaluateKind(e, run) }
}

/**
 * A run stopped by a violation (or a node error) never reached a later moment: an expectation
 * about it fails rather than being judged on the last state, or holding vacuously on no events.
 */
function afterTheStop(e: Expectation, result: RunResult): string | null {
  if (result.stoppedBy === 'time') return null
  const fromUs = e.kind === 'view' || e.kind === 'nodes' ? (e.at === 'end' ? null : e.at) : 'window' in e ? e.window.fromUs : null
  if (fromUs === null || fromUs <= result.simTimeUs) return null
  return `the run stopped at ${formatClock(result.simTimeUs)} (${result.stoppedBy}), before ${formatClock(fromUs)}`
}

function evaluateKind(e: Expectation, run: RunData): Omit<ExpectationOutcome, 'says'> {
  switch (e.kind) {
    case 'view': {
      const { states, i } = statesAt(run, e.at)
      const id = e.match.node
      const view = states.views.get(id) ?? null
      const status = states.status.get(id) ?? 'up'
      const ok = nodeMatches(e.match, id, view, status)
      const seen = [shownFields(view, e.match.view), e.match.status !== undefined ? `status=${status}` : ''].filter(Boolean).join(', ')
      return { ok, detail: `${id} at ${momentText(e.at)}: ${seen}`, i }
    }
    case 'nodes': {
      const { states, i } = statesAt(run, e.at)
      const found = run.nodes.filter((id) => nodeMatches(e.match, id, states.views.get(id) ?? null, states.status.get(id) ?? 'up'))
      return counted(e.count, found.length, found.join(', '), i)
    }
    case 'nodesEver':
      return nodesEver(e, run)
    case 'events':
      return eventsIn(e.window, e.match, e.count, run)
    case 'sequence':
      return sequence(e.window, e.steps, run)
    case 'ops':
      return opsIn(e.window, e.match, e.count, run.result.history)
    case 'violation':
      return violation(e, run.result)
    case 'report':
    case 'reportDetail':
      return report(e, run.result)
  }
}

function statesAt(run: RunData, at: Moment): { states: NodeStates; i: number } {
  const last = at === 'end' ? run.events.length - 1 : lastIndexAt(run.events, at)
  const states = walkStates(run.nodes, run.events.slice(0, last + 1), () => {})
  return { states, i: Math.max(last, 0) }
}

function nodesEver(e: Extract<Expectation, { kind: 'nodesEver' }>, run: RunData): Omit<ExpectationOutcome, 'says'> {
  const first = new Map<string, number>()
  walkStates(run.nodes, run.events, (states, event, index) => {
    if (!inWindow(event.t, e.window)) return
    for (const id of run.nodes) {
      if (first.has(id)) continue
      if (nodeMatches(e.match, id, states.views.get(id) ?? null, states.status.get(id) ?? 'up')) first.set(id, index)
    }
  })
  const seen = [...first.entries()].sort((a, b) => a[1] - b[1])
  const detail = seen.map(([id, i]) => `${id} at ${formatClock(run.events[i]!.t)}`).join(', ')
  return counted(e.count, seen.length, detail, seen[0]?.[1] ?? null)
}

function eventsIn(window: Window, match: Record<string, unknown>, count: Count, run: RunData): Omit<ExpectationOutcome, 'says'> {
  const hits: number[] = []
  run.events.forEach((event, i) => {
    if (inWindow(event.t, window) && includes(event, match)) hits.push(i)
  })
  const detail = hits.length === 0 ? '' : `first at ${formatClock(run.events[hits[0]!]!.t)}`
  return counted(count, hits.length, detail, hits[0] ?? null)
}

/** Holds when each step's first matching event (in the window) exists and comes after the previous step's. */
function sequence(window: Window, steps: ReadonlyArray<Record<string, unknown>>, run: RunData): Omit<ExpectationOutcome, 'says'> {
  const firsts = steps.map((step) => run.events.findIndex((event) => inWindow(event.t, window) && includes(event, step)))
  const seen = firsts.map((i, k) => `${k + 1}: ${i < 0 ? 'never' : `#${i} at ${formatClock(run.events[i]!.t)}`}`).join(', ')
  const ok = firsts.every((i, k) => i >= 0 && (k === 0 || i > firsts[k - 1]!))
  return { ok, detail: `first matches ${seen}`, i: firsts[0]! >= 0 ? firsts[0]! : null }
}

/** Operations invoked in the window; `value` is what a write wrote, else what a read returned; `result` what it returned. */
function opsIn(window: Window, match: OpMatch, count: Count, history: readonly HistoryEntry[]): Omit<ExpectationOutcome, 'says'> {
  const found: string[] = []
  for (const op of operations(history)) {
    if (!inWindow(op.invokeUs, window)) continue
    const value = op.written !== undefined ? op.written : op.result
    const fields = { client: op.client, f: op.f, key: op.key, outcome: op.outcome, value, result: op.result, error: op.error }
    if (includes(fields, match)) found.push(`${op.client} ${op.f}${op.key === undefined ? '' : ` ${op.key}`} ${op.endUs === null ? 'still pending (info)' : op.outcome}`)
  }
  return counted(count, found.length, found.slice(0, 4).join('; ') + (found.length > 4 ? '; ...' : ''), null)
}

function violation(e: Extract<Expectation, { kind: 'violation' }>, result: RunResult): Omit<ExpectationOutcome, 'says'> {
  const v = result.violation
  const detail = v === null ? 'no violation' : `${v.invariant}: ${v.message}`
  const i = v === null || v.cause < 0 ? null : v.cause
  if (e.invariant === null) return { ok: v === null, detail, i }
  const nameOk = v !== null && (e.invariant === true || v.invariant === e.invariant)
  return { ok: nameOk && (e.message === undefined || v!.message.includes(e.message)), detail, i }
}

function report(e: Extract<Expectation, { kind: 'report' | 'reportDetail' }>, result: RunResult): Omit<ExpectationOutcome, 'says'> {
  const found = result.reports.find((r) => r.invariant === e.report)
  if (!found) return { ok: false, detail: `no report '${e.report}' (reports: ${result.reports.map((r) => r.invariant).join(', ') || 'none'})`, i: null }
  if (e.kind === 'reportDetail') {
    const lines = found.details.filter((line) => line.includes(e.detail))
    return counted(e.count, lines.length, lines[0] ?? found.summary, null)
  }
  const figure = found.data?.[e.figure]
  if (typeof figure !== 'number') return { ok: false, detail: `report '${e.report}' has no figure '${e.figure}' (figures: ${Object.keys(found.data ?? {}).join(', ')})`, i: null }
  return counted(e.count, figure, found.summary, null)
}

function counted(count: Count, n: number, what: string, i: number | null): Omit<ExpectationOutcome, 'says'> {
  return { ok: countHolds(count, n), detail: `saw ${n}${what ? ` (${what})` : ''}; expected ${countText(count)}`, i }
}

export function countHolds(count: Count, n: number): boolean {
  if ('exactly' in count) return n === count.exactly
  if ('atLeast' in count) return n >= count.atLeast
  if ('atMost' in count) return n <= count.atMost
  return n >= count.between[0] && n <= count.between[1]
}

export function countText(count: Count): string {
  if ('exactly' in count) return `${count.exactly}`
  if ('atLeast' in count) return `at least ${count.atLeast}`
  if ('atMost' in count) return `at most ${count.atMost}`
  return `${count.between[0]} to ${count.between[1]}`
}


function momentText(at: Moment): string {
  return at === 'end' ? 'the end' : formatClock(at)
}
