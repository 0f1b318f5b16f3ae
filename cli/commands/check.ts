/** `faultline check <protocol>`: property-based runs with shrinking (check/README.md). */
import { Command } from 'commander'
import { checkProtocol, type CheckOptions } from '../../check/check.ts'
import { formatCheckReport } from '../../check/report.ts'
import { formatSeed, parseSeed } from '../../sim/seed.ts'
import { formatDuration, InputError, parseDuration, US_PER_MS } from '../../sim/time.ts'
import { EXIT_FAILED, EXIT_OK } from '../exit.ts'
import { findProtocol, PROTOCOLS } from '../protocols.ts'
import { readJson, wholeNumber } from '../run-options.ts'
import { randomInt } from 'node:crypto'

interface CheckFlags {
  runs?: string
  timeBudget?: string
  seed?: string
  mutant?: string
  workers?: string
  shard?: string
  json?: boolean
  traceOut?: string
  outDir?: string
  nodes?: string
  duration?: string
  config?: string
  shrinkBudget?: string
}

export function checkCommand(out: (text: string) => void, exit: (code: number) => void): Command {
  return new Command('check')
    .summary('property-based checking: generated faulty runs, shrunk failures')
    .description('Generates runs of <protocol> (cluster size, network, a nemesis plan, clients) with fast-check, checks safety invariants after every event, then heals everything and requires the protocol\'s liveness condition, then checks the clients\' history (linearizability or write-loss accounting). A failure is shrunk to a small plan and printed with one command that replays it exactly.')
    .argument('<protocol>', `one of: ${PROTOCOLS.map((p) => p.name).join(', ')}`)
    .option('--runs <n>', 'runs to make (default 200)')
    .option('--time-budget <time>', 'start no new run after this much wall time, like 30s or 5m')
    .option('--seed <seed>', 'the check\'s seed, hex or decimal; random when omitted (and printed)')
    .option('--mutant <name>', 'check a known-buggy variant of the protocol (it should fail)')
    .option('--workers <k>', 'worker threads (default 1); the report is the same for any count')
    .option('--shard <i/n>', 'run only shard i of n of the runs (for CI machines)')
    .option('--nodes <sizes>', 'cluster sizes to draw from, like 3,5 (default 3,5)')
    .option('--duration <time>', 'simulated length of each run\'s fault phase (default 10s)')
    .option('--shrink-budget <time>', 'wall time allowed for shrinking a failure (default 60s)')
    .option('--config <file>', 'the protocol\'s config (JSON), or a JSON list of configs to draw one from per run')
    .option('--trace-out <file>', 'where to save the failing run\'s trace (default .faultline/check-<protocol>-<seed>.jsonl)')
    .option('--out-dir <dir>', 'directory for the failing run\'s plan and trace (default .faultline)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit codes: 0 every run passed, 1 a run failed (shrunk, with a reproduce command), 2 bad input.')
    .action(async (name: string, flags: CheckFlags) => exit(await runCheck(name, flags, out)))
}

async function runCheck(name: string, flags: CheckFlags, out: (text: string) => void): Promise<number> {
  const protocol = findProtocol(name)
  const options = checkOptions(flags)
  const report = await checkProtocol(protocol, options)
  out(flags.json ? JSON.stringify(report, null, 2) : formatCheckReport(report, rerunCommand(name, options.seed!, flags)))
  return report.passed ? EXIT_OK : EXIT_FAILED
}

function checkOptions(flags: CheckFlags): CheckOptions {
  const options: CheckOptions = { seed: flags.seed === undefined ? randomInt(0, 2 ** 32) : parseSeed(flags.seed) }
  if (flags.runs !== undefined) options.runs = wholeNumber(flags.runs, '--runs', 1, 10_000_000)
  if (flags.timeBudget !== undefined) options.timeBudgetMs = parseDuration(flags.timeBudget, '--time-budget') / US_PER_MS
  if (flags.mutant !== undefined) options.mutant = flags.mutant
  if (flags.shrinkBudget !== undefined) options.shrinkBudgetMs = parseDuration(flags.shrinkBudget, '--shrink-budget') / US_PER_MS
  if (flags.workers !== undefined) options.workers = wholeNumber(flags.workers, '--workers', 1, 256)
  if (flags.shard !== undefined) options.shard = parseShard(flags.shard)
  if (flags.traceOut !== undefined) options.traceOut = nonEmpty(flags.traceOut, '--trace-out')
  if (flags.outDir !== undefined) options.outDir = nonEmpty(flags.outDir, '--out-dir')
  const shape: NonNullable<CheckOptions['shape']> = {}
  if (flags.nodes !== undefined) shape.nodes = flags.nodes.split(',').map((part) => wholeNumber(part, '--nodes', 1, 1000))
  if (flags.duration !== undefined) {
    shape.faultUs = parseDuration(flags.duration, '--duration')
    if (shape.faultUs < 2 * US_PER_MS) throw new InputError(`bad --duration '${flags.duration}': expected at least 2ms`)
  }
  if (flags.config !== undefined) shape.configs = configList(readJson(flags.config, '--config'))
  options.shape = shape
  return options
}

function configList(json: unknown): Array<Record<string, unknown>> {
  const list = Array.isArray(json) ? json : [json]
  if (list.length === 0 || list.some((c) => typeof c !== 'object' || c === null || Array.isArray(c))) {
    throw new InputError('bad --config: expected a JSON object (a config) or a non-empty list of them')
  }
  return list as Array<Record<string, unknown>>
}

function parseShard(text: string) {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = m ? Number(m[1]) : Number.NaN
  const count = m ? Number(m[2]) : Number.NaN
  if (!(index >= 1 && count >= 1 && index <= count && count <= 1_000_000)) throw new InputError(`bad --shard '${text}': expected i/n with 1 <= i <= n, like 2/4`)
  return { index, count }
}

function nonEmpty(text: string, flag: string): string {
  if (text.trim() === '') throw new InputError(`${flag} needs a name`)
  return text
}

/** The line that re-runs this check (same seed, same runs). */
function rerunCommand(name: string, seed: number, flags: CheckFlags): string {
  const parts = ['faultline', 'check', name, '--seed', formatSeed(seed)]
  const pairs: Array<[string, string | undefined]> = [
    ['--runs', flags.runs], ['--mutant', flags.mutant], ['--shard', flags.shard], ['--nodes', flags.nodes], ['--config', flags.config],
    ['--duration', flags.duration === undefined ? undefined : formatDuration(parseDuration(flags.duration))],
  ]
  for (const [flag, value] of pairs) if (value !== undefined) parts.push(flag, value)
  return parts.join(' ')
}
