import { describe, expect, it } from 'vitest'
import { pingpong } from './builtin/pingpong.ts'
import { Simulation } from './engine.ts'
import { parsePlan } from './nemesis/plan.ts'
import type { Plan } from './nemesis/types.ts'
import { US_PER_S } from './time.ts'
import { MemoryTraceSink } from './trace/writer.ts'

const put = (client: string, atUs: number, value: string, to?: string): Plan[number] =>
  ({ at: atUs, do: 'invoke', client, op: { f: 'put', key: 'x', value }, ...(to === undefined ? {} : { to }) }) as Plan[number]

function run(plan: Plan, workload = { clients: 2, scripted: 2 }) {
  const sink = new MemoryTraceSink()
  const sim = new Simulation({ protocol: pingpong, seed: 7, nodes: 3, workload, plan, trace: sink })
  sim.run({ untilUs: 3 * US_PER_S })
  return { result: sim.finish(), lines: sink.lines().map((l) => JSON.parse(l) as Record<string, unknown>) }
}

describe('invoke steps and scripted clients', () => {
  it('runs exactly the scripted operations, at their times, and nothing else', () => {
    const { result } = run([put('c1', US_PER_S, 'A'), put('c2', 2 * US_PER_S, 'B')])
    const invokes = result.history.filter((h) => h.type === 'invoke')
    expect(invokes.map((h) => [h.process, h.value, h.timeUs])).toEqual([['c1', 'A', US_PER_S], ['c2', 'B', 2 * US_PER_S]])
    expect(result.history.filter((h) => h.type === 'ok')).toHaveLength(2)
  })

  it('sends the first attempt to the step\'s node', () => {
    const { lines } = run([put('c1', US_PER_S, 'A', 'n3')])
    const first = lines.find((l) => l.type === 'send' && l.from === 'c1')
    expect(first?.to).toBe('n3')
  })

  it('skips a step for a client still busy, and says so in the trace', () => {
    const { result, lines } = run([put('c1', US_PER_S, 'A'), put('c1', US_PER_S, 'B')])
    expect(result.history.filter((h) => h.type === 'invoke')).toHaveLength(1)
    const skipped = lines.find((l) => l.type === 'note' && l.kind === 'skipped') as { data: { reason: string } } | undefined
    expect(skipped?.data.reason).toMatch(/c1 is still busy/)
  })

  it('keeps random clients random beside scripted ones', () => {
    const { result } = run([put('c1', US_PER_S, 'A')], { clients: 3, scripted: 1 })
    expect(result.history.filter((h) => h.type === 'invoke' && h.process === 'c1')).toHaveLength(1)
    expect(result.history.filter((h) => h.type === 'invoke' && h.process !== 'c1').length).toBeGreaterThan(5)
  })

  it('is deterministic: the same plan gives the same trace hash', () => {
    const plan = [put('c1', US_PER_S, 'A', 'leader'), put('c2', 1.5 * US_PER_S, 'B')]
    expect(run(plan).result.traceHash).toBe(run(plan).result.traceHash)
  })

  it('refuses an invoke on a client that is not scripted, in one line', () => {
    expect(() => run([put('c2', US_PER_S, 'A')], { clients: 2, scripted: 1 })).toThrow(/step 1 invokes on c2, scripted clients: c1$/)
    expect(() => run([put('c1', US_PER_S, 'A')], { clients: 1, scripted: 0 } as never)).toThrow(/no scripted clients/)
  })

  it('validates invoke steps in plan files', () => {
    const nodes = ['n1', 'n2']
    expect(parsePlan([{ at: '1s', do: 'invoke', client: 'c1', op: { f: 'get', key: 'k' }, to: 'leader' }], nodes)).toHaveLength(1)
    expect(() => parsePlan([{ at: '1s', do: 'invoke', client: 'x1', op: { f: 'get' } }], nodes)).toThrow(/client/)
    expect(() => parsePlan([{ at: '1s', do: 'invoke', client: 'c1', op: { key: 'k' } }], nodes)).toThrow(/'f'/)
    expect(() => parsePlan([{ at: '1s', do: 'invoke', client: 'c1' }], nodes)).toThrow(/required for invoke/)
    expect(() => parsePlan([{ at: '1s', do: 'invoke', client: 'c1', op: { f: 'get' }, to: 'n9' }], nodes)).toThrow(/unknown node/)
  })
})
