/**
 * Checker benchmarks (`npm run bench`): check throughput per core, the time to catch each
 * mutant of each registered protocol with default settings, and the linearizability checker
 * over the Jepsen etcd histories. Printed, never asserted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { checkProtocol } from '../check/check.ts'
import { DEFAULT_HISTORY_BUDGET_MS } from '../check/run-one.ts'
import { contextFor, evaluateRun, specFor, type RunTask } from '../check/evaluate.ts'
import { newPhaseTimes, PHASE_NAMES, PHASES } from '../check/phases.ts'
import { networkOf, simulationOptions } from '../check/run-one.ts'
import { DEFAULT_SHAPE } from '../check/run-spec.ts'
import { resolveOptions } from '../sim/options.ts'
import { checkLinearizable, findModel, operationsFromHistory, parseJepsenLog } from '../check/linearizability/index.ts'
import { PROTOCOLS } from '../cli/protocols.ts'
import type { AnyProtocol } from '../sim/protocol.ts'

const JEPSEN_DIR = process.env.FAULTLINE_JEPSEN_DIR ?? join(import.meta.dirname, '..', 'check', 'testdata', 'jepsen-etcd')
const SAMPLE_DIR = join(import.meta.dirname, '..', 'check', 'testdata', 'jepsen-etcd')

export async function checkBench(quick: boolean): Promise<void> {
  console.log('\ncheck (faultline check, default settings, one thread)')
  await checkThroughput(quick)
  await mutantCatchTimes(quick)
  linearizability()
}

/** Runs per second of one thread, and where a run's time goes. */
export async function checkThroughput(quick: boolean): Promise<void> {
  const raft = PROTOCOLS.find((p) => p.name === 'raft')
  const protocol = raft ?? PROTOCOLS.find((p) => p.name === 'pingpong')!
  const runs = quick ? 20 : 100
  const shape = { nodes: [5] }
  // Some runs first, so the figure is not the JIT's warm-up.
  await checkProtocol(protocol, { runs: 20, seed: 99, outDir: null, shape })
  let best = { wall: 0, cpu: 0, events: 0, runs: 0, passed: true }
  for (let round = 0; round < 3; round++) {
    const cpuBefore = process.cpuUsage()
    const report = await checkProtocol(protocol, { runs, seed: 1, outDir: null, shape })
    const cpu = process.cpuUsage(cpuBefore)
    const wall = report.runs / (report.wallMs / 1000)
    if (wall > best.wall) best = { wall, cpu: report.runs / ((cpu.user + cpu.system) / 1e6), events: report.events, runs: report.runs, passed: report.passed }
  }
  const note = raft ? '' : ' (raft is not registered yet: pingpong instead)'
  console.log(`  throughput: ${protocol.name}, 5 nodes, 10s of faults + liveness phase${note}, best of 3`)
  console.log(`    ${best.wall.toFixed(1).padStart(8)} runs/s per core over ${best.runs} runs, ${best.cpu.toFixed(1)} per CPU second of the process (${Math.round(best.events / best.runs).toLocaleString('en-US')} events a run; target 200: ${best.wall >= 200 ? 'meets' : 'BELOW'})${best.passed ? '' : ' [a run FAILED]'}`)
  phaseBreakdown(protocol, runs)
}

/** Where one thread's time goes, run by run as checkProtocol makes them (check/phases.ts), the best of 3 per phase. */
function phaseBreakdown(protocol: AnyProtocol, runs: number): void {
  const shape = { ...DEFAULT_SHAPE, nodes: [5] }
  const task = (index: number): RunTask => ({ seed: 1, index, mutant: null, shape, historyBudgetMs: DEFAULT_HISTORY_BUDGET_MS })
  const best = newPhaseTimes()
  let bestValidationMs = Infinity
  for (let round = 0; round < 3; round++) {
    const times = newPhaseTimes()
    for (let i = 0; i < runs; i++) evaluateRun(protocol, task(i), times)
    for (const phase of PHASES) best[phase] = round === 0 ? times[phase] : Math.min(best[phase], times[phase])
    bestValidationMs = Math.min(bestValidationMs, validationMs(protocol, runs, task))
  }
  const totalMs = PHASES.reduce((sum, phase) => sum + best[phase], 0)
  const row = (label: string, ms: number) => console.log(`    ${(ms / runs).toFixed(3).padStart(8)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${label}`)
  console.log(`  where a run's time goes (${protocol.name}, 5 nodes, ${runs} runs, wall ms a run; ${(totalMs / runs).toFixed(2)} ms in all):`)
  for (const phase of PHASES) {
    row(PHASE_NAMES[phase], best[phase])
    if (phase === 'setup') row('  of which the plan and config validation (resolveOptions, timed apart)', bestValidationMs)
  }
}

