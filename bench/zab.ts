/**
 * ZAB benchmark (`npm run bench`): 5 servers, 5 clients, chaos faults on a lossy network;
 * events per wall second and simulated seconds per wall second, with the Zab.tla
 * invariants checked after every event and without. Each figure the best of 3. Printed,
 * never asserted.
 */
import { performance } from 'node:perf_hooks'
import { Simulation } from '../sim/engine.ts'
import { presetPlan } from '../sim/nemesis/presets.ts'
import { defaultNetworkConfig } from '../sim/network/config.ts'
import { defaultNodeIds } from '../sim/options.ts'
import { RandomStream } from '../sim/random.ts'
import { US_PER_S } from '../sim/time.ts'
import { zab } from '../protocols/zab/index.ts'
import { bestOf } from './best.ts'

interface ZabRate {
  events: number
  perSecond: number
  simSecondsPerWallSecond: number
}

function measure(simSeconds: number, invariants: boolean): ZabRate {
  const nodes = defaultNodeIds(5)
  const durationUs = simSeconds * US_PER_S
  const plan = presetPlan('chaos', { nodes, durationUs, rng: RandomStream.root(7).fork('plan') })
  const sim = new Simulation({
    protocol: zab, seed: 7, nodes, plan, invariants,
    network: { ...defaultNetworkConfig(), loss: 0.02, duplicate: 0.01, reorder: 0.05 },
    workload: { clients: 5, thinkUs: 10_000 },
    recordHistory: false,
    maxEvents: Number.MAX_SAFE_INTEGER,
  })
  const start = performance.now()
  sim.run({ untilUs: durationUs })
  const seconds = (performance.now() - start) / 1000
  const result = sim.finish()
  if (result.violation || result.nodeError) console.log(`  [the run FAILED: ${result.violation?.message ?? result.nodeError}]`)
  return { events: result.events, perSecond: result.events / seconds, simSecondsPerWallSecond: simSeconds / seconds }
}


export function printZabBench(quick: boolean): void {
  const simSeconds = quick ? 30 : 120
  console.log(`\nzab (5 servers, 5 clients with 10ms think time, chaos faults, 2% loss, 1% duplicates, 5% reorder; ${simSeconds}s simulated)`)
  for (const invariants of [true, false]) {
    const r = bestOf(() => measure(simSeconds, invariants))
    const label = invariants ? 'invariants on' : 'invariants off'
    console.log(`  ${label.padEnd(16)} ${Math.round(r.perSecond).toLocaleString('en-US').padStart(10)} events/s  ${r.simSecondsPerWallSecond.toFixed(1).padStart(7)} simulated s per wall s  (${r.events.toLocaleString('en-US')} events)`)
  }
}
