/**
 * Runs a comparison (README.md): each scenario with the scenario runner, then one table of
 * what each side of the partition saw in each protocol, and the comparison's own expectations
 * checked against that table. `ok` is false when any scenario expectation or any table
 * expectation fails.
 */
import { formatSeed } from '../../sim/seed.ts'
import { formatDuration } from '../../sim/time.ts'
import { countHolds, countText } from '../evaluate.ts'
import { captionLines, WIDTH } from '../narrate.ts'
import { wrapText } from '../../tui/text.ts'
import { runScenario, type ScenarioRun } from '../run.ts'
import { runFigures, type RunFigures } from './figures.ts'
import { msText, renderTable, type TableRow } from './table.ts'
import { failureDetection } from './timeouts.ts'
import type { Comparison, ComparisonExpectation } from './types.ts'

export { loadComparisonFile } from './load.ts'
export type { Comparison } from './types.ts'


export interface ExpectationResult {
  says: string
  ok: boolean
  detail: string
}

export function comparisonSummary(c: Comparison): { name: string; protocols: string[]; claims: number[]; summary: string } {
  return { name: c.name, protocols: c.scenarios.map((s) => s.scenario.protocol), claims: c.claims, summary: c.summary }
}

export interface ComparisonRun {
  runs: Array<Comparison['scenarios'][number] & { run: ScenarioRun }>
  /** Per scenario, in the comparison's order. */
  figures: RunFigures[]
  checks: ExpectationResult[]
  /** One line per scenario whose lost writes cannot be judged (a written key never read after the heal). */
  unjudged: string[]
  ok: boolean
}

export function runComparison(c: Comparison): { output: string; ok: boolean } {
  const run = evaluateComparison(c)
  return { output: formatComparison(c, run), ok: run.ok }
}

/** Runs every scenario once and checks the table's expectations against the figures. */
export function evaluateComparison(c: Comparison): ComparisonRun {
  const runs = c.scenarios.map((s) => ({ ...s, run: runScenario(s.scenario) }))
  const figures = runs.map((r) => runFigures(r.run.result, r.sides, c.partition.fromUs, c.partition.toUs))
  const checks = c.expect.map((e) => checkTableExpectation(e, c, figures))
  const unjudged = runs.flatMap((r, i) => {
    const lost = figures[i]!.lost
    const why: string[] = []
    if (lost.unreadKeys.length > 0) why.push(`${r.label}: no read after the heal of ${lost.unreadKeys.join(', ')}: its lost writes cannot be judged`)
    if (lost.writes.length !== lost.total) why.push(`${r.label}: the ${lost.source} counts ${lost.total} lost writes but names ${lost.writes.length}: they cannot be given sides`)
    return why
  })
  const ok = runs.every((r) => r.run.ok) && checks.every((x) => x.ok) && unjudged.length === 0
  return { runs, figures, checks, unjudged, ok }
}

export function formatComparison(c: Comparison, { runs, figures, checks, unjudged, ok }: ComparisonRun): string {
  const out: string[] = []
  const claims = c.claims.length === 0 ? '' : ` (claim${c.claims.length > 1 ? 's' : ''} ${c.claims.join(', ')})`
  out.push(`Comparison ${c.name}${claims}`, c.summary, '')
  for (const paragraph of c.story) out.push(...wrapText(paragraph, WIDTH, WIDTH), '')
  out.push(`Partition from ${formatDuration(c.partition.fromUs)} to ${formatDuration(c.partition.toUs)}.`, '')
  runs.forEach((r) => out.push(...scenarioSummary(r.label, r.run), ''))
  const rows: TableRow[] = runs.flatMap((r, i) => Object.entries(r.sides).map(([side, clients]) => ({ label: r.label, side, clients, row: figures[i]!.rows.get(side)! })))
  out.push(`Writes invoked while the partition was up (${formatDuration(c.partition.fromUs)} to ${formatDuration(c.partition.toUs)}), by outcome:`)
  out.push(...renderTable(rows).map((l) => `  ${l}`), '', ...LEGEND, '')
  out.push(...timeoutLines(runs), '')
  out.push('Lost writes, how they were counted:')
  runs.forEach((r, i) => out.push(`  ${r.label}: ${lostText(figures[i]!)}`))
  for (const line of unjudged) out.push(`  FAILED  ${line}`)
  if (checks.length > 0) out.push('', 'Comparison expectations:', ...checks.flatMap((x) => [`  ${x.ok ? 'ok    ' : 'FAILED'}  ${x.says}`, `          ${x.detail}`]))
  const outcomes = runs.flatMap((r) => r.run.variants.flatMap((v) => v.expectations.map((e) => e.ok)))
  const all = outcomes.length + checks.length
  const failed = outcomes.filter((x) => !x).length + checks.filter((x) => !x.ok).length
  const lostCaptions = runs.reduce((n, r) => n + r.run.variants.reduce((m, v) => m + v.captions.filter((x) => x.t === null).length, 0), 0)
  const why = [unjudged.length > 0 ? 'lost writes not judged' : '', lostCaptions > 0 ? `${lostCaptions} caption(s) never found their moment` : ''].filter(Boolean)
  out.push('', ok ? `All ${all} expectations hold (${checks.length} of them the table's).` : `${failed} of ${all} expectations FAILED${why.map((w) => `; ${w}`).join('')}.`)
  out.push(`reproduce: faultline scenario run ${c.name}`)
  return out.join('\n')
}

