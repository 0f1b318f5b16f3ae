/**
 * The engine's edge cases: each test pins one rule of the fault model or of error reporting
 * (many found by review), so a regression names the rule it broke.
 */
import { describe, expect, it } from 'vitest'
import { pingpong } from './builtin/pingpong.ts'
import type { ClientHandlers } from './clients/client.ts'
import { Simulation } from './engine.ts'
import { traced } from './testing.ts'
import type { Plan } from './nemesis/types.ts'
import type { NodeContext, NodeHandlers, Protocol } from './protocol.ts'
import { US_PER_MS, US_PER_S } from './time.ts'
import type { TraceEvent } from './trace/events.ts'
import { parseTrace } from './trace/reader.ts'
import { checkpointMismatches } from './trace/timeline.ts'
import { MemoryTraceSink } from './trace/writer.ts'

const ms = (n: number) => n * US_PER_MS
const s = (n: number) => n * US_PER_S


/** A protocol made of one handler set, for tests. */
function protocolOf(make: (ctx: NodeContext<unknown>) => Partial<NodeHandlers<unknown>>, extra: Partial<Protocol<unknown, object>> = {}): Protocol<unknown, object> {
  return {
    name: 'test', summary: 'test', defaultConfig: {}, messageType: (m) => String((m as { type?: string }).type ?? 'msg'),
    createNode: (ctx) => ({ onMessage() {}, onTimer() {}, view: () => ({ role: 'node' }), ...make(ctx) }),
    ...extra,
  }
}

describe('crash, pause and restart', () => {
  it('drops, with a reason, the messages waiting at a paused node that crashes', () => {
    const plan: Plan = [{ at: s(1), do: 'pause', node: 'n2' }, { at: ms(1500), do: 'crash', node: 'n2' }, { at: s(2), do: 'restart', node: 'n2' }]
    const { trace, result } = traced({ protocol: pingpong, seed: 1, nodes: 3, plan, checkpointEvery: 50 }, s(3))
    const crashAt = trace.events.find((e) => e.type === 'crash')!
    expect(trace.events.some((e) => e.type === 'drop' && e.reason === 'node-down' && e.t === crashAt.t)).toBe(true)
    expect(checkpointMismatches(trace)).toEqual([])
    const dropped = Object.values(result.stats.dropped).reduce((a, b) => a + b, 0)
    const inFlightAtEnd = trace.events.filter((e) => e.type === 'send' && e.due >= 0).length - trace.events.filter((e) => e.type === 'deliver' || (e.type === 'drop' && e.reason !== 'loss' && e.reason !== 'partition')).length
    expect(result.stats.sent + result.stats.duplicated).toBeGreaterThanOrEqual(result.stats.delivered + dropped)
    expect(inFlightAtEnd).toBeGreaterThanOrEqual(0)
  })

  it('drops a message sent while the node was down, even if it arrives after the restart', () => {
    // n1 sends to n2 every 10ms; n2 is down from 500us to 1002us, latency a fixed 1ms.
    const chatty = protocolOf((ctx) => ({
      onStart: () => void ctx.setTimer('tick', 100),
      onTimer: () => {
        if (ctx.id === 'n1') ctx.send('n2', { type: 'hello' })
        ctx.setTimer('tick', 100)
      },
    }))
    const plan: Plan = [{ at: 500, do: 'crash', node: 'n2' }, { at: 1002, do: 'restart', node: 'n2' }]
    const { events } = traced({ protocol: chatty, seed: 1, nodes: 2, plan, network: { ...netFixed1ms() } }, 3000)
    const sentWhileDown = events.filter((e): e is Extract<TraceEvent, { type: 'send' }> => e.type === 'send' && e.t > 500 && e.t < 1002 && e.due > 1002)
    expect(sentWhileDown.length).toBeGreaterThan(0)
    for (const send of sentWhileDown) {
      expect(events.find((e) => (e.type === 'drop' || e.type === 'deliver') && e.id === send.id)).toMatchObject({ type: 'drop', reason: 'restarted' })
    }
  })

  it('drops a message to a paused node if its link is cut when it arrives, not when the node resumes', () => {
    const plan: Plan = [{ at: ms(200), do: 'pause', node: 'n1' }, { at: ms(300), do: 'isolate', nodes: ['n1'] }, { at: ms(400), do: 'heal' }, { at: ms(500), do: 'resume', node: 'n1' }]
    const { events } = traced({ protocol: pingpong, seed: 2, nodes: 3, plan }, ms(600))
    const cutArrivals = events.filter((e) => e.type === 'drop' && e.to === 'n1' && e.reason === 'partition' && e.t > ms(300) && e.t < ms(400))
    expect(cutArrivals.length).toBeGreaterThan(0)
  })

  it('never lets "leader" pick a paused node, which may still believe it leads', () => {
    const plan: Plan = [{ at: s(1), do: 'pause', node: 'n1' }, { at: s(2), do: 'crash', node: 'leader' }, { at: s(3), do: 'resume', node: 'paused' }]
    const { events } = traced({ protocol: pingpong, seed: 3, nodes: 3, plan }, s(4))
    expect(events.find((e) => e.type === 'crash')).toMatchObject({ node: 'n2' })
    expect(events.some((e) => e.type === 'resume' && e.node === 'n1')).toBe(true)
  })
})

