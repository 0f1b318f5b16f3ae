/** `faultline run <protocol>`: one seeded run, a summary, and the line that reproduces it. */
import { statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { InputError } from '../../sim/time.ts'
import { Command, Option } from 'commander'
import { Simulation } from '../../sim/engine.ts'
import { PRESETS } from '../../sim/nemesis/presets.ts'
import { FileTraceSink, HashTraceSink, MemoryTraceSink } from '../../sim/trace/writer.ts'
import { historyToJsonl } from '../../sim/clients/history.ts'
import { EXIT_FAILED, EXIT_OK } from '../exit.ts'
import { writeFileAtomic } from '../write-file.ts'
import { findProtocol, PROTOCOLS } from '../protocols.ts'
import { DEFAULT_DURATION, DEFAULT_NODES, planRun, reproduceCommand, type RunFlags } from '../run-options.ts'
import { formatSummary, isOk, reportJson, runOk } from '../summary.ts'
import { isInteractive, viewRunTrace, watchRun } from './replay.ts'
import { LiveTraceSink } from '../../tui/live.ts'
import { judgeHistory } from '../../check/run-one.ts'
import type { AnyProtocol } from '../../sim/protocol.ts'
import type { RunResult } from '../../sim/result.ts'
import type { HistoryVerdict } from '../summary.ts'

interface RunCommandFlags extends RunFlags {
  trace?: string
  history?: string
  json?: boolean
  tui?: boolean
  frames?: string
}

/** What a run hands the viewer (`--tui`, `--frames`): its trace, kept in memory, and its reproduction line. */
interface ForViewer {
  trace?: string
  reproduce?: string
}

export function runCommand(out: (text: string) => void, exit: (code: number) => void): Command {
  return addRunFlags(new Command('run'))
    .summary('run a protocol once under a seed and a fault plan')
    .description('Runs <protocol> in simulated time under a seeded network and nemesis, checks its safety invariants after every event, and prints a summary with the command that reproduces the run exactly.')
    .argument('<protocol>', `one of: ${PROTOCOLS.map((p) => p.name).join(', ')}`)
    .option('--trace <file>', 'write the trace (JSON Lines) to this file, whole or not at all')
    .option('--history <file>', 'write the clients\' history (JSON Lines: invoke, ok, fail, info) to this file')
    .option('--json', 'print the report as JSON instead of text')
    .option('--tui', 'watch the run in the viewer as it is made (text frames after it when stdout is not a terminal)')
    .option('--frames <spec>', 'then print text frames of these moments of the run: 1.5s, #1234, start, end, violation, interesting, every:500ms')
    .addHelpText('after', presetHelp())
    .action(async (name: string, flags: RunCommandFlags) => {
      const forViewer: ForViewer = {}
      exit(await runOnce(name, flags, out, forViewer))
      if (forViewer.trace !== undefined) await viewRunTrace(forViewer.trace, forViewer.reproduce!, { frames: flags.frames }, out)
    })
}

/** The flags that shape a run; shared with commands that run protocols. */
export function addRunFlags(cmd: Command): Command {
  return cmd
    .option('--seed <seed>', 'the run\'s seed, hex (0x2a) or decimal; random when omitted (and printed)')
    .option('--nodes <n>', `cluster size (default ${DEFAULT_NODES})`)
    .option('--duration <time>', `simulated time to run, like 500ms, 10s, 2m (default ${DEFAULT_DURATION})`)
    .addOption(new Option('--plan <file>', 'a nemesis plan file (JSON) of timed faults').conflicts('nemesis'))
    .option('--nemesis <name>', `a named fault preset (default none): ${Object.keys(PRESETS).join(', ')}`)
    .option('--clients <n>', 'simulated clients issuing operations (default: the protocol\'s)')
    .option('--mix <ops>', 'operation weights, like get:2,put:1')
    .option('--latency <spec>', 'message latency: fixed:1ms, uniform:1ms..5ms, exp:2ms, longtail:1ms..50ms')
    .option('--loss <p>', 'probability that a message is lost')
    .option('--duplicate <p>', 'probability that a message is delivered twice')
    .option('--reorder <p>', 'probability that a message is held back so later ones overtake it')
    .option('--network <file>', 'a network config file (JSON), with per-link overrides')
    .option('--config <file>', 'the protocol\'s config (JSON)')
    .option('--mutant <name>', 'run a known-buggy variant of the protocol')
    .option('--lose-unsynced', 'a crash loses durable writes not yet synced')
    .option('--max-events <n>', 'event budget: stop with a report past this many events')
    .option('--no-invariants', 'do not check safety invariants')
    .option('--check-history', 'then check the clients\' history as `faultline check` does (linearizability, for protocols that promise it): exit 1 if not linearizable')
}

async function runOnce(name: string, flags: RunCommandFlags, out: (text: string) => void, forViewer: ForViewer): Promise<number> {
  const protocol = findProtocol(name)
  checkOutputs(flags)
  const model = flags.checkHistory ? historyModel(protocol) : null
  const plan = planRun(protocol, flags)
  // On a terminal, --tui watches the run as it is made; otherwise the run is viewed (or framed) after.
  const live = flags.tui === true && flags.frames === undefined && isInteractive()
  const viewing = !live && (flags.tui === true || flags.frames !== undefined)
  const sink = live ? new LiveTraceSink() : viewing ? new MemoryTraceSink() : flags.trace ? new FileTraceSink(flags.trace) : new HashTraceSink()
  try {
    const startMs = performance.now()
    const sim = new Simulation({ ...plan.options, trace: sink })
    const engineMs = live ? await watchRun(sim, plan.durationUs, sink as LiveTraceSink, reproduceCommand('run', name, plan.seed, flags)) : undefined
    if (!live) sim.run({ untilUs: plan.durationUs })
    const result = sim.finish()
    if (flags.history) writeFileAtomic(flags.history, historyToJsonl(result.history), 'the history')
    if (sink instanceof MemoryTraceSink) {
      const text = sink.text()
      if (viewing) forViewer.trace = text
      if (flags.trace) writeFileAtomic(flags.trace, text, 'the trace')
    }
    const history = model === null ? undefined : checkRunHistory(model, result)
    const report = {
      result, history, durationUs: plan.durationUs, nodes: sim.nodeIds.length, faults: plan.faults,
      planSteps: plan.options.plan?.length ?? 0, wallMs: engineMs ?? performance.now() - startMs,
      traceFile: flags.trace ?? null, reproduce: reproduceCommand('run', name, plan.seed, flags),
    }
    forViewer.reproduce = report.reproduce
    out(flags.json ? JSON.stringify(reportJson(report), null, 2) : formatSummary(report))
    return runOk(report) ? EXIT_OK : EXIT_FAILED
  } finally {
    // Whatever went wrong (bad options found late, an internal error), no half-written trace stays.
    sink.abort()
  }
}

/** The model `--check-history` checks against; bad input (before the run) for a protocol that promises none. */
function historyModel(protocol: AnyProtocol): string {
  const check = protocol.historyCheck
  if (check?.kind !== 'linearizable') throw new InputError(`--check-history: ${protocol.name} promises no linearizable history${check?.kind === 'write-loss' ? ' (its lost writes are reported in every run)' : ''}`)
  return check.model
}

/**
 * The verdict `faultline check` gives a run's history, so its reproduce line shows the same
 * failure; as in the check, only for a run that broke nothing else (undefined then).
 */
function checkRunHistory(model: string, result: RunResult): HistoryVerdict | undefined {
  if (!isOk(result)) return undefined
  const r = judgeHistory(model, result.history)
  return { model, verdict: r.verdict, explanation: r.explanation }
}

/**
 * Output files are checked before the run: a run of minutes should not end in "cannot write",
 * and an output must never overwrite an input or the other output.
 */
function checkOutputs(flags: RunCommandFlags): void {
  const outputs = [['--trace', flags.trace], ['--history', flags.history]] as const
  const inputs = [flags.plan, flags.network, flags.config].filter((p): p is string => p !== undefined).map((p) => resolve(p))
  const seen = new Map<string, string>()
  for (const [flag, path] of outputs) {
    if (path === undefined) continue
    if (path.trim() === '') throw new InputError(`${flag} needs a file name`)
    const full = resolve(path)
    if (inputs.includes(full)) throw new InputError(`${flag} ${path} is also an input of this run: it would be overwritten`)
    const other = seen.get(full)
    if (other !== undefined) throw new InputError(`${flag} and ${other} name the same file ${path}`)
    seen.set(full, flag)
    if (!isDirectory(dirname(full))) throw new InputError(`${flag} ${path}: no such directory ${dirname(full)}`)
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function presetHelp(): string {
  const rows = Object.entries(PRESETS).map(([name, p]) => `  ${name.padEnd(18)} ${p.description}`)
  return `\nNemesis presets (--nemesis):\n${rows.join('\n')}\n\nExit codes: 0 ok, 1 invariant violated or node error or budget exhausted, 2 bad input.`
}