/**
 * The engine's validation of the runs' options alone (sim/options.ts resolveOptions), as the
 * check asks for it: a generated plan goes in as canonical, so only a tactic's steps go
 * through the plan's schemas.
 */
function validationMs(protocol: AnyProtocol, runs: number, task: (index: number) => RunTask): number {
  let ms = 0
  for (let i = 0; i < runs; i++) {
    const t = task(i)
    const spec = specFor(protocol, t)
    const startMs = performance.now()
    resolveOptions({ ...simulationOptions({ ...contextFor(protocol, t), generated: true }, spec, spec.faultUs), network: networkOf(spec) })
    ms += performance.now() - startMs
  }
  return ms
}

async function mutantCatchTimes(quick: boolean): Promise<void> {
  const seeds = quick ? [1] : [1, 2, 3]
  const budgetMs = quick ? 15_000 : 60_000
  console.log(`  time to catch each mutant (seeds ${seeds.join(', ')}; default settings, 200 runs, at most ${budgetMs / 1000}s a seed; wall time includes shrinking; targets: each < 60s, median < 10s, <= 10 steps)`)
  for (const protocol of PROTOCOLS) {
    for (const mutant of protocol.mutants ?? []) await catchTimes(protocol, mutant.name, seeds, budgetMs)
  }
}

/** Stops at the first seed that misses: a mutant not caught within the budget is a miss, whatever the other seeds do. */
async function catchTimes(protocol: AnyProtocol, mutant: string, seeds: number[], budgetMs: number): Promise<void> {
  const times: number[] = []
  const steps: number[] = []
  const runs: number[] = []
  let missed = 0
  for (const seed of seeds) {
    const report = await checkProtocol(protocol, { seed, mutant, outDir: null, timeBudgetMs: budgetMs })
    if (report.passed) {
      missed = seed
      break
    }
    times.push(report.wallMs / 1000)
    steps.push(report.failure!.steps.length)
    runs.push(report.runs)
  }
  const label = `${protocol.name} ${mutant}`.padEnd(36)
  if (missed !== 0) {
    console.log(`    ${label} NOT CAUGHT with seed ${missed} (within 200 runs and ${budgetMs / 1000}s)${times.length > 0 ? `; caught with ${times.length} seed(s) before` : ''}`)
    return
  }
  const verdict = Math.max(...times) < 60 && median(times) < 10 && Math.max(...steps) <= 10 ? 'meets' : 'BELOW'
  console.log(`    ${label} median ${median(times).toFixed(1)}s, max ${Math.max(...times).toFixed(1)}s, at run ${runs.join('/')}, shrunk to ${steps.join('/')} steps (${verdict})`)
}

function linearizability(): void {
  const verdicts = join(JEPSEN_DIR, 'verdicts.json')
  const names = existsSync(verdicts) ? Object.keys(JSON.parse(readFileSync(verdicts, 'utf8')) as object).filter((n) => existsSync(join(JEPSEN_DIR, n))) : []
  const [dir, files, note] = names.length > 0 ? [JEPSEN_DIR, names, ''] : [SAMPLE_DIR, readdirSync(SAMPLE_DIR).filter((n) => n.endsWith('.log')), ` (no Jepsen logs in ${JEPSEN_DIR}: the in-repo sample only)`]
  const histories = files.map((name) => operationsFromHistory(parseJepsenLog(readFileSync(join(dir, name), 'utf8'), name)))
  const register = findModel('register')
  let best = Infinity
  let verdictCounts = ''
  for (let round = 0; round < 3; round++) {
    const start = performance.now()
    const results = histories.map((ops) => checkLinearizable(register, ops).verdict)
    best = Math.min(best, performance.now() - start)
    verdictCounts = ['linearizable', 'not-linearizable', 'unknown'].map((v) => `${results.filter((r) => r === v).length} ${v}`).join(', ')
  }
  console.log(`  linearizability: ${files.length} Jepsen etcd histories${note}`)
  console.log(`    ${(best / 1000).toFixed(3).padStart(8)} s total, best of 3 (${verdictCounts}; Porcupine ~1.5 s for all 102: ${files.length >= 100 ? (best <= 1500 ? 'meets' : 'BELOW') : 'not comparable'})`)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