describe('protocol mistakes are node errors, never engine crashes', () => {
  const cases: Array<[string, Protocol<unknown, object>, RegExp]> = [
    ['a timer with a NaN delay', protocolOf((ctx) => ({ onStart: () => void ctx.setTimer('e', Number.NaN) })), /set timer 'e' with delay NaNus/],
    ['a negative timer delay', protocolOf((ctx) => ({ onStart: () => void ctx.setTimer('e', -5) })), /delay -5us/],
    ['mutating a message after sending it', protocolOf((ctx) => ({
      onStart: () => {
        const msg = { type: 'm', list: [1] }
        ctx.send(ctx.nodes[1]!, msg)
        msg.list.push(2)
      },
    })), /TypeError: .*(read only|not extensible)/],
    ['a message JSON cannot hold', protocolOf((ctx) => ({ onStart: () => ctx.send(ctx.nodes[1]!, { type: 'm', zxid: 10n }) })), /BigInt/],
    ['a view() that throws', protocolOf(() => ({ view: () => { throw new Error('view broke') } })), /view broke/],
    ['an invariant that throws', protocolOf(() => ({}), { invariants: () => [{ name: 'fragile', check: () => { throw new Error('invariant broke') } }] }), /invariant fragile: Error: invariant broke/],
    ['a command with no onCommand handler', protocolOf(() => ({})), /has no onCommand handler for command 'failover'/],
    ['a throw of an object with no prototype', protocolOf(() => ({ onStart: () => { throw Object.create(null) } })), /cannot be printed/],
    ['a view that is not an object with a role', protocolOf(() => ({ view: () => ['x'] as never })), /view\(\) must return an object with a string 'role'/],
    ['note data that is not an object', protocolOf((ctx) => ({ onStart: () => ctx.note('k', [1] as never) })), /note 'k' data must be an object/],
    ['sending undefined', protocolOf((ctx) => ({ onStart: () => ctx.send(ctx.nodes[1]!, undefined) })), /sent undefined/],
    ['a timer so far away time would lose precision', protocolOf((ctx) => ({ onStart: () => void ctx.setTimer('far', 1e20) })), /delay 100000000000000000000us/],
    ['mutating an already-frozen message\'s contents', protocolOf((ctx) => ({
      onStart: () => {
        const log = [1]
        ctx.send(ctx.nodes[1]!, Object.freeze({ type: 'm', log }))
        log.push(2)
      },
    })), /TypeError/],
    ['a stale context drawing a random number', protocolOf((ctx) => ({
      onStart: () => {
        if (ctx.id === 'n2') stale.push(ctx)
        else void ctx.setTimer('use-stale', 2000)
      },
      onTimer: () => void stale[0]!.random(),
    })), /n2: random after the node crashed/],
  ]
  const stale: NodeContext<unknown>[] = []
  for (const [name, protocol, message] of cases) {
    it(name, () => {
      const plan: Plan = name.startsWith("a command") ? [{ at: ms(10), do: "command", node: "n1", command: { type: "failover" } }]
        : name.includes('stale') ? [{ at: 1000, do: 'crash', node: 'n2' }] : []
      const sink = new MemoryTraceSink()
      const sim = new Simulation({ protocol, seed: 1, nodes: 2, plan, trace: sink })
      const stop = sim.run({ untilUs: s(1) })
      expect(stop.reason).toBe('node-error')
      expect(stop.message).toMatch(message)
      const result = sim.finish()
      expect(result.nodeError).toMatch(message)
      expect(parseTrace(sink.text()).footer.stoppedBy).toBe('node-error')
    })
  }
})

