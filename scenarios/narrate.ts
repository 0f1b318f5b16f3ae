/**
 * The text narration of a scenario run: the story, then a timeline where the captions stand
 * among the run's key events (faults, role changes, client operations, violations), then each
 * expectation with what the run showed. Protocol-agnostic: it reads only the trace.
 */
import type { TraceEvent } from '../sim/trace/events.ts'
import { formatSeed } from '../sim/seed.ts'
import { formatDuration } from '../sim/time.ts'
import { describeEvent } from '../tui/panes/events.ts'
import { wrapText } from '../tui/text.ts'
import { ERA_NAMES, PROTOCOL_TITLES } from './protocols.ts'
import type { ScenarioRun, VariantRun } from './run.ts'
import { secondsText } from './text.ts'
import type { Scenario } from './types.ts'

export interface NarrateOptions {
  /** Show every key event, not only the first MAX_EVENT_LINES of each run. */
  all?: boolean
  /** The command that reproduces the run. */
  reproduce: string
}

const MAX_EVENT_LINES = 60
export const WIDTH = 100

export function narrate(run: ScenarioRun, options: NarrateOptions): string {
  const s = run.scenario
  const out: string[] = []
  const claims = s.claims.length === 0 ? '' : `; claim${s.claims.length > 1 ? 's' : ''} ${s.claims.join(', ')}`
  out.push(`Scenario ${s.name} (${PROTOCOL_TITLES[s.protocol] ?? s.protocol}${claims})`, s.summary, '')
  for (const paragraph of s.story) out.push(...wrapText(paragraph, WIDTH, WIDTH), '')
  for (const v of run.variants) out.push(...narrateVariant(s, v, options), '')
  const failed = run.variants.flatMap((v) => v.expectations.filter((e) => !e.ok)).length
  const lost = run.variants.flatMap((v) => v.captions.filter((c) => c.i === null)).length
  const total = run.variants.reduce((n, v) => n + v.expectations.length, 0)
  if (run.problems.length > 0) out.push('Scenario problems (names that occur in no run: a typo?):', ...run.problems.map((p) => `  ${p}`))
  out.push(run.ok ? `All ${total} expectations hold.` : `${failed} of ${total} expectations FAILED${lost > 0 ? `; ${lost} caption(s) never found their moment` : ''}${run.problems.length > 0 ? `; ${run.problems.length} scenario problem(s)` : ''}.`)
  out.push(`seed ${formatSeed(s.seed)}; reproduce: ${options.reproduce}`)
  return out.join('\n')
}

function narrateVariant(s: Scenario, v: VariantRun, options: NarrateOptions): string[] {
  const out: string[] = []
  const label = s.hasVariants ? ` -- ${v.variant.label}` : ''
  const mutant = v.variant.mutant === null ? '' : `, mutant ${v.variant.mutant}`
  out.push(`Run${label}: seed ${formatSeed(s.seed)}, ${s.nodes.length} nodes (${s.nodes.join(' ')}), ${formatDuration(s.durationUs)} simulated${mutant}`)
  const lines = timeline(s, v, options.all === true)
  out.push(...lines)
  if (v.result.stoppedBy !== 'time') out.push(`  The run stopped at ${secondsText(v.result.simTimeUs)}: ${v.result.stopMessage ?? v.result.stoppedBy}.`)
  out.push('Expectations:')
  for (const e of v.expectations) out.push(`  ${e.ok ? 'ok    ' : 'FAILED'}  ${e.says}`, `          ${e.detail}`)
  for (const c of v.captions.filter((c) => c.i === null)) out.push(`  FAILED  caption never found its moment: "${c.text.slice(0, 70)}"`)
  return out
}

/** A caption in the timeline: its time, a marker, then its text wrapped under itself. */
export function captionLines(tUs: number, text: string): string[] {
  const [first, ...rest] = wrapText(text, WIDTH - 13, WIDTH - 13)
  return [`  ${secondsText(tUs).padStart(9)} > ${first}`, ...rest.map((line) => `${' '.repeat(13)}${line}`)]
}

/** Captions and key events in trace order; key events beyond the cap are counted, captions always shown. */
function timeline(s: Scenario, v: VariantRun, all: boolean): string[] {
  const events = v.trace.events
  const captionsAt = new Map<number, Array<{ t: number; text: string }>>()
  for (const c of v.captions) if (c.i !== null) captionsAt.set(c.i, [...(captionsAt.get(c.i) ?? []), { t: c.t ?? 0, text: c.text }])
  const roles = new Map<string, string>()
  const out: string[] = []
  let shown = 0
  let hidden = 0
  events.forEach((e, i) => {
    for (const { t, text } of captionsAt.get(i) ?? []) out.push(...captionLines(t, text))
    const line = keyEvent(e, roles, s)
    if (line === null) return
    if (!all && shown >= MAX_EVENT_LINES) return void hidden++
    shown++
    out.push(`  ${secondsText(e.t).padStart(9)}     ${line}`)
  })
  if (hidden > 0) out.push(`  ... ${hidden} more key events (--all shows them)`)
  return out
}

/** The events a narration shows (besides role changes and skipped plan steps), in the viewer's words. */
const KEY_EVENTS = new Set<TraceEvent['type']>(['crash', 'restart', 'pause', 'resume', 'partition', 'network', 'clock', 'command', 'invoke', 'complete', 'violation', 'node-error'])

/** One line for an event worth narrating, or null. */
function keyEvent(e: TraceEvent, roles: Map<string, string>, s: Scenario): string | null {
  if (KEY_EVENTS.has(e.type)) return describeEvent(e)
  if (e.type === 'view') return roleChange(e, roles, s)
  if (e.type === 'note' && e.node === 'nemesis' && e.kind === 'skipped') return `plan step skipped: ${String((e.data as { reason?: unknown } | undefined)?.reason ?? '')}`
  return null
}

function roleChange(e: Extract<TraceEvent, { type: 'view' }>, roles: Map<string, string>, s: Scenario): string | null {
  const fields = e.view ?? e.changes ?? {}
  // The era (a term, an epoch) as the node last showed it: a change may carry the role alone.
  const eraName = ERA_NAMES[s.protocol] ?? 'term'
  for (const era of ['term', 'epoch'] as const) if (typeof fields[era] === 'number') roles.set(`${e.node}/era`, `${eraName} ${fields[era]}`)
  const role = fields.role
  if (typeof role !== 'string' || roles.get(e.node) === role) return null
  roles.set(e.node, role)
  const era = roles.get(`${e.node}/era`)
  return `${e.node} is ${role}${era === undefined ? '' : ` (${era})`}`
}
