/** The text and JSON a run prints: what happened, and the line that reproduces it. */
import type { RunResult } from '../sim/result.ts'
import { formatClock, formatDuration, type Micros, US_PER_S } from '../sim/time.ts'

/** `run --check-history`: the linearizability checker's verdict on the run's history. */
export interface HistoryVerdict {
  model: string
  verdict: 'linearizable' | 'not-linearizable' | 'unknown'
  /** The operations that cannot be ordered, when not linearizable. */
  explanation: string[]
}

export interface RunReport {
  result: RunResult
  history?: HistoryVerdict | undefined
  durationUs: Micros
  nodes: number
  faults: string
  planSteps: number
  wallMs: number
  traceFile: string | null
  reproduce: string
}

const n = (x: number): string => x.toLocaleString('en-US')

export function formatSummary(r: RunReport): string {
  const { result: res, stats } = { result: r.result, stats: r.result.stats }
  const dropped = Object.entries(stats.dropped).filter(([, c]) => c > 0).map(([k, c]) => `${k} ${n(c)}`).join(', ')
  const wallS = r.wallMs / 1000
  const lines = [
    `faultline run ${res.protocol} · seed ${res.seed} · ${r.nodes} nodes · ${formatDuration(r.durationUs)} simulated`,
    `  events      ${n(res.events)} (${n(res.traceEvents)} trace lines)`,
    `  faults      ${n(stats.faults)} applied, from ${n(r.planSteps)} plan steps (${r.faults})`,
    `  messages    sent ${n(stats.sent)} · delivered ${n(stats.delivered)} · dropped ${n(sum(stats.dropped))}${dropped ? ` (${dropped})` : ''} · duplicated ${n(stats.duplicated)}`,
  ]
  const ops = countOutcomes(res)
  if (ops.invoked > 0) lines.push(`  clients     ${n(ops.invoked)} operations: ok ${n(ops.ok)} · fail ${n(ops.fail)} · unknown ${n(ops.info)} · open ${n(ops.invoked - ops.ok - ops.fail - ops.info)}`)
  lines.push(...reportLines(res))
  if (r.history) lines.push(...historyLines(r.history))
  lines.push(
    `  time        ${formatClock(res.simTimeUs)} simulated in ${wallS.toFixed(2)}s wall (${rate(res.simTimeUs / US_PER_S, wallS)}x real time, ${n(Math.round(res.events / Math.max(wallS, 1e-6)))} events/s)`,
    `  trace       ${res.traceHash ?? '(not traced)'}${r.traceFile ? ` -> ${r.traceFile}` : ''}`,
    `  result      ${r.history?.verdict === 'not-linearizable' ? `NOT LINEARIZABLE: the clients' history (model ${r.history.model}) has operations no order explains` : verdict(res)}`,
    `reproduce: ${r.reproduce}`,
  )
  return lines.join('\n')
}

function historyLines(h: HistoryVerdict, maxDetails = 8): string[] {
  const head = h.verdict === 'not-linearizable' ? 'NOT LINEARIZABLE' : h.verdict === 'unknown' ? 'unknown (the checker\'s budget ran out)' : 'linearizable'
  const details = h.verdict === 'not-linearizable' ? h.explanation.slice(0, maxDetails).map((line) => `    ${line}`) : []
  return [`  history     ${head} (model ${h.model})`, ...details]
}

/** Invariants' end-of-run accounts (Redis Cluster's write loss): a summary line each, then at most a few details. */
function reportLines(res: RunResult, maxDetails = 5): string[] {
  const lines: string[] = []
  for (const rep of res.reports) {
    lines.push(`  ${rep.invariant}: ${rep.summary}`)
    for (const d of rep.details.slice(0, maxDetails)) lines.push(`    ${d}`)
    if (rep.details.length > maxDetails) lines.push(`    ... and ${n(rep.details.length - maxDetails)} more (--json for all)`)
  }
  return lines
}

export function verdict(res: RunResult): string {
  if (res.violation) return `VIOLATION of ${res.violation.invariant} at ${formatClock(res.violation.timeUs)}: ${res.violation.message}`
  if (res.stoppedBy === 'node-error') return `NODE ERROR: ${res.nodeError}`
  if (res.stoppedBy === 'budget') return `STOPPED: ${res.stopMessage}`
  return 'ok (no invariant violated)'
}

export function reportJson(r: RunReport): object {
  const { history: _history, ...result } = r.result
  return {
    ...result,
    ok: runOk(r),
    ...(r.history ? { historyCheck: r.history } : {}),
    durationUs: r.durationUs,
    nodes: r.nodes,
    faults: r.faults,
    planSteps: r.planSteps,
    operations: countOutcomes(r.result),
    wallMs: Math.round(r.wallMs),
    traceFile: r.traceFile,
    reproduce: r.reproduce,
  }
}

/** The run broke nothing, its history check (`--check-history`) included. */
export function runOk(r: RunReport): boolean {
  return isOk(r.result) && r.history?.verdict !== 'not-linearizable'
}

export function isOk(res: RunResult): boolean {
  return res.violation === null && res.stoppedBy !== 'node-error' && res.stoppedBy !== 'budget'
}

function countOutcomes(res: RunResult) {
  const c = { invoked: 0, ok: 0, fail: 0, info: 0 }
  for (const h of res.history) if (h.type === 'invoke') c.invoked++; else c[h.type]++
  return c
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0)
}

function rate(simS: number, wallS: number): string {
  const x = simS / Math.max(wallS, 1e-6)
  return x >= 100 ? n(Math.round(x)) : x.toFixed(1)
}