describe('client protocol code', () => {
  const cases: Array<[string, Partial<Protocol<unknown, object>>, RegExp]> = [
    ['createClient that throws', { createClient: () => { throw new Error('no client') } }, /c1: Error: no client/],
    ['makeOp that throws', { makeOp: () => { throw new Error('bad op') } }, /c1: Error: bad op/],
    ['makeOp with a value JSON cannot hold', { makeOp: ({ f, key }) => ({ f, key, value: 1n }) }, /c1: TypeError: .*BigInt/],
    ['a completion with an unknown outcome', { createClient: (ctx) => ({ invoke: (_op, seq) => ctx.complete(seq, { type: 'maybe' } as never), onResponse() {}, onTimer() {} }) }, /outcome "maybe"/],
  ]
  for (const [name, extra, message] of cases) {
    it(`${name} is a node error`, () => {
      const sim = new Simulation({ protocol: protocolOf(() => ({}), extra), seed: 1, nodes: 1, workload: { clients: 1 }, trace: new MemoryTraceSink() })
      const stop = sim.run({ untilUs: s(1) })
      expect(stop.reason).toBe('node-error')
      expect(stop.message).toMatch(message)
    })
  }

  it('records a write as unknown, not failed, when a node may have applied it before asking for a retry', () => {
    const applied: unknown[] = []
    const protocol = protocolOf((ctx) => ({
      onClientRequest: (req) => {
        if (ctx.id === 'n1') {
          applied.push(req.op.value)
          ctx.reply(req, { ok: false, error: 'not-leader', retry: true, definite: false })
        } else ctx.reply(req, { ok: false, error: 'not-leader', definite: true })
      },
    }), { workload: { mix: { put: 1 } } })
    const { result } = traced({ protocol, seed: 1, nodes: 2, workload: { clients: 1, opTimeoutUs: ms(100) } }, s(1))
    expect(applied.length).toBeGreaterThan(0)
    const outcomes = result.history.filter((h) => h.type !== 'invoke')
    const failedButApplied = outcomes.filter((h) => h.type === 'fail' && applied.includes(result.history.find((x) => x.op === h.op && x.type === 'invoke')!.value))
    expect(failedButApplied).toEqual([])
  })
})

describe('commands', () => {
  it('hands a plan step\'s command to the node, frozen, and records it', () => {
    const seen: unknown[] = []
    const protocol = protocolOf(() => ({ onCommand: (c) => void seen.push(c) }))
    const plan: Plan = [{ at: ms(5), do: "command", node: "n2", command: { type: "meet", peer: "n1" } }]
    const { events } = traced({ protocol, seed: 1, nodes: 2, plan }, ms(10))
    expect(seen).toEqual([{ type: 'meet', peer: 'n1' }])
    expect(Object.isFrozen(seen[0])).toBe(true)
    expect(events.find((e) => e.type === 'command')).toMatchObject({ node: 'n2', command: { type: 'meet', peer: 'n1' }, step: 0 })
  })

  it('lets a harness command a node directly', () => {
    const seen: string[] = []
    const sim = new Simulation({ protocol: protocolOf((ctx) => ({ onCommand: (c) => void seen.push(`${ctx.id}:${c.type}`) })), seed: 1, nodes: 3 })
    sim.command('n3', { type: 'transfer-leadership' })
    expect(seen).toEqual(['n3:transfer-leadership'])
  })
})

