/**
 * Loads and runs scenarios. A run is a pure function of the file: each variant is simulated
 * once, traced in memory, and its expectations and captions are checked against that trace
 * and the run's result. Saving or watching re-runs the same variant with the captions and the
 * outcomes in the trace header, so the viewer can show them (same seed: the same events).
 */
import { readFileSync } from 'node:fs'
import { Simulation } from '../sim/engine.ts'
import { resolveOptions, type SimulationOptions } from '../sim/options.ts'
import type { RunResult } from '../sim/result.ts'
import { formatSeed } from '../sim/seed.ts'
import { InputError } from '../sim/time.ts'
import type { TraceEvent } from '../sim/trace/events.ts'
import { parseTrace, type Trace } from '../sim/trace/reader.ts'
import { MemoryTraceSink, type TraceSink } from '../sim/trace/writer.ts'
import { placeCaptions, type PlacedCaption } from './captions.ts'
import { evaluate, type ExpectationOutcome } from './evaluate.ts'
import { scenarioProtocol } from './protocols.ts'
import { vocabularyProblems } from './vocabulary.ts'
import type { ScenarioInfo } from '../tui/scenario.ts'
import { parseScenario } from './schema.ts'
import type { Expectation, Scenario, Variant } from './types.ts'

export type { Scenario, Variant } from './types.ts'
export type { ExpectationOutcome } from './evaluate.ts'

export interface VariantRun {
  variant: Variant
  result: RunResult
  trace: Trace
  expectations: ExpectationOutcome[]
  captions: PlacedCaption[]
  /** Every expectation held and every caption found its moment. */
  ok: boolean
}

/** All variants' runs; the top-level fields are the first variant's (most scenarios have one). */
export interface ScenarioRun extends VariantRun {
  scenario: Scenario
  variants: VariantRun[]
  /** Names in expectations or captions that occur in no run (vocabulary.ts): a scenario bug. */
  problems: string[]
}

export function loadScenarioFile(path: string): Scenario {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new InputError(code === 'ENOENT' ? `no scenario file ${path}` : `cannot read ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`)
  }
  const scenario = parseScenario(json, path)
  for (const v of scenario.variants) checkOptions(scenario, v)
  return scenario
}

/** What the engine itself refuses (a mutant the protocol lacks, a bad config field), named with the file. */
function checkOptions(s: Scenario, v: Variant): void {
  try {
    resolveOptions(simulationOptions(s, v, null))
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    throw new InputError(`${s.source}${s.hasVariants ? ` (variant '${v.label}')` : ''}: ${err.message}`)
  }
}

export function simulationOptions(s: Scenario, v: Variant, trace: TraceSink | null, traceMeta?: Record<string, unknown>): SimulationOptions {
  const c = s.clients
  return {
    protocol: scenarioProtocol(s.protocol),
    seed: s.seed,
    nodes: s.nodes,
    config: { ...s.config, ...v.config },
    mutant: v.mutant,
    ...(s.network === null ? {} : { network: s.network }),
    plan: s.plan,
    loseUnsyncedWrites: s.loseUnsyncedWrites,
    workload: {
      clients: c.scripted + c.random,
      scripted: c.scripted,
      ...(c.mix === undefined ? {} : { mix: c.mix }),
      ...(c.thinkUs === undefined ? {} : { thinkUs: c.thinkUs }),
      ...(c.keys === undefined ? {} : { keys: c.keys }),
      ...(c.stopAtUs === undefined ? {} : { stopAtUs: c.stopAtUs }),
      ...(c.opTimeoutUs === undefined ? {} : { opTimeoutUs: c.opTimeoutUs }),
      ...(c.requestTimeoutUs === undefined ? {} : { requestTimeoutUs: c.requestTimeoutUs }),
    },
    trace,
    checkpointEvery: 1000,
    ...(traceMeta === undefined ? {} : { traceMeta }),
  }
}

export function runScenario(s: Scenario): ScenarioRun {
  const variants = s.variants.map((v) => runVariant(s, v))
  const problems = vocabularyProblems(s, variants)
  return { ...variants[0]!, scenario: s, variants, problems, ok: problems.length === 0 && variants.every((r) => r.ok) }
}

export function runVariant(s: Scenario, v: Variant): VariantRun {
  const sink = new MemoryTraceSink()
  const sim = new Simulation(simulationOptions(s, v, sink))
  sim.run({ untilUs: s.durationUs })
  const result = sim.finish()
  const trace = parseTrace(sink.text(), s.name)
  const data = { nodes: s.nodes, events: trace.events, result }
  const outcomes = [...s.expect, ...v.expect].map((e) => evaluate(e, data))
  const captions = placeCaptions([...s.captions, ...v.captions], s.nodes, trace.events, result.simTimeUs < s.durationUs)
  const ok = outcomes.every((o) => o.ok) && captions.every((c) => c.i !== null)
  return { variant: v, result, trace, expectations: outcomes, captions, ok }
}

/** Checks more expectations against a run already made (the flip tests use this). */
export function evaluateOn(run: VariantRun, s: Scenario, expectations: readonly Expectation[]): ExpectationOutcome[] {
  const data = { nodes: s.nodes, events: run.trace.events as readonly TraceEvent[], result: run.result }
  return expectations.map((e) => evaluate(e, data))
}

/**
 * What the viewer shows of a scenario: the trace header carries it (under config.scenario),
 * so a saved trace opens with its captions and `faultline verify` re-runs it unchanged.
 */
export function scenarioMeta(s: Scenario, run: VariantRun): { scenario: ScenarioInfo } {
  // Typed as the viewer reads it (tui/scenario.ts), so writer and reader cannot drift apart.
  const captions = run.captions.flatMap((c) => (c.i === null || c.t === null ? [] : [{ i: c.i, t: c.t, text: c.text }]))
  return {
    scenario: {
      name: s.name, summary: s.summary, claims: s.claims,
      variant: s.hasVariants ? run.variant.label : null,
      captions,
      expect: run.expectations.map((e) => ({ says: e.says, ok: e.ok, detail: e.detail, i: e.i })),
    },
  }
}

/** Runs the variant again into `sink` with the scenario's captions and outcomes in the header. */
export function traceVariant(s: Scenario, run: VariantRun, sink: TraceSink): RunResult {
  const sim = new Simulation(simulationOptions(s, run.variant, sink, scenarioMeta(s, run)))
  sim.run({ untilUs: s.durationUs })
  return sim.finish()
}

export function reproduceCommand(s: Scenario, fromFile: boolean): string {
  return `faultline scenario run ${fromFile ? s.source : s.name}   # seed ${formatSeed(s.seed)}`
}
