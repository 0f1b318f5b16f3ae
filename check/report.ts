/** The text `faultline check` prints for a report; `--json` prints the report object itself. */
import { formatClock, formatDuration } from '../sim/time.ts'
import type { CheckReport } from './check.ts'

const n = (x: number): string => x.toLocaleString('en-US')

export function formatCheckReport(r: CheckReport, rerun: string): string {
  const title = `faultline check ${r.protocol}${r.mutant ? ` --mutant ${r.mutant}` : ''} · seed ${r.seed}${r.shard ? ` · shard ${r.shard}` : ''}`
  const lines = [title]
  const wall = `${(r.wallMs / 1000).toFixed(2)}s wall, ${r.workers} worker${r.workers === 1 ? '' : 's'}`
  lines.push(`  runs        ${n(r.runs)} of ${n(r.runsPlanned)}${r.stoppedBy === 'time-budget' ? ' (time budget reached)' : ''}`)
  lines.push(`  events      ${n(r.events)}`)
  lines.push(`  time        ${formatClock(r.simTimeUs)} simulated in ${wall} (${(r.runs / Math.max(r.wallMs / 1000, 1e-6)).toFixed(1)} runs/s)`)
  const h = r.histories
  if (h.linearizable + h.unknown > 0) lines.push(`  histories   linearizable ${n(h.linearizable)} · unknown within budget ${n(h.unknown)}`)
  const tactics = Object.entries(r.tacticRuns)
  if (tactics.length > 0) lines.push(`  tactics     ${tactics.map(([name, runs]) => `${name} ${n(runs)}`).join(' · ')} (runs; the rest random plans)`)
  for (const rep of r.reports.slice(0, 5)) lines.push(`  report      ${rep.line}${r.runs > 1 ? ` (${rep.runs} run${rep.runs === 1 ? '' : 's'})` : ''}`)
  if (r.reports.length > 5) lines.push(`  report      ... ${r.reports.length - 5} more distinct lines (see --json)`)
  if (!r.failure) {
    lines.push(`  result      ok: no invariant violated${h.linearizable + h.unknown > 0 ? ', every history linearizable or unknown' : ''}`)
    lines.push(`rerun: ${rerun}`)
    return lines.join('\n')
  }
  const f = r.failure
  const s = f.spec
  lines.push(`  result      FAILED at run ${f.run}${s.tactic ? ` (tactic ${s.tactic})` : ''} (${f.kind}): ${f.message}`)
  for (const d of f.details) lines.push(`              ${d}`)
  lines.push(`  shrunk      ${f.originalSteps} fault steps -> ${f.steps.length} in ${f.shrinks} shrinks${f.shrinkInterrupted ? ' (shrink budget ran out)' : ''}: ${s.nodes} nodes, ${s.clients} client${s.clients === 1 ? '' : 's'}, latency ${s.network.latency}, loss ${s.network.loss}, duplicate ${s.network.duplicate}, reorder ${s.network.reorder}`)
  for (const step of f.steps) lines.push(`    ${step}`)
  lines.push(`    ${formatDuration(s.faultUs)} faults end${f.kind === 'liveness' || f.kind === 'linearizability' ? ': everything healed, the liveness phase begins' : ''}`)
  if (f.traceFile) lines.push(`  trace       ${f.traceFile} (${f.traceHash})`)
  if (f.planFile) lines.push(`  plan        ${f.planFile}`)
  if (f.reproduce) lines.push(`reproduce: ${f.reproduce}`)
  return lines.join('\n')
}

/** Runs per second, for the bench and summaries. */
export function runsPerSecond(r: CheckReport): number {
  return r.runs / Math.max(r.wallMs / 1000, 1e-9)
}