describe('plan steps that find nothing to do', () => {
  it('are noted as skipped and not counted as faults', () => {
    const plan: Plan = [{ at: ms(100), do: 'resume', node: 'n2' }, { at: ms(200), do: 'restart', node: 'n1' }, { at: ms(300), do: 'crash', node: 'n3' }]
    const { events, result } = traced({ protocol: pingpong, seed: 1, nodes: 3, plan }, s(1))
    expect(events.filter((e) => e.type === 'note' && e.kind === 'skipped').map((e) => e.type === 'note' && e.data?.reason)).toEqual(['n2 is up, not paused', 'n1 is up, not crashed'])
    expect(result.stats.faults).toBe(1)
  })

  it('a leader selector survives a view whose term is not a number', () => {
    const odd = protocolOf(() => ({ view: () => ({ role: 'leader', leads: true, term: Number.NaN }) }))
    const { events } = traced({ protocol: odd, seed: 1, nodes: 3, plan: [{ at: ms(1), do: 'crash', node: 'leader' }] }, ms(10))
    expect(events.some((e) => e.type === 'crash')).toBe(true)
  })
})

describe('runs and traces', () => {
  it('normalises a plan given in code like a plan file: sorted, validated', () => {
    const sim = new Simulation({ protocol: pingpong, seed: 1, nodes: 3, plan: [{ at: s(2), do: 'heal' }, { at: s(1), do: 'halves' }] })
    expect(sim.options.plan.map((p) => p.do)).toEqual(['halves', 'heal'])
    expect(() => new Simulation({ protocol: pingpong, seed: 1, nodes: 3, plan: [{ at: 1, do: 'crash', node: 'n9' }] })).toThrow(/unknown node 'n9'/)
  })

  it('refuses a config JSON cannot carry, so the trace header re-runs the same', () => {
    expect(() => new Simulation({ protocol: pingpong, seed: 1, nodes: 3, config: { heartbeatMs: Number.POSITIVE_INFINITY } })).toThrow(/not plain JSON data/)
  })

  it('records why a run stopped in the footer: events, predicate', () => {
    for (const [limit, reason] of [[{ maxEvents: 10 }, 'events'], [{ stopWhen: (sim: Simulation) => sim.eventCount >= 7 }, 'predicate']] as const) {
      const sink = new MemoryTraceSink()
      const sim = new Simulation({ protocol: pingpong, seed: 1, nodes: 3, trace: sink })
      sim.run(limit)
      sim.finish()
      expect(parseTrace(sink.text()).footer.stoppedBy).toBe(reason)
    }
  })

  it('writes no checkpoints when checkpointEvery is 0', () => {
    const { events } = traced({ protocol: pingpong, seed: 1, nodes: 3, checkpointEvery: 0 }, s(1))
    expect(events.some((e) => e.type === 'checkpoint')).toBe(false)
  })

  it('accepts node ids that are addresses (a Redis node\'s 40-hex name) and rejects selector words', () => {
    const hex = '07c37dfeb235213a872192d90877d0cd55635b91'
    const sim = new Simulation({ protocol: pingpong, seed: 1, nodes: [hex, 'b2c3'] })
    sim.run({ untilUs: ms(100) })
    expect(sim.view(hex)?.role).toBeDefined()
    expect(() => new Simulation({ protocol: pingpong, seed: 1, nodes: ['n1', 'leader'] })).toThrow(/bad node id 'leader'/)
    expect(() => new Simulation({ protocol: pingpong, seed: 1, nodes: ['n1', 'c2'] })).toThrow(/bad node id 'c2'/)
  })

  it('rejects a per-link override naming no endpoint of the run', () => {
    const network = { ...netFixed1ms(), links: { 'n9->n1': { loss: 1 } } }
    expect(() => new Simulation({ protocol: pingpong, seed: 1, nodes: 3, network })).toThrow(/bad network link 'n9->n1': 'n9' is not a node or client/)
  })
})

