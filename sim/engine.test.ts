import { describe, expect, it } from 'vitest'
import { pingpong } from './builtin/pingpong.ts'
import { Simulation } from './engine.ts'
import { traced } from './testing.ts'
import type { Plan } from './nemesis/types.ts'
import type { Protocol } from './protocol.ts'
import { US_PER_MS, US_PER_S } from './time.ts'
import type { TraceEvent } from './trace/events.ts'
import { parseTrace } from './trace/reader.ts'
import { checkpointMismatches } from './trace/timeline.ts'
import { MemoryTraceSink } from './trace/writer.ts'
import { defaultNetworkConfig } from './network/config.ts'

const s = (n: number) => n * US_PER_S
const ms = (n: number) => n * US_PER_MS


describe('Simulation with the built-in protocol', () => {
  it('runs, delivers messages and agrees on the lowest id as leader', () => {
    const sim = new Simulation({ protocol: pingpong, seed: 1, nodes: 5 })
    const stop = sim.run({ untilUs: s(2) })
    expect(stop.reason).toBe('time')
    expect(sim.now()).toBe(s(2))
    expect(sim.stats.delivered).toBeGreaterThan(100)
    expect(sim.stats.dropped).toEqual({ loss: 0, partition: 0, 'node-down': 0, restarted: 0 })
    for (const id of sim.nodeIds) expect(sim.view(id)?.leader).toBe('n1')
  })

  it('gives byte-identical traces for the same seed, and different ones for another seed', () => {
    const opts = { protocol: pingpong, seed: 42, nodes: 5, plan: [{ at: s(1), do: 'crash', node: 'random' }, { at: s(2), do: 'restart', node: 'crashed' }] as Plan }
    const a = traced(opts, s(3))
    const b = traced(opts, s(3))
    const c = traced({ ...opts, seed: 43 }, s(3))
    expect(a.text).toBe(b.text)
    expect(a.result.traceHash).toBe(b.result.traceHash)
    expect(c.text).not.toBe(a.text)
  })

  it('keeps the network schedule when a protocol draws more random numbers', () => {
    const base = fixedBeat(false)
    const greedy = fixedBeat(true)
    const opts = { seed: 7, nodes: 4, network: { ...defaultNetworkConfig(), loss: 0.2 } }
    const a = traced({ ...opts, protocol: base }, s(2))
    const b = traced({ ...opts, protocol: greedy }, s(2))
    expect(b.text).toBe(a.text)
  })

  it('drops messages to a crashed node, restarts it with its durable state, and drops what was sent before the restart', () => {
    const plan: Plan = [{ at: ms(500), do: 'crash', node: 'n2' }, { at: ms(1500), do: 'restart', node: 'n2' }]
    const { sim, events } = traced({ protocol: pingpong, seed: 3, nodes: 3, plan }, s(3))
    const crashedAt = events.find((e) => e.type === 'crash')!.t
    const restartedAt = events.find((e) => e.type === 'restart')!.t
    const toN2 = events.filter((e) => e.type === 'deliver' && e.to === 'n2')
    expect(toN2.some((e) => e.t > crashedAt && e.t < restartedAt)).toBe(false)
    expect(events.some((e) => e.type === 'drop' && e.reason === 'node-down')).toBe(true)
    expect(sim.view('n2')?.boots).toBe(2)
  })

  it('holds a paused node\'s messages and timers until it resumes', () => {
    const plan: Plan = [{ at: ms(500), do: 'pause', node: 'n1' }, { at: ms(900), do: 'resume', node: 'n1' }]
    const { events } = traced({ protocol: pingpong, seed: 5, nodes: 3, plan }, s(2))
    const during = events.filter((e) => (e.type === 'deliver' && e.to === 'n1') || (e.type === 'timer' && e.node === 'n1'))
    expect(during.some((e) => e.t > ms(500) && e.t < ms(900))).toBe(false)
    const resumed = events.find((e) => e.type === 'resume')!
    expect(events.some((e) => e.type === 'timer' && e.node === 'n1' && e.t === resumed.t)).toBe(true)
  })

  it('delivers nothing across a partition and shows two leaders on the two sides', () => {
    const plan: Plan = [{ at: ms(500), do: 'halves' }, { at: s(2), do: 'heal' }]
    const { events } = traced({ protocol: pingpong, seed: 9, nodes: 5, plan }, s(1.9))
    const sides = new Map([['n1', 0], ['n2', 0], ['n3', 1], ['n4', 1], ['n5', 1]])
    const across = events.filter((e) => e.type === 'deliver' && e.t > ms(500) && sides.get(e.from) !== sides.get(e.to))
    expect(across).toEqual([])
    const leads = new Map<string, unknown>()
    for (const e of events) if (e.type === 'view') leads.set(e.node, e.view?.leader ?? e.changes?.leader ?? leads.get(e.node))
    expect(leads.get('n4')).toBe('n3')
    expect(leads.get('n2')).toBe('n1')
  })

  it('fires a fast clock\'s timers early in true time', () => {
    const plan: Plan = [{ at: 0, do: 'clock', node: 'n2', driftPpm: 500_000 }]
    const { events } = traced({ protocol: fixedBeat(false), seed: 1, nodes: 2, plan }, s(1))
    const beats = (node: string) => events.filter((e) => e.type === 'timer' && e.node === node).length
    expect(beats('n2')).toBeGreaterThanOrEqual(beats('n1') * 1.4)
  })

  it('resolves "leader" when the step runs and skips a step that finds nobody', () => {
    const plan: Plan = [{ at: s(1), do: 'isolate', nodes: ['leader'] }, { at: s(1), do: 'restart', node: 'crashed' }]
    const { events } = traced({ protocol: pingpong, seed: 2, nodes: 3, plan }, s(2))
    const partition = events.find((e) => e.type === 'partition')
    expect(partition && partition.type === 'partition' && partition.description).toBe('isolate n1')
    expect(events.some((e) => e.type === 'note' && e.node === 'nemesis' && e.kind === 'skipped')).toBe(true)
  })
})

