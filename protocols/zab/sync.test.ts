/** The three ways a leader brings a learner up to date, each seen in a run. */
import { describe, expect, it } from 'vitest'
import { US_PER_S } from '../../sim/time.ts'
import { traced } from '../../sim/testing.ts'
import { zab } from './index.ts'
import type { ZabNode } from './node.ts'
import { notesOf } from './testing.ts'

const S = US_PER_S
const puts = { clients: 3, mix: { put: 1 }, thinkUs: 20_000 }

function syncsOf(events: Parameters<typeof notesOf>[0], learner: string) {
  return notesOf(events, 'sync').filter((n) => n.data.learner === learner)
}

/** The learner's delivered data equals the leader's for every key. */
function sameData(leader: ZabNode, learner: ZabNode) {
  for (const key of ['k0', 'k1', 'k2', 'k3', 'k4']) expect(learner.tree.read(key), key).toEqual(leader.tree.read(key))
}

describe('zab synchronisation', () => {
  it('DIFF: a follower back from a crash gets the transactions it missed', () => {
    const plan = [{ at: 1 * S, do: 'crash' as const, node: 'n1' }, { at: 2 * S, do: 'restart' as const, node: 'n1' }]
    const { result, events, sim } = traced({ protocol: zab, seed: 4, nodes: 5, workload: { ...puts, stopAtUs: 3 * S }, plan }, 4 * S)
    expect(result.violation).toBeNull()
    const rejoin = syncsOf(events, 'n1').filter((n) => n.atUs > 2 * S)
    expect(rejoin.map((n) => n.data.mode)).toEqual(['DIFF'])
    expect(rejoin[0]!.data.txns).toBeGreaterThan(10)
    sameData(sim.node<ZabNode>('n5')!, sim.node<ZabNode>('n1')!)
  })

  it('SNAP: a follower further behind than commitLogCount gets the whole tree', () => {
    const plan = [{ at: 1 * S, do: 'crash' as const, node: 'n1' }, { at: 2 * S, do: 'restart' as const, node: 'n1' }]
    const config = { commitLogCount: 10 }
    const { result, events, sim } = traced({ protocol: zab, seed: 4, nodes: 5, config, workload: { ...puts, stopAtUs: 3 * S }, plan }, 4 * S)
    expect(result.violation).toBeNull()
    expect(syncsOf(events, 'n1').filter((n) => n.atUs > 2 * S).map((n) => n.data.mode)).toEqual(['SNAP'])
    const n1 = sim.node<ZabNode>('n1')!
    expect(n1.store.snapshot.zxid).toBeGreaterThan(0)
    sameData(sim.node<ZabNode>('n5')!, n1)
  })

  it('TRUNC: a deposed leader drops the proposals no quorum logged', () => {
    // n5 leads; cut off with n1 (and client c1, beside n1) it proposes writes nobody else logs.
    // It crashes and rejoins the majority's new leader, which has nothing newer: TRUNC.
    const plan = [
      { at: 2 * S, do: 'groups' as const, groups: [['n1', 'n5'], ['n2', 'n3', 'n4']] },
      { at: 3 * S, do: 'crash' as const, node: 'n5' },
      { at: 4 * S, do: 'isolate' as const, nodes: ['n1'] },
      { at: 4 * S, do: 'restart' as const, node: 'n5' },
      { at: 7 * S, do: 'heal' as const },
    ]
    const { result, events, sim } = traced({ protocol: zab, seed: 1, nodes: 5, workload: { clients: 1, mix: { put: 1 } }, plan }, 10 * S)
    expect(result.violation).toBeNull()
    const trunc = syncsOf(events, 'n5').find((n) => n.data.mode === 'TRUNC')
    expect(trunc).toBeDefined()
    const n5 = sim.node<ZabNode>('n5')!
    const leader = ['n1', 'n2', 'n3', 'n4', 'n5'].map((id) => sim.node<ZabNode>(id)!).find((n) => n.leader?.established)!
    // After TRUNC and the new epoch's writes, n5's log is a prefix of the leader's or equal.
    const mine = n5.store.history.map((t) => t.zxid)
    expect(mine).toEqual(leader.store.history.map((t) => t.zxid).slice(0, mine.length))
  })
})
