/**
 * One checked run: safety invariants after every event during the fault phase; then, for a
 * protocol with a liveness condition, the healed cluster must make progress within its bound;
 * then the history check (linearizability against the protocol's model, or the write-loss
 * account, which is reported and never fails a run).
 */
import { Simulation } from '../sim/engine.ts'
import type { Plan } from '../sim/nemesis/types.ts'
import { defaultNodeIds, normalisePlan, type SimulationOptions } from '../sim/options.ts'
import type { AnyProtocol, InvariantContext } from '../sim/protocol.ts'
import type { TraceSink } from '../sim/trace/writer.ts'
import type { StopReason } from '../sim/trace/events.ts'
import { applyNetworkChange, defaultNetworkConfig } from '../sim/network/config.ts'
import type { NetworkConfig } from '../sim/network/types.ts'
import { formatDuration, type Micros } from '../sim/time.ts'
import { checkLinearizable, findModel, operationsFromHistory, type LinearizabilityResult } from './linearizability/index.ts'
import type { HistoryEntry } from '../sim/clients/history.ts'
import { phaseClock, type PhaseTimes } from './phases.ts'
import { healSteps, type RunSpec } from './run-spec.ts'

export type FailureKind = 'invariant' | 'node-error' | 'budget' | 'liveness' | 'linearizability'

export interface RunFailure {
  kind: FailureKind
  /** One line: the invariant's message, the node error, what liveness still lacked. */
  message: string
  /** More lines (the operations that cannot be ordered). */
  details: string[]
}

export interface RunOutcome {
  failure: RunFailure | null
  events: number
  simTimeUs: Micros
  /** Where the run ended: `faultline run --duration` with this reproduces it. */
  endUs: Micros
  traceHash: string | null
  /** 'unknown' when the linearizability search ran out of its budget (not a failure). */
  history: 'linearizable' | 'not-linearizable' | 'unknown' | 'skipped'
  /** Write-loss and other end-of-run accounts: summary lines. */
  reports: string[]
}

export interface RunContext {
  protocol: AnyProtocol
  mutant: string | null
  /** Wall-time budget of one history check, in milliseconds. */
  historyBudgetMs: number
  trace?: TraceSink | null
  /**
   * The spec is as the generator made it (not shrunk, not read back): its plan is then handed
   * to the engine as canonical (see canonicalPlan), so the engine skips re-validating it.
   */
  generated?: boolean
  /** Adds each phase's wall time here (the bench's breakdown); null or absent measures nothing. */
  phaseMs?: PhaseTimes | null
}

/** The whole plan of a run: its faults, then (for protocols with liveness) the heal at faultUs. */
export function fullPlan(protocol: AnyProtocol, spec: RunSpec): Plan {
  return protocol.liveness ? [...spec.faults, ...healSteps(spec.nodes, spec.faultUs)] : [...spec.faults]
}

/**
 * A generated spec's whole plan in the form the engine's validation gives back, made without
 * running it over every step: a random plan and the heal steps are the checker's own and
 * canonical by construction (run-spec.test.ts); a tactic's steps are protocol code's and are
 * validated (they all come before the heal at faultUs, so validating them apart orders the same).
 */
function canonicalPlan(protocol: AnyProtocol, spec: RunSpec): Plan {
  const faults = spec.tactic === undefined ? spec.faults : normalisePlan(spec.faults, defaultNodeIds(spec.nodes))
  return protocol.liveness ? [...faults, ...healSteps(spec.nodes, spec.faultUs)] : [...faults]
}

/** Engine options for a spec, exactly as `faultline run` builds them from the reproduce flags. */
export function simulationOptions(ctx: RunContext, spec: RunSpec, durationUs: Micros): SimulationOptions {
  return {
    protocol: ctx.protocol,
    seed: spec.seed,
    nodes: spec.nodes,
    plan: ctx.generated === true ? canonicalPlan(ctx.protocol, spec) : fullPlan(ctx.protocol, spec),
    planIsCanonical: ctx.generated === true,
    mutant: ctx.mutant,
    config: spec.config ?? undefined,
    workload: { clients: spec.clients },
    loseUnsyncedWrites: true,
    invariants: true,
    traceMeta: { durationUs },
    trace: ctx.trace ?? null,
  }
}

/**
 * Runs a spec and judges it. With `replayEndUs` it only replays the run to that time, as
 * `faultline run --duration` does (for the saved trace and its hash), and judges what it saw.
 */
