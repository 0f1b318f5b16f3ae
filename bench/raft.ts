/**
 * Raft's speed (`npm run bench`): a 5-node cluster serving about 100 client operations per
 * simulated second (10 clients, 100 ms mean think time) under crash-restart and isolate-leader
 * faults, with the five safety invariants checked after every event and without. Events per
 * wall second and simulated seconds per wall second, each the best of 3 runs. Printed, never
 * asserted: the machines are shared and noisy.
 */
import { performance } from 'node:perf_hooks'
import { Simulation } from '../sim/engine.ts'
import { presetPlan } from '../sim/nemesis/presets.ts'
import { defaultNodeIds } from '../sim/options.ts'
import { RandomStream } from '../sim/random.ts'
import { US_PER_MS, US_PER_S } from '../sim/time.ts'
import { raft } from '../protocols/raft/index.ts'
import { pingpong } from '../sim/builtin/pingpong.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { bestOf } from './best.ts'

export const RAFT_TARGET_EVENTS_PER_S = 500_000
const WARM_UP_US = 2 * US_PER_S

export interface RaftRate {
  events: number
  perSecond: number
  simSecondsPerWallSecond: number
}

/** One run: a 2 s warm-up (the first election), then `simSeconds` measured. */
export function raftRate(simSeconds: number, invariants: boolean, seed = 1, protocol: AnyProtocol = raft): RaftRate {
  const nodes = defaultNodeIds(5)
  const durationUs = WARM_UP_US + simSeconds * US_PER_S
  const rng = RandomStream.root(seed).fork('plan')
  const plan = [...presetPlan('crash-restart', { nodes, durationUs, rng }), ...presetPlan('isolate-leader', { nodes, durationUs, rng })].sort((a, b) => a.at - b.at)
  const sim = new Simulation({
    protocol, seed, nodes, plan, invariants, maxEvents: Number.MAX_SAFE_INTEGER,
    workload: { clients: 10, thinkUs: 100 * US_PER_MS }, recordHistory: false,
  })
  sim.run({ untilUs: WARM_UP_US })
  const before = sim.eventCount
  const start = performance.now()
  sim.run({ untilUs: durationUs })
  const wallS = (performance.now() - start) / 1000
  const events = sim.eventCount - before
  const result = sim.finish()
  if (result.violation || result.nodeError) console.log(`  [the run FAILED: ${result.violation?.message ?? result.nodeError}]`)
  return { events, perSecond: events / wallS, simSecondsPerWallSecond: simSeconds / wallS }
}


export function printRaftBench(quick: boolean): void {
  const simSeconds = quick ? 30 : 300
  const n = (x: number) => Math.round(x).toLocaleString('en-US')
  console.log(`\nraft (5 nodes, 10 clients at 100ms think time, crash-restart + isolate-leader faults, ${simSeconds}s simulated)`)
  for (const invariants of [true, false]) {
    const r = bestOf(() => raftRate(simSeconds, invariants))
    const verdict = invariants ? `  (target ${n(RAFT_TARGET_EVENTS_PER_S)} with invariants: ${r.perSecond >= RAFT_TARGET_EVENTS_PER_S ? 'meets' : 'BELOW'})` : ''
    console.log(`  ${(invariants ? 'invariants on' : 'invariants off').padEnd(16)} ${n(r.perSecond).padStart(10)} events/s  ${r.simSecondsPerWallSecond.toFixed(0).padStart(5)} simulated s per wall s${verdict}`)
  }
  // The same clients and faults on the engine's trivial example protocol: what the engine and
  // the client runtime alone cost per event at this load, the ceiling for any protocol here.
  const reference = bestOf(() => raftRate(simSeconds, true, 1, pingpong))
  console.log(`  ${'pingpong, same load'.padEnd(16)} ${n(reference.perSecond).padStart(10)} events/s  (the engine's own ceiling for this workload)`)
}
