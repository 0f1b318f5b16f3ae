/**
 * The viewer's figures for `npm run bench`: open a trace of a million events (read, check,
 * index the checkpoints and the interesting events), seek to random points (the cluster's
 * state, and a whole rendered screen), and the memory it takes; for pingpong, and for Raft
 * once it is registered. Targets from issue 7:
 * open in 3 s or less, each seek in 100 ms or less, memory under 1 GB.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PROTOCOLS } from '../cli/protocols.ts'
import { pingpong } from '../sim/builtin/pingpong.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { Simulation } from '../sim/engine.ts'
import { presetPlan } from '../sim/nemesis/presets.ts'
import { defaultNetworkConfig } from '../sim/network/config.ts'
import { RandomStream } from '../sim/random.ts'
import { US_PER_S } from '../sim/time.ts'
import { FileTraceSink } from '../sim/trace/writer.ts'
import { screen } from '../tui/layout.ts'
import { initialState } from '../tui/model.ts'
import { NO_FILTER } from '../tui/panes/events.ts'
import { findMatch } from '../tui/search.ts'
import { Session } from '../tui/session.ts'

export interface TuiFigures {
  events: number
  fileMB: number
  openMs: number
  /** CPU time of the open (user + system): on a shared machine, the wall time also counts the neighbours. */
  openCpuMs: number
  seekMedianMs: number
  seekMaxMs: number
  renderMedianMs: number
  renderMaxMs: number
  /** A search of the whole event log with no match: first while the search index is built, then over the built index. */
  searchColdMs: number
  searchWarmMs: number
  peakRssMB: number
}

/** A run of `protocol` under the chaos preset, traced to a file, stopped once the trace holds `events` events. */
export function writeTrace(file: string, events: number, protocol: AnyProtocol = pingpong): void {
  const seed = 0x7e1
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5']
  const plan = presetPlan('chaos', { nodes, durationUs: 600 * US_PER_S, rng: RandomStream.root(seed).fork('plan') })
  const sink = new FileTraceSink(file)
  const sim = new Simulation({
    protocol, seed, nodes: nodes.length, plan, trace: sink, workload: { clients: 3 }, recordHistory: false,
    network: { ...defaultNetworkConfig(), loss: 0.02, duplicate: 0.01 }, maxEvents: Number.MAX_SAFE_INTEGER,
  })
  // The trace has more lines than the engine has events (views, sends): stop on the trace's count.
  while (sim.traceEventCount < events) sim.run({ maxEvents: 20_000 })
  sim.finish()
}

/** Opens the trace and seeks in it; run in a fresh process so its peak memory is the viewer's alone. */
export function tuiFigures(file: string, seeks: number): TuiFigures {
  const openStart = performance.now()
  const cpuStart = process.cpuUsage()
  const session = Session.open(file, { source: 'bench' })
  const openMs = performance.now() - openStart
  const cpu = process.cpuUsage(cpuStart)
  const openCpuMs = (cpu.user + cpu.system) / 1000
  const rng = RandomStream.root(0xbe9c)
  const seekMs: number[] = []
  const renderMs: number[] = []
  const state = initialState(session)
  for (let k = 0; k < seeks; k++) {
    const index = rng.int(0, session.length - 1)
    const t0 = performance.now()
    session.stateAt(index)
    seekMs.push(performance.now() - t0)
    const t1 = performance.now()
    screen(session, { ...state, index: rng.int(0, session.length - 1) }, 120, 40)
    renderMs.push(performance.now() - t1)
  }
  // A text no log line holds: the search goes through every event, as a search for a rare thing does.
  const search = (): number => {
    const t0 = performance.now()
    findMatch(session, { ...NO_FILTER, search: 'no such text' }, -1, 1, session.length)
    return performance.now() - t0
  }
  const searchColdMs = search()
  const searchWarmMs = search()
  return {
    searchColdMs, searchWarmMs,
    events: session.length, fileMB: statSync(file).size / 2 ** 20, openMs, openCpuMs,
    seekMedianMs: median(seekMs), seekMaxMs: Math.max(...seekMs), renderMedianMs: median(renderMs), renderMaxMs: Math.max(...renderMs),
    // maxRSS is the process's peak in kilobytes: the open, the seeks and the runtime itself.
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

function measureInChild(file: string, seeks: number): TuiFigures {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), file, String(seeks)], { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (r.status !== 0) throw new Error(`the viewer bench process failed: ${r.stderr.trim().split('\n').at(-1) ?? r.status}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as TuiFigures
}

/** The viewer on pingpong's trace, and on Raft's when Raft is registered (bigger views: its log's terms in every view). */
export function printTuiBench(quick: boolean): void {
  const raft = PROTOCOLS.find((p) => p.name === 'raft')
  for (const protocol of raft === undefined ? [pingpong] : [pingpong, raft]) printFigures(protocol, quick)
}

function printFigures(protocol: AnyProtocol, quick: boolean): void {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-tui-bench-'))
  const file = join(dir, 'bench.trace.jsonl')
  let f: TuiFigures
  try {
    writeTrace(file, quick ? 200_000 : 1_000_000, protocol)
    f = measureInChild(file, quick ? 50 : 200)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const ms = (x: number) => `${x.toFixed(1)} ms`
  const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES')
  console.log(`\nviewer (${protocol.name}, 5 nodes, chaos faults, 3 clients; trace of ${f.events.toLocaleString('en-US')} events, ${f.fileMB.toFixed(0)} MB)`)
  console.log(`  open (read, check, index)           ${ms(f.openMs).padStart(12)}  (target ≤ 3000 ms: ${verdict(f.openMs <= 3000)}; CPU ${ms(f.openCpuMs)})`)
  console.log(`  seek to a random event (median/max) ${ms(f.seekMedianMs).padStart(12)} / ${ms(f.seekMaxMs)}  (target ≤ 100 ms: ${verdict(f.seekMaxMs <= 100)})`)
  console.log(`  seek + render a 120x40 screen       ${ms(f.renderMedianMs).padStart(12)} / ${ms(f.renderMaxMs)}`)
  console.log(`  search the whole log, first / again   ${ms(f.searchColdMs).padStart(12)} / ${ms(f.searchWarmMs)}  (the first builds the search index, which the viewer also builds while idle)`)
  console.log(`  peak resident memory (own process)  ${`${f.peakRssMB.toFixed(0)} MB`.padStart(12)}  (target < 1024 MB: ${verdict(f.peakRssMB < 1024)})`)
}

// Run as a script (by measureInChild): open the trace named on the command line, print the figures as JSON.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(tuiFigures(process.argv[2]!, Number(process.argv[3]))))
}