export function runOne(ctx: RunContext, spec: RunSpec, replayEndUs?: Micros): RunOutcome {
  const lap = phaseClock(ctx.phaseMs ?? null)
  const setup = { config: resolvedConfig(ctx.protocol, spec.config), mutant: ctx.mutant }
  const liveness = ctx.protocol.liveness?.(setup) ?? null
  const boundUs = spec.faultUs + (liveness?.withinUs ?? 0)
  // The trace header records the duration asked for, so a replay must ask for where the run ended.
  const sim = new Simulation({ ...simulationOptions(ctx, spec, replayEndUs ?? boundUs), network: networkOf(spec) })
  lap('setup')
  let failure: RunFailure | null = null
  let endUs = boundUs
  if (replayEndUs !== undefined) {
    sim.run({ untilUs: replayEndUs })
    endUs = replayEndUs
  } else {
    const first = sim.run({ untilUs: spec.faultUs })
    lap('faults')
    if (liveness && !ENDED.has(first.reason)) {
      let missing: string | null = 'not checked yet'
      const view = livenessContext(sim)
      const stop = sim.run({ untilUs: boundUs, stopWhen: () => (missing = liveness.check(view)) === null })
      if (stop.reason === 'predicate') {
        // Events at the same microsecond still run, as `faultline run --duration` would run them.
        endUs = sim.now()
        sim.run({ untilUs: endUs })
      } else if (!ENDED.has(stop.reason)) {
        failure = { kind: 'liveness', message: `no progress within ${formatDuration(liveness.withinUs)} of healing: ${missing} (required: ${liveness.description})`, details: [] }
      }
      lap('liveness')
    }
  }
  const result = sim.finish()
  if (result.violation) failure = { kind: 'invariant', message: `${result.violation.invariant}: ${result.violation.message}`, details: [] }
  else if (result.nodeError) failure = { kind: 'node-error', message: result.nodeError, details: [] }
  else if (result.stoppedBy === 'budget') failure = { kind: 'budget', message: result.stopMessage ?? 'event budget exhausted', details: [] }
  lap('finish')
  let history: RunOutcome['history'] = 'skipped'
  const check = ctx.protocol.historyCheck
  if (failure === null && check?.kind === 'linearizable') {
    const verdict = judgeHistory(check.model, result.history, ctx.historyBudgetMs)
    history = verdict.verdict
    if (verdict.verdict === 'not-linearizable') failure = { kind: 'linearizability', message: `the history is not linearizable (model ${check.model})`, details: verdict.explanation }
    lap('history')
  }
  return {
    failure, events: result.events, simTimeUs: result.simTimeUs, endUs, traceHash: result.traceHash, history,
    reports: result.reports.flatMap((r) => [`${r.invariant}: ${r.summary}`, ...r.details.map((d) => `  ${d}`)]),
  }
}

/** The config the engine will run with (as sim/options.ts resolves it), for the liveness condition. */
function resolvedConfig(protocol: AnyProtocol, raw: Record<string, unknown> | null): unknown {
  if (protocol.parseConfig) return protocol.parseConfig(raw ?? {})
  return raw === null ? protocol.defaultConfig : { ...(protocol.defaultConfig as object), ...raw }
}

/** Stops that end a run for good: nothing more to run after them. */
const ENDED = new Set<StopReason>(['violation', 'node-error', 'budget'])

/** The spec's network over the defaults, as `--latency --loss --duplicate --reorder` give it. */
export function networkOf(spec: RunSpec): NetworkConfig {
  return applyNetworkChange(defaultNetworkConfig(), { ...spec.network })
}

function livenessContext(sim: Simulation): InvariantContext<never> {
  return {
    get time() { return sim.now() },
    get eventIndex() { return sim.eventCount },
    touched: null,
    nodeIds: sim.nodeIds,
    node: (id) => sim.node(id),
    storage: (id) => sim.storage(id),
    get history() { return sim.history },
  }
}

/** Wall-time budget of one history check by default (its verdict is "unknown" past it). */
export const DEFAULT_HISTORY_BUDGET_MS = 10_000

/** The history check of a run: is its clients' history linearizable under `model`? (`run --check-history` too.) */
export function judgeHistory(model: string, history: readonly HistoryEntry[], budgetMs = DEFAULT_HISTORY_BUDGET_MS): LinearizabilityResult {
  return checkLinearizable(findModel(model), operationsFromHistory(history), { timeBudgetMs: budgetMs })
}
