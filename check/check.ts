/**
 * checkProtocol: the property-based safety check. Runs `runs` generated runs (split across
 * workers and shards without changing any of them), stops at the first failing run in index
 * order, shrinks it to a small plan, saves its plan and trace, and reports how to replay it.
 */
import { randomInt } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { PROTOCOLS } from '../cli/protocols.ts'
import { describeStep } from '../sim/nemesis/describe.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { formatSeed } from '../sim/seed.ts'
import { InputError } from '../sim/time.ts'
import { contextFor, shrinkRun, type RunSummary, type RunTask } from './evaluate.ts'
import { runInOrder } from './in-order.ts'
import { localExecutor, poolExecutor, type Executor, type ProtocolModule } from './pool.ts'
import { saveReproduction } from './reproduce.ts'
import { DEFAULT_HISTORY_BUDGET_MS, type FailureKind } from './run-one.ts'
import { DEFAULT_SHAPE, type RunSpec, type SpecShape } from './run-spec.ts'
import { runSeed, shardIndices, type Shard } from './seeds.ts'
import { tacticConfigs } from './tactics.ts'

/** Enough runs that every mutant of the landed protocols is caught (bench: time to catch each mutant). */
export const DEFAULT_RUNS = 200

export interface CheckOptions {
  /** Runs to make (default 200); with a shard, the runs of the whole seed space. */
  runs?: number
  /** The check's seed (default: random, and reported). */
  seed?: number
  mutant?: string | null
  /** Start no new run after this much wall time; the report says so (results then depend on speed). */
  timeBudgetMs?: number
  /** Worker threads (default 1: this thread). Results are identical for any count. */
  workers?: number
  shard?: Shard | null
  /** Cluster sizes, fault phase length, clients (defaults: 3 or 5 nodes, 10 s, 1 to 4 clients). */
  shape?: Partial<SpecShape>
  /** Wall-time budget of one history's linearizability check (default 10 s): past it the verdict is 'unknown'. */
  historyBudgetMs?: number
  /** Wall-time budget for shrinking a failure (default 60 s). */
  shrinkBudgetMs?: number
  /** Where a failure's plan and trace go (default .faultline); null writes nothing. */
  outDir?: string | null
  /** The failing trace's path (default <outDir>/check-<protocol>-<seed>.jsonl). */
  traceOut?: string
  /** For workers, when the protocol is not in the CLI's registry. */
  protocolModule?: ProtocolModule
}

export interface CheckFailure {
  /** Index of the failing run in the seed space, and its fast-check seed. */
  run: number
  runSeed: number
  kind: FailureKind
  message: string
  details: string[]
  /** The shrunk run. */
  spec: RunSpec
  /** Its fault steps, one readable line each ("1.2s crash leader"). */
  steps: string[]
  originalSteps: number
  shrinks: number
  shrinkInterrupted: boolean
  reproduce: string | null
  planFile: string | null
  traceFile: string | null
  traceHash: string | null
}

export interface CheckReport {
  protocol: string
  mutant: string | null
  seed: string
  shard: string | null
  passed: boolean
  /** 'runs': all done; 'time-budget': stopped early; 'failure': stopped at a failing run. */
  stoppedBy: 'runs' | 'time-budget' | 'failure'
  runs: number
  runsPlanned: number
  events: number
  simTimeUs: number
  wallMs: number
  workers: number
  histories: { linearizable: number; unknown: number; skipped: number }
  /** Distinct end-of-run account lines (write-loss), with how many runs gave each. */
  reports: Array<{ line: string; runs: number }>
  /** Runs made by each of the protocol's fault tactics (check/tactics.ts); the rest were random plans. */
  tacticRuns: Record<string, number>
  failure: CheckFailure | null
}

export async function checkProtocol(protocol: AnyProtocol, options: CheckOptions = {}): Promise<CheckReport> {
  const startMs = performance.now()
  const settings = resolve(protocol, options)
  const indices = shardIndices(settings.runs, settings.shard)
  const executor: Executor = settings.workers > 1 ? poolExecutor(protocol, settings.workers, options.protocolModule ?? null) : localExecutor(protocol)
  const tally = newTally(protocol)
  let stoppedBy: CheckReport['stoppedBy'] = 'runs'
  let failed: RunSummary | null = null
  try {
    // One run at a time in this thread; two per worker keep every worker busy between messages.
    const inFlight = settings.workers === 1 ? 1 : settings.workers * 2
    const overBudget = () => performance.now() - startMs > settings.timeBudgetMs
    const done = await runInOrder(indices.length, inFlight, (i) => executor.run(taskOf(settings, indices[i]!)), overBudget)
    // Index order, and nothing after the first failure counts: the same report for any worker count.
    for (const r of done.results) {
      tally.add(r)
      if (r.failed) failed = r
    }
    if (done.outOfTime) stoppedBy = 'time-budget'
  } finally {
    await executor.close()
  }
  const failure = failed ? explainFailure(protocol, settings, failed) : null
  return {
    protocol: protocol.name, mutant: settings.mutant, seed: formatSeed(settings.seed),
    shard: settings.shard ? `${settings.shard.index}/${settings.shard.count}` : null,
    passed: failure === null, stoppedBy: failure ? 'failure' : stoppedBy, runs: tally.runs, runsPlanned: indices.length,
    events: tally.events, simTimeUs: tally.simTimeUs, wallMs: performance.now() - startMs, workers: settings.workers,
    histories: tally.histories, reports: [...tally.reports].map(([line, runs]) => ({ line, runs })), tacticRuns: tally.tacticRuns, failure,
  }
}

