/**
 * Raft's speed: a 5-node cluster serving 100 client operations per simulated second (10
 * clients, 100 ms mean think time) under the crash-restart and isolate-leader faults, with
 * the safety invariants checked after every event and without. Figures are printed, never
 * asserted; each is the best of 3 runs on this shared machine.
 */
import { performance } from 'node:perf_hooks'
import { Simulation } from '../sim/engine.ts'
import { presetPlan } from '../sim/nemesis/presets.ts'
import { defaultNodeIds } from '../sim/options.ts'
import { RandomStream } from '../sim/random.ts'
import { US_PER_MS, US_PER_S } from '../sim/time.ts'
import { raft } from '../protocols/raft/index.ts'

export const RAFT_TARGET_EVENTS_PER_S = 500_000

export interface RaftRate {
  events: number
  perSecond: number
  simSecondsPerWallSecond: number
  okOps: number
}

/** One measured run of `simSeconds` (after a 2 s warm-up that elects the first leader). */
export function raftRate(simSeconds: number, invariants: boolean, seed = 1): RaftRate {
  const nodes = defaultNodeIds(5)
  const durationUs = (simSeconds + 2) * US_PER_S
  const rng = RandomStream.root(seed).fork('plan')
  const plan = [...presetPlan('crash-restart', { nodes, durationUs, rng }), ...presetPlan('isolate-leader', { nodes, durationUs, rng })].sort((a, b) => a.at - b.at)
  const sim = new Simulation({
    protocol: raft, seed, nodes, plan, invariants, maxEvents: Number.MAX_SAFE_INTEGER,
    workload: { clients: 10, thinkUs: 100 * US_PER_MS }, recordHistory: true,
  })
  sim.run({ untilUs: 2 * US_PER_S })
  const before = sim.eventCount
  const start = performance.now()
  sim.run({ untilUs: durationUs })
  const wallS = (performance.now() - start) / 1000
  const events = sim.eventCount - before
  const result = sim.finish()
  if (result.violation || result.nodeError) throw new Error(`raft bench run failed: ${result.violation?.message ?? result.nodeError}`)
  return { events, perSecond: events / wallS, simSecondsPerWallSecond: simSeconds / wallS, okOps: result.history.filter((h) => h.type === 'ok').length }
}

export function raftBench(quick: boolean, best: <R extends { perSecond: number }>(measure: () => R) => R): void {
  const simSeconds = quick ? 30 : 300
  const n = (x: number) => Math.round(x).toLocaleString('en-US')
  console.log(`\nraft (5 nodes, 10 clients at 100ms think time, crash-restart + isolate-leader faults, ${simSeconds}s simulated)`)
  for (const invariants of [true, false]) {
    const r = best(() => raftRate(simSeconds, invariants))
    const verdict = !invariants ? '' : r.perSecond >= RAFT_TARGET_EVENTS_PER_S ? `  (target ${n(RAFT_TARGET_EVENTS_PER_S)}: meets)` : `  (target ${n(RAFT_TARGET_EVENTS_PER_S)}: BELOW)`
    const label = invariants ? 'invariants on' : 'invariants off'
    console.log(`  ${label.padEnd(16)} ${n(r.perSecond).padStart(10)} events/s  ${r.simSecondsPerWallSecond.toFixed(0).padStart(5)} simulated s per wall s  ${(r.okOps / simSeconds).toFixed(0)} ok ops per simulated s${verdict}`)
  }
}
