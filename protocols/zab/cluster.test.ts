/**
 * ZAB in the simulator: a healthy cluster, a partitioned leader stepping down, a minority
 * that serves stale reads but cannot write, exactly-once retried writes, determinism.
 */
import { describe, expect, it } from 'vitest'
import { US_PER_MS, US_PER_S } from '../../sim/time.ts'
import { traced } from '../../sim/testing.ts'
import { Simulation } from '../../sim/engine.ts'
import { checkLinearizable, findModel, operationsFromHistory } from '../../check/linearizability/index.ts'
import { defaultNetworkConfig } from '../../sim/network/config.ts'
import { parseLatency } from '../../sim/network/latency.ts'
import { zab } from './index.ts'
import type { ZabNode } from './node.ts'
import { notesOf, type ScriptOutcome, scriptedZab } from './testing.ts'
import { parsePlan } from '../../sim/nemesis/plan.ts'
import { formatZxid } from './zxid.ts'

const S = US_PER_S

describe('zab cluster', () => {
  it('elects the highest id on a fresh cluster, commits client writes and stays safe', () => {
    const { result, events, sim } = traced({ protocol: zab, seed: 7, nodes: 5, workload: { clients: 3 } }, 5 * S)
    expect(result.violation).toBeNull()
    expect(result.nodeError).toBeNull()
    expect(notesOf(events, 'established').map((n) => n.node)).toEqual(['n5'])
    const oks = result.history.filter((h) => h.type === 'ok' && h.f !== 'sync-get')
    expect(oks.length).toBeGreaterThan(20)
    // Every server has delivered the same committed prefix.
    const committed = ['n1', 'n2', 'n3', 'n4', 'n5'].map((id) => sim.node<ZabNode>(id)!.deliveries.txns.map((t) => t.zxid))
    const longest = committed.reduce((a, b) => (a.length >= b.length ? a : b))
    for (const c of committed) expect(c).toEqual(longest.slice(0, c.length))
  })

  it.each([1, 2, 3, 7])('works with %i servers (a lone server is its own quorum)', (nodes) => {
    const { result } = traced({ protocol: zab, seed: 2, nodes, workload: { clients: 2 } }, 3 * S)
    expect(result.violation).toBeNull()
    expect(result.history.filter((h) => h.type === 'ok').length).toBeGreaterThan(10)
  })

  it('a partitioned leader steps down within syncLimit and the majority elects another', () => {
    const plan = [{ at: 2 * S, do: 'isolate' as const, nodes: ['n5'] }]
    const { result, events } = traced({ protocol: zab, seed: 3, nodes: 5, workload: { clients: 3 }, plan }, 5 * S)
    expect(result.violation).toBeNull()
    const stepDown = notesOf(events, 'step-down').find((n) => n.node === 'n5')
    expect(stepDown).toBeDefined()
    // syncLimit is 5 ticks of 100ms: n5 gives up between 0.5s and 0.7s after the cut.
    expect(stepDown!.atUs - 2 * S).toBeGreaterThanOrEqual(400 * US_PER_MS)
    expect(stepDown!.atUs - 2 * S).toBeLessThanOrEqual(800 * US_PER_MS)
    const next = notesOf(events, 'established').filter((n) => n.atUs > 2 * S)
    // Whoever of n1..n4 holds the most recent history (ids break ties) leads epoch 2.
    expect(next).toHaveLength(1)
    expect(next[0]!.node).not.toBe('n5')
    expect(next[0]!.data.epoch).toBe(2)
  })

  it('a minority cannot write but serves stale reads until it loses its leader', () => {
    const outcomes: ScriptOutcome[] = []
    const script = [
      { client: 'c3', atUs: 1 * S, node: 'n3', op: { f: 'put', key: 'k0', value: 'old' } },
      { client: 'c4', atUs: 2100 * US_PER_MS, node: 'n4', op: { f: 'put', key: 'k0', value: 'new' } },
      { client: 'c1', atUs: 2200 * US_PER_MS, node: 'n1', op: { f: 'get', key: 'k0' } },
      { client: 'c2', atUs: 2200 * US_PER_MS, node: 'n2', op: { f: 'put', key: 'k0', value: 'lost' } },
      { client: 'c6', atUs: 2250 * US_PER_MS, node: 'n1', op: { f: 'sync-get', key: 'k0' } },
      { client: 'c7', atUs: 3 * S, node: 'n2', op: { f: 'get', key: 'k0' } },
      { client: 'c5', atUs: 3 * S, node: 'n5', op: { f: 'sync-get', key: 'k0' } },
    ]
    const plan = [{ at: 2 * S, do: 'groups' as const, groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] }]
    const sim = new Simulation({ protocol: scriptedZab(script, outcomes), seed: 11, nodes: 5, workload: { clients: 7, opTimeoutUs: 10 * S, requestTimeoutUs: 10 * S }, plan })
    sim.run({ untilUs: 5 * S })
    expect(sim.finish().violation).toBeNull()
    const answer = (client: string) => outcomes.find((o) => o.step.client === client)?.response
    expect(answer('c3')).toEqual({ ok: true })
    expect(answer('c4')).toEqual({ ok: true }) // the majority commits
    expect(answer('c1')).toEqual({ ok: true, value: 'old' }) // a stale read from the minority
    expect(answer('c2')?.ok).toBe(false) // the minority cannot commit a write
    expect(answer('c6')?.ok).toBe(false) // nor sync with a quorum
    expect(answer('c7')).toMatchObject({ ok: false, error: 'not-serving', retry: true }) // after syncLimit it stops serving
    expect(answer('c5')).toEqual({ ok: true, value: 'new' })
  })

  it('plain get histories are not linearizable (followers lag); the default sync-get histories are', () => {
    const network = { ...defaultNetworkConfig(), latency: parseLatency('longtail:1ms..50ms') }
    const verdict = (mix: Record<string, number>) => {
      const sim = new Simulation({ protocol: zab, seed: 1, nodes: 5, network, workload: { clients: 20, mix } })
      sim.run({ untilUs: 5 * S })
      return checkLinearizable(findModel('kv'), operationsFromHistory(sim.finish().history), { timeBudgetMs: 20_000 }).verdict
    }
    expect(verdict({ get: 2, put: 1 })).toBe('not-linearizable')
    expect(verdict(zab.workload!.mix!)).toBe('linearizable')
  })

  it('applies a write sent twice (same client and seq, through two servers) exactly once', () => {
    const outcomes: ScriptOutcome[] = []
    const script = [
      { client: 'c1', atUs: 1 * S, node: 'n1', alsoTo: ['n2', 'n5'], op: { f: 'append', key: 'k0', value: 'x' } },
      { client: 'c2', atUs: 2 * S, node: 'n2', op: { f: 'sync-get', key: 'k0' } },
    ]
    const sim = new Simulation({ protocol: scriptedZab(script, outcomes), seed: 5, nodes: 5, workload: { clients: 2 } })
    sim.run({ untilUs: 3 * S })
    expect(sim.finish().violation).toBeNull()
    expect(outcomes.filter((o) => o.step.client === 'c1').every((o) => o.response.ok)).toBe(true)
    expect(outcomes.find((o) => o.step.client === 'c2')?.response).toEqual({ ok: true, value: ['x'] })
  })

  it('answers not-serving (definite, retry) while no leader is established', () => {
    const outcomes: ScriptOutcome[] = []
    const script = [{ client: 'c1', atUs: 50 * US_PER_MS, node: 'n1', op: { f: 'get', key: 'k0' } }]
    const sim = new Simulation({ protocol: scriptedZab(script, outcomes), seed: 5, nodes: 5, workload: { clients: 1 } })
    sim.run({ untilUs: 1 * S })
    expect(outcomes[0]?.response).toEqual({ ok: false, error: 'not-serving', retry: true, definite: true })
  })

  it('is deterministic: the same seed gives the same trace hash, another seed another', () => {
    const plan = [{ at: 1 * S, do: 'crash' as const, node: 'leader' as const }, { at: 2 * S, do: 'restart' as const, node: 'crashed' as const }]
    const run = (seed: number) => traced({ protocol: zab, seed, nodes: 5, workload: { clients: 3 }, plan, network: undefined }, 4 * S).result.traceHash
    expect(run(21)).toBe(run(21))
    expect(run(21)).not.toBe(run(22))
  })

  it('restarted servers recover their epochs and log from storage and rejoin', () => {
    const plan = [
      { at: 1 * S, do: 'crash' as const, node: 'n2' },
      { at: 1500 * US_PER_MS, do: 'crash' as const, node: 'n5' },
      { at: 3 * S, do: 'restart' as const, node: 'n2' },
      { at: 3 * S, do: 'restart' as const, node: 'n5' },
    ]
    const { result, sim } = traced({ protocol: zab, seed: 9, nodes: 5, workload: { clients: 3 }, plan, loseUnsyncedWrites: true }, 6 * S)
    expect(result.violation).toBeNull()
    for (const id of ['n2', 'n5']) {
      const view = sim.view(id)!
      expect(view.zabState).toBe('BROADCAST')
      expect(view.currentEpoch).toBe(2)
    }
  })
})

describe('zab broadcast messages', () => {
  it('one write: one PROPOSAL and one ACK per follower, and one COMMIT per follower naming its zxid', () => {
    const plan = parsePlan([{ at: '1s', do: 'invoke', client: 'c1', op: { f: 'put', key: 'x', value: 'X' }, to: 'n5' }], ['n1', 'n2', 'n3', 'n4', 'n5'])
    const { result, events } = traced({ protocol: zab, seed: 7, nodes: 5, workload: { clients: 1, scripted: 1 }, plan }, 1200 * US_PER_MS)
    expect(result.violation).toBeNull()
    const sent = (mtype: string) => events.filter((e) => e.type === 'send' && e.mtype === mtype && e.t >= 1 * S) as Array<{ msg: { body: { zxid?: number } } }>
    expect(sent('PROPOSAL')).toHaveLength(4)
    expect(sent('ACK')).toHaveLength(4)
    // Before the fix, each ACK also sent a COMMIT of 1.0 (the followers' NEWLEADER acks) to everyone.
    expect(sent('COMMIT').map((e) => formatZxid(e.msg.body.zxid!))).toEqual(['1.1', '1.1', '1.1', '1.1'])
  })
})
