/**
 * Properties of the engine itself, over generated fault plans, seeds and network faults:
 * the trace is totally ordered and time never goes back; a crashed or paused node handles
 * nothing; a cut link delivers nothing; a trace survives writer and reader unchanged.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pingpong } from './builtin/pingpong.ts'
import { Simulation } from './engine.ts'
import { planArbitrary } from './nemesis/arbitrary.ts'
import { defaultNetworkConfig } from './network/config.ts'
import { US_PER_S } from './time.ts'
import type { NodeStatus, TraceEvent } from './trace/events.ts'
import { parseTrace } from './trace/reader.ts'
import { MemoryTraceSink } from './trace/writer.ts'
import { checkpointMismatches, Timeline } from './trace/timeline.ts'
import type { RunStats } from './result.ts'

const DURATION_US = 3 * US_PER_S
const nodes = ['n1', 'n2', 'n3', 'n4']

const runArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  plan: planArbitrary(nodes, DURATION_US),
  loss: fc.constantFrom(0, 0.05, 0.3),
  duplicate: fc.constantFrom(0, 0.1),
  clients: fc.integer({ min: 0, max: 3 }),
})

type Run = typeof runArbitrary extends fc.Arbitrary<infer R> ? R : never

function simulate(r: Run): { text: string; events: TraceEvent[]; hash: string | null; stats: RunStats } {
  const sink = new MemoryTraceSink()
  const sim = new Simulation({
    protocol: pingpong, seed: r.seed, nodes, plan: r.plan, trace: sink, checkpointEvery: 500,
    network: { ...defaultNetworkConfig(), loss: r.loss, duplicate: r.duplicate },
    workload: { clients: r.clients },
  })
  sim.run({ untilUs: DURATION_US })
  const { traceHash: hash, stats } = sim.finish()
  return { text: sink.text(), events: parseTrace(sink.text()).events, hash, stats }
}

const RUNS = { numRuns: 40 }

describe('engine properties', () => {
  it('orders every trace totally: indexes run 0, 1, 2, ... and time never goes backward', () => {
    fc.assert(fc.property(runArbitrary, (r) => {
      const { events } = simulate(r)
      events.forEach((e, i) => {
        expect(e.i).toBe(i)
        if (i > 0) expect(e.t).toBeGreaterThanOrEqual(events[i - 1]!.t)
      })
    }), RUNS)
  })

  it('lets no crashed or paused node handle a message or a timer', () => {
    fc.assert(fc.property(runArbitrary, (r) => {
      const status = new Map<string, NodeStatus>(nodes.map((n) => [n, 'up']))
      for (const e of simulate(r).events) {
        if (e.type === 'crash') status.set(e.node, 'crashed')
        if (e.type === 'restart' || e.type === 'resume') status.set(e.node, 'up')
        if (e.type === 'pause') status.set(e.node, 'paused')
        const target = e.type === 'deliver' ? e.to : e.type === 'timer' ? e.node : null
        if (target !== null && status.has(target)) expect(status.get(target), `${e.type} at ${e.i}`).toBe('up')
      }
    }), RUNS)
  })

  it('delivers nothing over a cut link', () => {
    fc.assert(fc.property(runArbitrary, (r) => {
      let blocked = new Set<string>()
      const home = (id: string) => (id.startsWith('c') ? nodes[(Number(id.slice(1)) - 1) % nodes.length]! : id)
      for (const e of simulate(r).events) {
        if (e.type === 'partition') blocked = new Set(e.blocked.map(([a, b]) => `${a}>${b}`))
        if (e.type === 'deliver') expect(blocked.has(`${home(e.from)}>${home(e.to)}`), `deliver ${e.from}->${e.to} at ${e.i}`).toBe(false)
      }
    }), RUNS)
  })

  it('conserves messages, and every checkpoint agrees with replaying the events before it', () => {
    fc.assert(fc.property(runArbitrary, (r) => {
      const { text, stats } = simulate(r)
      const trace = parseTrace(text)
      expect(checkpointMismatches(trace)).toEqual([])
      const timeline = new Timeline(trace)
      const inFlight = timeline.stateAt(timeline.length - 1).inFlight.length
      const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0)
      expect(stats.sent + stats.duplicated).toBe(stats.delivered + dropped + inFlight)
    }), RUNS)
  })

  it('round-trips every trace through the writer and the reader', () => {
    fc.assert(fc.property(runArbitrary, (r) => {
      const { text, events, hash } = simulate(r)
      const trace = parseTrace(text)
      expect(trace.footer.hash).toBe(hash)
      const rewritten = [trace.header, ...events, trace.footer].map((x) => JSON.stringify(x)).join('\n') + '\n'
      expect(rewritten).toBe(text)
    }), { numRuns: 15 })
  })

  it('reproduces the same trace from the same inputs', () => {
    fc.assert(fc.property(runArbitrary, (r) => {
      expect(simulate(r).text).toBe(simulate(r).text)
    }), { numRuns: 10 })
  })
})
