/** The cluster client: slot-map routing, READONLY reads on replicas, CLUSTERDOWN backoff. */
import { describe, expect, it } from 'vitest'
import { isolateCut } from '../../sim/network/shapes.ts'
import { MemoryTraceSink } from '../../sim/trace/writer.ts'
import type { Plan } from '../../sim/nemesis/types.ts'
import { makeRedisOp } from './client.ts'
import { keySlot } from './keyslot.ts'
import { cluster, S } from './test-support.ts'

describe('makeRedisOp', () => {
  it('shapes GET, SET, INCR on a counter key, MSET of two keys sharing a tag, and rget', () => {
    expect(makeRedisOp({ f: 'get', key: 'k1', value: 3 })).toEqual({ f: 'get', key: 'k1' })
    expect(makeRedisOp({ f: 'set', key: 'k1', value: 3 })).toEqual({ f: 'set', key: 'k1', value: 3 })
    expect(makeRedisOp({ f: 'incr', key: 'k1', value: 3 })).toEqual({ f: 'incr', key: 'k1:ctr' })
    expect(makeRedisOp({ f: 'mset', key: 'k1', value: 3 })).toEqual({ f: 'mset', key: 'k1', value: 3, pairs: [['k1', 3], ['{k1}.b', 3]] })
    expect(makeRedisOp({ f: 'rget', key: 'k1', value: 3 })).toEqual({ f: 'rget', key: 'k1' })
  })
})

describe('the cluster client', () => {
  it('sends rget to replicas (READONLY) and everything else to masters; all complete', () => {
    const trace = new MemoryTraceSink()
    const sim = cluster(6, {}, { trace, workload: { clients: 4, keys: 6, mix: { rget: 1, set: 1, mset: 1, incr: 1 } } })
    sim.run({ untilUs: 10 * S })
    const result = sim.finish()
    // Once a client has its map (the first operations go anywhere and are MOVED).
    const deliveries = trace.text().split('\n').filter((l) => l.includes('"type":"deliver"') && l.includes('"mtype":"client:') && (JSON.parse(l) as { t: number }).t > 3 * S)
    const toReplica = deliveries.filter((l) => /"to":"n[456]"/.test(l))
    expect(toReplica.length).toBeGreaterThan(20)
    expect(toReplica.every((l) => l.includes('"mtype":"client:rget"') || l.includes('"mtype":"client:cluster-slots"'))).toBe(true)
    const done = result.history.filter((h) => h.type !== 'invoke' && h.timeUs > 3 * S)
    expect(done.length).toBeGreaterThan(100)
    expect(done.every((h) => h.type === 'ok')).toBe(true)
  })

  it('backs off on CLUSTERDOWN and succeeds once the cluster is ok again', () => {
    const sim = cluster(6, {}, { workload: { clients: 2, keys: 2, mix: { set: 1 } } })
    sim.run({ untilUs: 6 * S })
    // n1 and its only replica n4 cut off: nobody can take n1's slots over, so once n1 is FAIL
    // every node answers CLUSTERDOWN (full coverage is required) until the heal.
    sim.setPartition(isolateCut(['n1', 'n4'], sim.nodeIds))
    sim.run({ untilUs: 16 * S })
    expect(sim.node<import('./node.ts').RedisNode>('n2')!.state).toBe('fail')
    sim.setPartition(null)
    // n1's FAIL is undone only by a PONG after node_timeout x 2; gossip keeps n1's pong time
    // fresh on the others, as in Redis, so that PONG can take a while: allow 30 s.
    sim.run({ untilUs: 50 * S })
    const result = sim.finish()
    const last = result.history.filter((h) => h.type !== 'invoke' && h.timeUs > 45 * S)
    expect(last.length).toBeGreaterThan(10)
    expect(last.every((h) => h.type === 'ok')).toBe(true)
  })
})

describe('a scripted client step', () => {
  const run = (plan: Plan) => {
    const trace = new MemoryTraceSink()
    const sim = cluster(6, {}, { trace, plan, workload: { clients: 1, scripted: 1 } })
    sim.run({ untilUs: 5 * S })
    const lines = trace.lines().map((l) => JSON.parse(l) as Record<string, unknown>)
    return { result: sim.finish(), lines }
  }
  const step = (atUs: number, op: Record<string, unknown>, to?: string) => ({ at: atUs, do: 'invoke', client: 'c1', op, ...(to === undefined ? {} : { to }) }) as Plan[number]

  it("sends its first attempt to the step's node, which answers MOVED; the retry goes to the owner", () => {
    // x hashes to slot 16287, n3's (three masters: 0-5460, 5461-10922, 10923-16383).
    const { result, lines } = run([step(3 * S, { f: 'set', key: 'x', value: 1 }, 'n1')])
    const sets = lines.filter((l) => l.type === 'send' && l.from === 'c1' && l.mtype === 'client:set')
    expect(sets.map((l) => l.to)).toEqual(['n1', 'n3'])
    const replies = lines.filter((l) => l.type === 'send' && l.to === 'c1' && String(l.mtype).startsWith('reply:M'))
    expect(replies.map((l) => [l.from, l.mtype])).toEqual([['n1', `reply:MOVED ${keySlot('x')} n3`]])
    expect(result.history.filter((h) => h.type === 'ok').map((h) => h.value)).toEqual(['OK'])
  })

  it('without a node, routes by its slot map (no MOVED once it has one)', () => {
    const { lines } = run([step(3 * S, { f: 'get', key: 'x' }, 'n3'), step(4 * S, { f: 'set', key: 'x', value: 2 })])
    const sets = lines.filter((l) => l.type === 'send' && l.from === 'c1' && l.mtype === 'client:set')
    expect(sets.map((l) => l.to)).toEqual(['n3'])
  })

  it('asks the named node for CLUSTER SLOTS, a command without keys', () => {
    const { result, lines } = run([step(4 * S, { f: 'cluster-slots' }, 'n5')])
    expect(lines.filter((l) => l.type === 'send' && l.from === 'c1' && l.mtype === 'client:cluster-slots').map((l) => l.to)).toContain('n5')
    const ok = result.history.find((h) => h.type === 'ok')
    const ranges = (ok?.value as Array<[number, number, [string]]>).map(([a, b, master]) => [a, b, master[0]])
    expect(ranges).toEqual([[0, 5460, 'n1'], [5461, 10922, 'n2'], [10923, 16383, 'n3']])
  })
})
