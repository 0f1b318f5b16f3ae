import { describe, expect, it } from 'vitest'
import type { Txn } from './messages.ts'
import { planSync } from './sync-plan.ts'
import { makeZxid } from './zxid.ts'

const txn = (epoch: number, counter: number): Txn => ({ zxid: makeZxid(epoch, counter), client: 'c1', seq: epoch * 100 + counter, op: { f: 'put', key: 'k0', value: counter } })
/** Epoch 1: 1.1 .. 1.5; epoch 2: 2.1 .. 2.3. */
const history = [1, 2, 3, 4, 5].map((c) => txn(1, c)).concat([1, 2, 3].map((c) => txn(2, c)))
const view = (commitLogCount = 500) => ({ history, baseZxid: 0, commitLogCount })

describe('planSync (LearnerHandler.syncFollower)', () => {
  it('DIFF with nothing to send when the learner is level', () => {
    expect(planSync(view(), makeZxid(2, 3))).toEqual({ mode: 'DIFF', truncZxid: null, fromIndex: 8 })
  })

  it('DIFF from just after the learner last zxid when it lags inside the recent log', () => {
    expect(planSync(view(), makeZxid(1, 4))).toEqual({ mode: 'DIFF', truncZxid: null, fromIndex: 4 })
    expect(planSync(view(), 0)).toEqual({ mode: 'DIFF', truncZxid: null, fromIndex: 0 })
  })

  it('DIFF from an epoch boundary: a zxid with counter 0 names no transaction', () => {
    expect(planSync(view(), makeZxid(2, 0))).toEqual({ mode: 'DIFF', truncZxid: null, fromIndex: 5 })
  })

  it('TRUNC to our last zxid when the learner is ahead of our log', () => {
    expect(planSync(view(), makeZxid(2, 7))).toEqual({ mode: 'TRUNC', truncZxid: makeZxid(2, 3), fromIndex: 8 })
  })

  it('TRUNC to the zxid before a divergent one inside an epoch, then DIFF the rest', () => {
    const gappy = [txn(1, 1), txn(1, 2), txn(1, 4), txn(1, 5)]
    expect(planSync({ history: gappy, baseZxid: 0, commitLogCount: 500 }, makeZxid(1, 3))).toEqual({ mode: 'TRUNC', truncZxid: makeZxid(1, 2), fromIndex: 2 })
  })

  it('SNAP when the divergence crosses an epoch boundary (ZooKeeper never truncates across one)', () => {
    expect(planSync(view(), makeZxid(1, 9))).toEqual({ mode: 'SNAP', truncZxid: null, fromIndex: 8 })
  })

  it('SNAP when the learner is older than the recent log (commitLogCount)', () => {
    expect(planSync(view(3), makeZxid(1, 4)).mode).toBe('SNAP')
    expect(planSync(view(3), 0).mode).toBe('SNAP')
    expect(planSync(view(3), makeZxid(1, 5))).toEqual({ mode: 'DIFF', truncZxid: null, fromIndex: 5 })
  })

  it('SNAP when the learner is older than the snapshot our own log starts from', () => {
    expect(planSync({ history: history.slice(5), baseZxid: makeZxid(1, 5), commitLogCount: 500 }, makeZxid(1, 3)).mode).toBe('SNAP')
    expect(planSync({ history: history.slice(5), baseZxid: makeZxid(1, 5), commitLogCount: 500 }, makeZxid(1, 5))).toEqual({ mode: 'DIFF', truncZxid: null, fromIndex: 0 })
  })
})
