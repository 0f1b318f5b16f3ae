/**
 * `faultline scenario list|run`: the narrated scenarios of scenarios/ (one per claim in
 * CLAIMS.md), run as text with each expectation's outcome, watched in the viewer with their
 * captions, or saved as a trace.
 */
import { Command } from 'commander'
import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { InputError } from '../../sim/time.ts'
import { FileTraceSink, MemoryTraceSink } from '../../sim/trace/writer.ts'
import { catalog, findScenario, type CatalogEntry } from '../../scenarios/catalog.ts'
import { narrate } from '../../scenarios/narrate.ts'
import { PROTOCOL_TITLES } from '../../scenarios/protocols.ts'
import { loadScenarioFile, reproduceCommand, runScenario, traceVariant, type Scenario, type ScenarioRun, type VariantRun } from '../../scenarios/run.ts'
import { wholeNumber } from '../run-options.ts'
import { EXIT_FAILED, EXIT_OK } from '../exit.ts'
import { isInteractive, viewRunTrace } from './replay.ts'
import { comparisonSummary, loadComparisonFile, runComparison } from '../../scenarios/compare/compare.ts'

interface RunFlags {
  tui?: boolean
  frames?: string
  width?: string
  height?: string
  trace?: string
  variant?: string
  all?: boolean
  json?: boolean
}

export function scenarioCommand(out: (text: string) => void, exit: (code: number) => void): Command {
  const cmd = new Command('scenario').summary('list or run the narrated scenarios (each claim of CLAIMS.md, runnable)')
  cmd
    .command('list')
    .description('List the scenarios: name, protocol, claims and a one-line summary.')
    .option('--json', 'print the list as JSON')
    .action((flags: { json?: boolean }) => {
      out(listText(flags.json === true))
      exit(EXIT_OK)
    })
  cmd
    .command('run')
    .description('Run a scenario by name (or a scenario file): its story, a timeline with captions among the key events, and each expectation with what the run showed. Exit 1 if an expectation fails, a caption never finds its moment, or the file names something no run has (a typo guard).')
    .argument('<name>', 'a scenario name from `faultline scenario list`, or a path to a scenario file')
    .option('--tui', 'then watch the run in the viewer, captions shown (text frames when stdout is not a terminal)')
    .option('--frames <spec>', 'then print text frames of these moments: captions (each caption\'s event), 1.5s, #1234, start, end, violation, every:500ms')
    .option('--width <columns>', 'frame width for text frames (default: the terminal\'s)')
    .option('--height <rows>', 'frame height for text frames')
    .option('--trace <file>', 'write the trace to this file, whole or not at all (faultline replay / verify read it)')
    .option('--variant <label>', 'for --tui, --frames and --trace: which variant (its label or number; default the first)')
    .option('--all', 'narrate every key event, not only the first 60 of each run')
    .option('--json', 'print the outcome as JSON instead of text')
    .action(async (name: string, flags: RunFlags) => exit(await runOne(name, flags, out)))
  return cmd
}