const LEGEND = [
  'accepted   ok: the system acknowledged the write.',
  'refused    fail: the client was told the write was certainly not done (e.g. Redis CLUSTERDOWN).',
  'unknown    info: no definite answer before the client gave up (its last attempt timed out or was',
  '           dropped, or the write was never completed): it may or may not have been done.',
  'lost       acknowledged writes (over the whole run) that a later read should have seen and did not,',
  '           counted on the side of the client that wrote them.',
  'first ok   ms from the side\'s first write invoked after the cut (after the heal) to the first',
  '           acknowledgement of a write invoked after it; never: none was acknowledged.',
]

/** Each run's failure-detection setting, read from its resolved config: the recovery times scale with it. */
function timeoutLines(runs: ComparisonRun['runs']): string[] {
  const width = Math.max(...runs.map((r) => r.label.length))
  const lines = runs.flatMap((r) => {
    const config = (r.run.trace.header.config as { protocol?: Record<string, unknown> }).protocol ?? {}
    const text = failureDetection(r.run.scenario.protocol, config)
    return text === null ? [] : [`  ${r.label.padEnd(width)}  ${text}`]
  })
  return lines.length === 0 ? [] : ['Failure detection in these runs (from each scenario\'s config; the times above scale with it):', ...lines]
}

/** A scenario's narration in short: its captions at their moments, and its expectations' outcome. */
function scenarioSummary(label: string, run: ScenarioRun): string[] {
  const s = run.scenario
  const out = [`== ${label}: ${s.name} (seed ${formatSeed(s.seed)}, ${s.nodes.length} nodes, ${formatDuration(s.durationUs)} simulated)`, ...wrapText(s.summary, WIDTH, WIDTH)]
  for (const v of run.variants) {
    for (const c of v.captions) {
      if (c.t === null) continue
      out.push(...captionLines(c.t, c.text))
    }
    const failed = v.expectations.filter((e) => !e.ok)
    out.push(failed.length === 0 ? `  All ${v.expectations.length} expectations of ${s.name} hold.` : `  ${failed.length} of ${v.expectations.length} expectations of ${s.name} FAILED:`)
    for (const e of failed) out.push(`  FAILED  ${e.says}`, `          ${e.detail}`)
    for (const c of v.captions.filter((x) => x.t === null)) out.push(`  FAILED  caption never found its moment: "${c.text.slice(0, 70)}"`)
  }
  return out
}

function lostText(f: RunFigures): string {
  const l = f.lost
  const where = l.writes.length === 0 ? '' : `: ${l.writes.slice(0, 10).map((w) => `${w.key}=${JSON.stringify(w.value)}${w.client ? ` (${w.client})` : ''}`).join(', ')}${l.writes.length > 10 ? ', ...' : ''}`
  return `${l.total} (from the ${l.source}${l.source === 'history' ? ', reads of every written key after the heal' : ''})${where}`
}

export function checkTableExpectation(e: ComparisonExpectation, c: Comparison, figures: RunFigures[]): ExpectationResult {
  const i = c.scenarios.findIndex((s) => s.scenario.name === e.scenario)
  const seen = figures[i]!.rows.get(e.side)![e.figure]
  const ms = e.figure.endsWith('Ms')
  const shown = ms ? msText(seen) : String(seen)
  if (e.count === null) return { says: e.says, ok: seen === null, detail: `saw ${shown}; expected never` }
  const ok = seen !== null && countHolds(e.count, seen)
  return { says: e.says, ok, detail: `saw ${shown}; expected ${countText(e.count)}${ms ? ' ms' : ''}` }
}