describe('clients', () => {
  it('ignore a completion meant for an operation that is no longer current', () => {
    // A client whose stale timer tries to complete the next operation with an old answer.
    const sloppy = (ctx: Parameters<NonNullable<Protocol['createClient']>>[0]): ClientHandlers => {
      let first = true
      return {
        invoke(_op, seq) {
          if (first) ctx.setTimer(`late:${seq}`, s(7))
          first = false
        },
        onResponse() {},
        onTimer(name) {
          ctx.complete(Number(name.split(':')[1]), { type: 'ok', value: 'answer-meant-for-op0' })
        },
      }
    }
    const protocol = protocolOf(() => ({}), { createClient: sloppy })
    const { result } = traced({ protocol, seed: 1, nodes: 1, workload: { clients: 1, opTimeoutUs: s(5), thinkUs: ms(10) } }, s(10))
    expect(result.history.some((h) => h.type === 'ok')).toBe(false)
    expect(result.history.filter((h) => h.type === 'info').length).toBeGreaterThanOrEqual(1)
  })

  it('retry elsewhere on a `retry` answer, and may send between operations', () => {
    const protocol = protocolOf((ctx) => ({
      onClientRequest: (req) => ctx.reply(req, ctx.id === 'n1' ? { ok: false, error: 'no-leader-yet', retry: true } : { ok: true, value: req.seq }),
    }))
    const { result, events } = traced({ protocol, seed: 2, nodes: 2, workload: { clients: 1 } }, s(1))
    expect(events.some((e) => e.type === 'deliver' && e.mtype === 'reply:no-leader-yet')).toBe(true)
    expect(result.history.filter((h) => h.type === 'ok').length).toBeGreaterThan(3)
  })

  it('are seen by invariants through the history', () => {
    let completions = 0
    const protocol = protocolOf((ctx) => ({ onClientRequest: (req) => ctx.reply(req, { ok: true }) }), {
      invariants: () => [{ name: 'counts', check: (c) => ((completions = c.history.filter((h) => h.type !== 'invoke').length), null) }],
    })
    const { result } = traced({ protocol, seed: 1, nodes: 1, workload: { clients: 2 } }, s(1))
    expect(completions).toBe(result.history.filter((h) => h.type !== 'invoke').length)
    expect(completions).toBeGreaterThan(5)
  })
})

function netFixed1ms() {
  return { latency: { kind: 'fixed' as const, us: 1000 }, loss: 0, duplicate: 0, reorder: 0, reorderWindowUs: 10_000, links: {} }
}

describe('clocks and timers', () => {
  /** A node that sets one 100 ms timer (of its own clock) at boot. */
  const oneTimer = protocolOf((ctx) => {
    ctx.setTimer('tick', ms(100))
    return {}
  })
  /** The true times the timer fired at. */
  const fired = (plan: Plan) => traced({ protocol: oneTimer, seed: 1, nodes: 1, plan }, s(20)).trace.events.filter((e) => e.type === 'timer').map((e) => e.t)

  it('a clock that nearly stops delays its timers; set right, the rest of each timer runs at the true rate', () => {
    // 1% speed from the start: the 100 ms timer would fire at 10 s of true time.
    const slow: Plan = [{ at: 0, do: 'clock', node: 'n1', driftPpm: -990_000 }]
    expect(fired(slow)).toEqual([s(10)])
    // Set right at 50 ms (0.5 ms of local time gone): the other 99.5 ms run at the true rate.
    expect(fired([...slow, { at: ms(50), do: 'clock', node: 'n1', driftPpm: 0 }])).toEqual([ms(149.5)])
  })

  it('an offset jump moves no timer (timers run on the monotonic clock)', () => {
    expect(fired([{ at: ms(10), do: 'clock', node: 'n1', offset: '+5s' }])).toEqual([ms(100)])
  })
})
