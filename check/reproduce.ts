/**
 * A failing run, made replayable: its whole plan goes to a file, its trace is saved for the
 * viewer, and one `faultline run` command replays it to the same trace hash.
 */
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { planToJson } from '../sim/nemesis/plan.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { formatSeed } from '../sim/seed.ts'
import { formatDuration, InputError, type Micros } from '../sim/time.ts'
import { FileTraceSink } from '../sim/trace/writer.ts'
import { writeFileAtomic } from '../cli/write-file.ts'
import { fullPlan, runOne, type RunContext } from './run-one.ts'
import type { RunSpec } from './run-spec.ts'

export interface Reproduction {
  command: string
  planFile: string
  traceFile: string
  traceHash: string | null
}

export interface ReproduceOptions {
  /** Directory for the plan and trace files (default .faultline). */
  outDir: string
  /** The trace's path (default <outDir>/check-<protocol>-<seed>.jsonl). */
  traceOut?: string
}

export function saveReproduction(ctx: RunContext, spec: RunSpec, endUs: Micros, options: ReproduceOptions): Reproduction {
  const base = `check-${ctx.protocol.name}-${formatSeed(spec.seed)}`
  const planFile = join(options.outDir, `${base}.plan.json`)
  const traceFile = options.traceOut ?? join(options.outDir, `${base}.jsonl`)
  for (const dir of new Set([dirname(planFile), dirname(traceFile)])) makeDirectory(dir)
  writeFileAtomic(planFile, `${JSON.stringify({ steps: planToJson(fullPlan(ctx.protocol, spec)) }, null, 2)}\n`, 'the plan file')
  const configFile = spec.config === null ? null : join(options.outDir, `${base}.config.json`)
  if (configFile !== null) writeFileAtomic(configFile, `${JSON.stringify(spec.config, null, 2)}\n`, 'the config file')
  const sink = new FileTraceSink(traceFile)
  try {
    const replay = runOne({ ...ctx, trace: sink }, spec, endUs)
    return { command: reproduceCommand(ctx.protocol, ctx.mutant, spec, endUs, planFile, configFile), planFile, traceFile, traceHash: replay.traceHash }
  } finally {
    sink.abort()
  }
}

/** The `faultline run` line for a spec: the flags run-options.ts turns back into the same options. */
export function reproduceCommand(protocol: AnyProtocol, mutant: string | null, spec: RunSpec, endUs: Micros, planFile: string, configFile: string | null): string {
  const parts = [
    'faultline', 'run', protocol.name, '--seed', formatSeed(spec.seed), '--nodes', String(spec.nodes),
    '--duration', formatDuration(endUs), '--plan', shellQuote(planFile), '--clients', String(spec.clients),
    '--latency', spec.network.latency, '--loss', String(spec.network.loss), '--duplicate', String(spec.network.duplicate),
    '--reorder', String(spec.network.reorder),
  ]
  if (configFile !== null) parts.push('--config', shellQuote(configFile))
  if (mutant !== null) parts.push('--mutant', mutant)
  parts.push('--lose-unsynced')
  // The run then judges its history as the check did: a linearizability failure shows as one.
  if (protocol.historyCheck?.kind === 'linearizable') parts.push('--check-history')
  return parts.join(' ')
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw new InputError(`cannot create the directory '${dir}' for the failing run's files: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}