describe('checkpoints', () => {
  it('agree with replaying the events before them, under faults and client load', () => {
    const plan: Plan = [
      { at: ms(300), do: 'crash', node: 'n2' }, { at: ms(900), do: 'halves' }, { at: ms(1200), do: 'pause', node: 'n4' },
      { at: s(2), do: 'heal' }, { at: s(2), do: 'restart', node: 'n2' }, { at: s(3), do: 'resume', node: 'n4' },
    ]
    const sink = new MemoryTraceSink()
    const sim = new Simulation({ protocol: pingpong, seed: 8, nodes: 5, plan, workload: { clients: 2 }, trace: sink, checkpointEvery: 50 })
    sim.run({ untilUs: s(5) })
    sim.finish()
    const trace = parseTrace(sink.text())
    expect(trace.events.filter((e) => e.type === 'checkpoint').length).toBeGreaterThan(50)
    expect(checkpointMismatches(trace)).toEqual([])
  })
})

describe('failures are reported, not thrown', () => {
  it('reports a handler that throws as a node error and stops', () => {
    const broken: Protocol<unknown, object> = {
      ...fixedBeat(false),
      name: 'broken',
      createNode: (ctx) => ({ onStart: () => ctx.setTimer('boom', 1000), onMessage() {}, onTimer() { throw new TypeError('student bug') }, view: () => ({ role: 'x' }) }),
    }
    const { result, events } = traced({ protocol: broken, seed: 1, nodes: 2 }, s(1))
    expect(result.stoppedBy).toBe('node-error')
    expect(result.nodeError).toMatch(/TypeError: student bug/)
    expect(events.some((e) => e.type === 'node-error')).toBe(true)
  })

  it('stops at the event budget with a clear message', () => {
    const sim = new Simulation({ protocol: pingpong, seed: 1, nodes: 3, maxEvents: 1000 })
    const stop = sim.run({ untilUs: s(100) })
    expect(stop.reason).toBe('budget')
    expect(stop.message).toMatch(/event budget of 1000 events exhausted/)
    expect(sim.eventCount).toBe(1000)
  })

  it('turns a runaway send loop into a node error instead of a hang', () => {
    const flood: Protocol<unknown, object> = {
      ...fixedBeat(false),
      name: 'flood',
      createNode: (ctx) => ({ onStart: () => { for (;;) ctx.send(ctx.nodes[0]!, {}) }, onMessage() {}, onTimer() {}, view: () => ({ role: 'x' }) }),
    }
    const sim = new Simulation({ protocol: flood, seed: 1, nodes: 1 })
    expect(sim.run({ untilUs: s(1) }).reason).toBe('node-error')
  })

  it('catches the skip-sync mutant losing a durable write, and the correct protocol stays safe', () => {
    const plan: Plan = [{ at: s(1), do: 'crash', node: 'n2' }, { at: s(2), do: 'restart', node: 'n2' }]
    const run = (mutant: string | null) => traced({ protocol: pingpong, seed: 1, nodes: 3, plan, mutant, loseUnsyncedWrites: true }, s(3))
    const bad = run('skip-sync')
    expect(bad.result.violation?.invariant).toBe('boots-always-increase')
    expect(bad.events.at(-1)?.type).toBe('violation')
    expect(run(null).result.violation).toBeNull()
  })
})