interface Settings {
  runs: number
  seed: number
  mutant: string | null
  timeBudgetMs: number
  workers: number
  shard: Shard | null
  shape: SpecShape
  historyBudgetMs: number
  shrinkBudgetMs: number
  outDir: string | null
  traceOut: string | undefined
}

function resolve(protocol: AnyProtocol, o: CheckOptions): Settings {
  const mutant = o.mutant ?? null
  if (mutant !== null && !(protocol.mutants ?? []).some((m) => m.name === mutant)) {
    throw new InputError(`unknown mutant '${mutant}' for ${protocol.name} (mutants: ${(protocol.mutants ?? []).map((m) => m.name).join(', ') || 'none'})`)
  }
  const runs = o.runs ?? DEFAULT_RUNS
  if (!Number.isSafeInteger(runs) || runs < 1) throw new InputError(`bad run count ${runs}: expected a whole number of at least 1`)
  const workers = o.workers ?? 1
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new InputError(`bad worker count ${workers}: expected 1 to 256`)
  const shard = o.shard ?? null
  if (shard && !(Number.isInteger(shard.index) && Number.isInteger(shard.count) && shard.index >= 1 && shard.index <= shard.count)) {
    throw new InputError(`bad shard ${shard.index}/${shard.count}: expected i/n with 1 <= i <= n`)
  }
  if (workers > 1 && !o.protocolModule && !PROTOCOLS.includes(protocol)) {
    throw new InputError(`--workers needs a protocol worker threads can load: ${protocol.name} is not in cli/protocols.ts, so pass protocolModule (the module's URL and export name)`)
  }
  const shape = { ...DEFAULT_SHAPE, ...o.shape }
  if (shape.nodes.length === 0 || shape.nodes.some((n) => !Number.isInteger(n) || n < 1)) throw new InputError(`bad cluster sizes ${JSON.stringify(shape.nodes)}`)
  if (shape.configs.length === 0) throw new InputError('bad configs: expected at least one (null for the defaults)')
  // A bad config is bad input, found before any run (and before any worker thread sees it).
  for (const config of [...shape.configs, ...tacticConfigs(protocol)]) if (config !== null) protocol.parseConfig?.(config)
  return {
    runs, mutant, workers, shard, shape,
    seed: o.seed ?? randomInt(0, 2 ** 32),
    timeBudgetMs: o.timeBudgetMs ?? Infinity,
    historyBudgetMs: o.historyBudgetMs ?? DEFAULT_HISTORY_BUDGET_MS,
    shrinkBudgetMs: o.shrinkBudgetMs ?? 60_000,
    outDir: o.outDir === undefined ? '.faultline' : o.outDir,
    traceOut: o.traceOut,
  }
}

function taskOf(s: Settings, index: number): RunTask {
  return { seed: s.seed, index, mutant: s.mutant, shape: s.shape, historyBudgetMs: s.historyBudgetMs }
}

function newTally(protocol: AnyProtocol) {
  const t = {
    runs: 0, events: 0, simTimeUs: 0,
    histories: { linearizable: 0, unknown: 0, skipped: 0 },
    reports: new Map<string, number>(),
    tacticRuns: Object.fromEntries((protocol.faultTactics ?? []).map((tactic) => [tactic.name, 0])) as Record<string, number>,
    add(r: RunSummary): void {
      t.runs++
      if (r.tactic !== null) t.tacticRuns[r.tactic] = (t.tacticRuns[r.tactic] ?? 0) + 1
      t.events += r.events
      t.simTimeUs += r.simTimeUs
      if (r.history === 'linearizable' || r.history === 'unknown' || r.history === 'skipped') t.histories[r.history]++
      for (const line of new Set(r.reports.filter((l) => !l.startsWith(' ')))) t.reports.set(line, (t.reports.get(line) ?? 0) + 1)
    },
  }
  return t
}

function explainFailure(protocol: AnyProtocol, s: Settings, failed: RunSummary): CheckFailure {
  const task = taskOf(s, failed.index)
  const shrunk = shrinkRun(protocol, task, failed.kind!, s.shrinkBudgetMs)
  const failure = shrunk.outcome.failure ?? { kind: failed.kind!, message: 'the failure did not recur when re-run (please report it)', details: [] }
  const saved = s.outDir === null ? null : saveReproduction(contextFor(protocol, task), shrunk.spec, shrunk.outcome.endUs, { outDir: s.outDir, traceOut: s.traceOut })
  return {
    run: failed.index, runSeed: runSeed(s.seed, failed.index), kind: failure.kind, message: failure.message, details: failure.details,
    spec: shrunk.spec, steps: shrunk.spec.faults.map(describeStep), originalSteps: shrunk.originalSteps, shrinks: shrunk.shrinks,
    shrinkInterrupted: shrunk.interrupted,
    reproduce: saved?.command ?? null, planFile: saved?.planFile ?? null, traceFile: saved?.traceFile ?? null, traceHash: saved?.traceHash ?? null,
  }
}