function listText(json: boolean): string {
  const rows = catalog().map(describe)
  if (json) return JSON.stringify(rows, null, 2)
  const width = Math.max(...rows.map((r) => r.name.length), 4)
  return rows.map((r) => `${r.name.padEnd(width)}  ${r.protocols.map((p) => PROTOCOL_TITLES[p] ?? p).join(' / ').padEnd(15)}  ${(r.claims.length > 0 ? `#${r.claims.join(',')}` : '').padEnd(6)}  ${r.summary}`).join('\n')
}

function describe(entry: CatalogEntry): { name: string; protocols: string[]; claims: number[]; summary: string } {
  if (entry.kind === 'comparison') return comparisonSummary(loadComparisonFile(entry.path))
  const s = loadScenarioFile(entry.path)
  return { name: s.name, protocols: [s.protocol], claims: s.claims, summary: s.summary }
}

async function runOne(name: string, flags: RunFlags, out: (text: string) => void): Promise<number> {
  const entry = findScenario(name)
  if (entry.kind === 'comparison') {
    if (flags.tui || flags.frames || flags.trace || flags.variant || flags.json || flags.all) throw new InputError(`${entry.name} is a comparison: --tui, --frames, --trace, --variant, --json and --all apply to its scenarios (run them by name)`)
    const { output, ok } = runComparison(loadComparisonFile(entry.path))
    out(output)
    return ok ? EXIT_OK : EXIT_FAILED
  }
  const scenario = loadScenarioFile(entry.path)
  checkOutputFlags(flags, entry.path)
  const run = runScenario(scenario)
  const reproduce = reproduceCommand(scenario, name.includes('/') || name.endsWith('.json'))
  const chosen = pickVariant(run, flags.variant)
  const report = flags.json ? JSON.stringify(jsonReport(run), null, 2) : narrate(run, { reproduce, all: flags.all === true })
  const watching = flags.tui === true && flags.frames === undefined && isInteractive()
  // Frames are made before anything is printed, so a bad --frames spec is one line and exit 2.
  const frames = !watching && (flags.tui || flags.frames !== undefined) ? await framesOf(scenario, chosen, reproduce, flags) : null
  out(report)
  if (flags.trace !== undefined) {
    traceVariant(scenario, chosen, new FileTraceSink(flags.trace))
    out(`trace written to ${flags.trace}${scenario.hasVariants ? ` (variant '${chosen.variant.label}')` : ''}`)
  }
  if (frames !== null) out(frames)
  if (watching) await viewRunTrace(traceText(scenario, chosen), reproduce, {}, out)
  return run.ok ? EXIT_OK : EXIT_FAILED
}

/** What can be checked before the run: frame sizes, and that a trace file can be written where asked. */
function checkOutputFlags(flags: RunFlags, scenarioPath: string): void {
  if (flags.width !== undefined) wholeNumber(flags.width, '--width', 1, 1000)
  if (flags.height !== undefined) wholeNumber(flags.height, '--height', 1, 1000)
  if (flags.trace === undefined) return
  if (resolve(flags.trace) === resolve(scenarioPath)) throw new InputError('--trace would overwrite the scenario file itself')
  const dir = dirname(resolve(flags.trace))
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--trace ${flags.trace}: no directory ${dir}`)
}

function traceText(scenario: Scenario, chosen: VariantRun): string {
  const sink = new MemoryTraceSink()
  traceVariant(scenario, chosen, sink)
  return sink.text()
}

/** Text frames of the variant (at its captions unless --frames says otherwise). */
async function framesOf(scenario: Scenario, chosen: VariantRun, reproduce: string, flags: RunFlags): Promise<string> {
  let text = ''
  await viewRunTrace(traceText(scenario, chosen), reproduce, { frames: flags.frames ?? 'captions,end', width: flags.width, height: flags.height }, (t) => void (text += t.endsWith('\n') ? t : `${t}\n`))
  return text
}

function pickVariant(run: ScenarioRun, wanted: string | undefined): VariantRun {
  if (wanted === undefined) return run.variants[0]!
  const byNumber = /^\d+$/.test(wanted) ? run.variants[Number(wanted) - 1] : undefined
  const found = byNumber ?? run.variants.find((v) => v.variant.label === wanted)
  if (found) return found
  throw new InputError(`no variant '${wanted}' in ${run.scenario.name} (variants: ${run.variants.map((v, i) => `${i + 1} '${v.variant.label}'`).join(', ')})`)
}

function jsonReport(run: ScenarioRun) {
  const s = run.scenario
  return {
    name: s.name, protocol: s.protocol, claims: s.claims, seed: `0x${s.seed.toString(16)}`, ok: run.ok,
    variants: run.variants.map((v) => ({
      label: v.variant.label, mutant: v.variant.mutant, ok: v.ok, traceHash: v.result.traceHash,
      violation: v.result.violation === null ? null : { invariant: v.result.violation.invariant, message: v.result.violation.message },
      expectations: v.expectations, captions: v.captions,
    })),
  }
}
