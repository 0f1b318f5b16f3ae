/**
 * Redis Cluster benchmark (`npm run bench`): a 3-master, 3-replica cluster and a 50-node one
 * (25 masters, 25 replicas) under client load with crash-restart and partition faults;
 * events per wall second and simulated seconds per wall second, invariants and the
 * write-loss account on. Each figure the best of 3. Printed, never asserted.
 */
import { performance } from 'node:perf_hooks'
import { Simulation } from '../sim/engine.ts'
import { presetPlan } from '../sim/nemesis/presets.ts'
import { defaultNetworkConfig } from '../sim/network/config.ts'
import { defaultNodeIds } from '../sim/options.ts'
import { RandomStream } from '../sim/random.ts'
import { US_PER_S } from '../sim/time.ts'
import { redisCluster } from '../protocols/redis-cluster/index.ts'
import { bestOf } from './best.ts'

interface Shape {
  label: string
  nodes: number
  clients: number
  preset: string
}

interface RedisRate {
  events: number
  perSecond: number
  simSecondsPerWallSecond: number
  lost: string
}

function measure(shape: Shape, simSeconds: number): RedisRate {
  const nodes = defaultNodeIds(shape.nodes)
  const durationUs = simSeconds * US_PER_S
  const plan = presetPlan(shape.preset, { nodes, durationUs, rng: RandomStream.root(7).fork('plan') })
  const sim = new Simulation({
    protocol: redisCluster, seed: 7, nodes, plan,
    network: { ...defaultNetworkConfig(), loss: 0.01, reorder: 0.05 },
    workload: { clients: shape.clients, thinkUs: 10_000 },
    maxEvents: Number.MAX_SAFE_INTEGER,
  })
  const start = performance.now()
  sim.run({ untilUs: durationUs })
  const result = sim.finish()
  const seconds = (performance.now() - start) / 1000
  if (result.violation || result.nodeError) console.log(`  [the run FAILED: ${result.violation?.message ?? result.nodeError}]`)
  const lost = result.reports.find((r) => r.invariant === 'write-loss')?.summary ?? ''
  return { events: result.events, perSecond: result.events / seconds, simSecondsPerWallSecond: simSeconds / seconds, lost }
}


export function printRedisClusterBench(quick: boolean): void {
  const shapes: Array<[Shape, number]> = [
    [{ label: '3 masters + 3 replicas', nodes: 6, clients: 6, preset: 'crash-restart' }, quick ? 30 : 120],
    [{ label: '50 nodes (25 + 25)', nodes: 50, clients: 20, preset: 'random-partitions' }, quick ? 10 : 30],
  ]
  console.log('\nredis-cluster (clients with 10ms think time, 1% loss, 5% reorder; invariants and write-loss account on)')
  for (const [shape, simSeconds] of shapes) {
    const r = bestOf(() => measure(shape, simSeconds))
    const label = `${shape.label}, ${shape.preset}, ${simSeconds}s`
    console.log(`  ${label.padEnd(44)} ${Math.round(r.perSecond).toLocaleString('en-US').padStart(10)} events/s  ${r.simSecondsPerWallSecond.toFixed(1).padStart(7)} simulated s per wall s  (${r.events.toLocaleString('en-US')} events; ${r.lost})`)
  }
}

if (process.argv[1]?.endsWith('redis-cluster.ts')) printRedisClusterBench(process.argv.includes('--quick'))
