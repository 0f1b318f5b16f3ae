/**
 * `npm run bench`: prints speed and memory figures with their ratios and targets.
 * Nothing here fails a build; read the numbers.
 *
 *   npm run bench -- --quick               fewer events and runs
 *   npm run bench -- --only raft,check     some sections: engine, check, tui, zab, redis-cluster, raft
 */
import { engineRate, floorRate, memoryOverRun, tracedRate } from './engine.ts'
import { checkBench } from './check.ts'
import { printTuiBench } from './tui.ts'
import { printZabBench } from './zab.ts'
import { printRedisClusterBench } from './redis-cluster.ts'
import { printRaftBench } from './raft.ts'
import { bestOf } from './best.ts'

const quick = process.argv.includes('--quick')
const SECTIONS = ['engine', 'check', 'tui', 'zab', 'redis-cluster', 'raft'] as const
const only = onlySections(process.argv)
const wanted = (section: (typeof SECTIONS)[number]) => only === null || only.includes(section)

/** `--only a,b`: the sections to run; an unknown name is one line on stderr and exit 2. */
function onlySections(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--only')
  if (at < 0) return null
  const names = (argv[at + 1] ?? '').split(',').filter((name) => name !== '')
  const unknown = names.find((name) => !(SECTIONS as readonly string[]).includes(name))
  if (names.length === 0 || unknown !== undefined) {
    process.stderr.write(`bench: bad --only '${argv[at + 1] ?? ''}': expected a comma-separated list of ${SECTIONS.join(', ')}\n`)
    process.exit(2)
  }
  return names
}
const EVENTS = quick ? 300_000 : 3_000_000
const LONG_RUN = quick ? 1_000_000 : 10_000_000

const n = (x: number) => Math.round(x).toLocaleString('en-US')
const pct = (x: number) => `${(100 * x).toFixed(0)}%`

function main(): void {
  const engine = bestOf(() => engineRate(EVENTS, null))
  const unfrozen = bestOf(() => engineRate(EVENTS, null, false))
  const floor = bestOf(() => floorRate(EVENTS, engine.queueDepth))
  const traced = bestOf(() => tracedRate(EVENTS))
  console.log('engine (pingpong, 5 nodes, 5% loss, 1% duplicates, 5% reorder)')
  console.log(`  floor: bare heap loop, depth ${engine.queueDepth}   ${n(floor.perSecond).padStart(12)} events/s`)
  row('engine, no trace', engine.perSecond, floor.perSecond, 0.4)
  row('engine, no trace, messages not frozen', unfrozen.perSecond, floor.perSecond, 0.4)
  row('engine, trace to file', traced.perSecond, floor.perSecond, 0.25)
  console.log(`  trace size: ${(traced.bytes / traced.events).toFixed(0)} bytes/event`)
  const memory = memoryOverRun(LONG_RUN, LONG_RUN / 10)
  const first = memory[0]!
  const last = memory.at(-1)!
  const growth = last - first
  console.log(`\nmemory over ${n(LONG_RUN)} events, 5 clients, chaos faults, trace hashed (heap MB every ${n(LONG_RUN / 10)}): ${memory.map((m) => m.toFixed(1)).join(' ')}`)
  console.log(`  growth first->last ${growth.toFixed(1)} MB: ${Math.abs(growth) < 20 ? 'flat' : 'GROWING'}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact samples)'}`)
}


function row(label: string, perSecond: number, floor: number, target: number): void {
  const ratio = perSecond / floor
  const verdict = ratio >= target ? 'meets' : 'BELOW'
  console.log(`  ${label.padEnd(36)} ${n(perSecond).padStart(12)} events/s  ${pct(ratio).padStart(4)} of floor (target ${pct(target)}: ${verdict})`)
}

console.log(`faultline bench (node ${process.version}${quick ? ', --quick' : ''}; each figure the best of 3 runs)\n`)
if (wanted('engine')) main()
if (wanted('check')) await checkBench(quick)
if (wanted('tui')) printTuiBench(quick)
if (wanted('zab')) printZabBench(quick)
if (wanted('redis-cluster')) printRedisClusterBench(quick)
if (wanted('raft')) printRaftBench(quick)
