/**
 * Engine benchmarks: the floor (a bare heap loop), the engine with the built-in protocol
 * on a lossy network, the same with trace recording, and memory over a long run.
 * Figures are printed, never asserted: these machines are shared and noisy.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pingpong } from '../sim/builtin/pingpong.ts'
import { Simulation } from '../sim/engine.ts'
import { EventHeap } from '../sim/heap.ts'
import { defaultNetworkConfig } from '../sim/network/config.ts'
import { QueueEvent } from '../sim/queue-event.ts'
import { FileTraceSink, HashTraceSink } from '../sim/trace/writer.ts'
import { presetPlan } from '../sim/nemesis/presets.ts'
import { defaultNodeIds } from '../sim/options.ts'
import { RandomStream } from '../sim/random.ts'
import type { TraceSink } from '../sim/trace/writer.ts'

export interface Rate {
  events: number
  seconds: number
  perSecond: number
}

/** A bare binary-heap loop: pop, a no-op handler, push one follow-up. Same heap and event class as the engine. */
export function floorRate(events: number, depth: number): Rate {
  const heap = new EventHeap<QueueEvent>()
  let seq = 0
  let x = 12345
  for (let i = 0; i < depth; i++) heap.push(new QueueEvent(i, seq++, 0, 0, null))
  const start = performance.now()
  for (let i = 0; i < events; i++) {
    const e = heap.pop()!
    x = (x * 1103515245 + 12345) & 0x7fffffff // a cheap delay, so times spread as in a real run
    heap.push(new QueueEvent(e.at + 1000 + (x & 4095), seq++, 0, 0, null))
  }
  return rate(events, performance.now() - start)
}

function lossyOptions(seed: number) {
  return { protocol: pingpong, seed, nodes: 5, network: { ...defaultNetworkConfig(), loss: 0.05, duplicate: 0.01, reorder: 0.05 } }
}

/** The engine with pingpong on 5 nodes, 5% loss; traced to `sink` when given. */
export function engineRate(events: number, sink: TraceSink | null, freezeMessages = true): Rate & { queueDepth: number } {
  const sim = new Simulation({ ...lossyOptions(1), trace: sink, maxEvents: Number.MAX_SAFE_INTEGER, freezeMessages })
  sim.run({ maxEvents: 10_000 }) // warm up past the start
  const start = performance.now()
  const before = sim.eventCount
  sim.run({ maxEvents: events })
  const seconds = (performance.now() - start) / 1000
  const depth = sim.queueDepth
  sim.finish()
  return { ...rate(sim.eventCount - before, seconds * 1000), queueDepth: depth }
}

export function tracedRate(events: number): Rate & { bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'))
  const file = join(dir, 'bench.trace.jsonl')
  try {
    const r = engineRate(events, new FileTraceSink(file))
    return { ...r, bytes: statSync(file).size }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Heap use (after a GC when exposed) sampled every `every` events of one long run with
 * clients and a trace (hashed, not kept). The in-memory history is off: it grows by design,
 * and the trace records every operation anyway.
 */
export function memoryOverRun(events: number, every: number): number[] {
  const sim = new Simulation({
    ...lossyOptions(2), maxEvents: Number.MAX_SAFE_INTEGER, trace: new HashTraceSink(),
    workload: { clients: 5 }, recordHistory: false, plan: presetPlan('chaos', { nodes: defaultNodeIds(5), durationUs: 4 * 3600 * 1e6, rng: RandomStream.root(2).fork('plan') }),
  })
  const samplesMb: number[] = []
  for (let done = 0; done < events; done += every) {
    sim.run({ maxEvents: every })
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    samplesMb.push(process.memoryUsage().heapUsed / 2 ** 20)
  }
  sim.finish()
  return samplesMb
}

function rate(events: number, ms: number): Rate {
  const seconds = ms / 1000
  return { events, seconds, perSecond: events / seconds }
}