describe('clients', () => {
  it('record a well-formed history: each invoke completes exactly once, after it', () => {
    const plan: Plan = [{ at: s(1), do: 'isolate', nodes: ['leader'] }, { at: s(3), do: 'heal' }]
    const { result } = traced({ protocol: pingpong, seed: 11, nodes: 5, plan, workload: { clients: 3 } }, s(6))
    const open = new Map<number, number>()
    let completions = 0
    for (const h of result.history) {
      if (h.type === 'invoke') {
        expect(open.has(h.op)).toBe(false)
        open.set(h.op, h.timeUs)
      } else {
        expect(open.get(h.op)).toBeLessThanOrEqual(h.timeUs)
        open.delete(h.op)
        completions++
      }
    }
    expect(completions).toBeGreaterThan(20)
    expect(open.size).toBeLessThanOrEqual(3)
    expect(result.history.some((h) => h.type === 'ok' && h.f === 'get')).toBe(true)
  })

  it('follow redirects to the leader', () => {
    const { events } = traced({ protocol: pingpong, seed: 4, nodes: 3, workload: { clients: 3 } }, s(2))
    expect(events.some((e) => e.type === 'send' && e.mtype === 'reply:not-leader')).toBe(true)
    const oks = events.filter((e): e is Extract<TraceEvent, { type: 'deliver' }> => e.type === 'deliver' && e.mtype === 'reply:ok')
    expect(oks.length).toBeGreaterThan(5)
    expect(oks.every((e) => e.from === 'n1')).toBe(true)
  })
})

/** A protocol with a fixed heartbeat; `greedy` draws random numbers it never uses. */
function fixedBeat(greedy: boolean): Protocol<{ type: 'beat' }, object> {
  return {
    name: 'beat',
    summary: 'test protocol',
    defaultConfig: {},
    messageType: () => 'beat',
    createNode: (ctx) => ({
      onStart: () => void ctx.setTimer('beat', 100 * US_PER_MS),
      onMessage: () => {
        if (greedy) for (let i = 0; i < 3; i++) ctx.random()
      },
      onTimer: () => {
        for (const n of ctx.nodes) if (n !== ctx.id) ctx.send(n, { type: 'beat' })
        ctx.setTimer('beat', 100 * US_PER_MS)
      },
      view: () => ({ role: 'node' }),
    }),
  }
}
