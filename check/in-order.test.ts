import { describe, expect, it } from 'vitest'
import type { RunSummary } from './evaluate.ts'
import { runInOrder } from './in-order.ts'

const summary = (index: number, failed = false): RunSummary => ({ index, failed, kind: failed ? 'invariant' : null, events: 1, simTimeUs: 1, history: 'skipped', reports: [], tactic: null })

/** Later runs finish first (fewer event-loop turns), the opposite of index order. */
function turns(n: number): Promise<void> {
  let p = Promise.resolve()
  for (let k = 0; k < n; k++) p = p.then(() => new Promise((resolve) => setImmediate(resolve)))
  return p
}

describe('runInOrder', () => {
  it('returns every result in index order whatever order they finish in, never more than inFlight pending', async () => {
    let pending = 0
    let most = 0
    const run = async (i: number) => {
      most = Math.max(most, ++pending)
      await turns(10 - (i % 10))
      pending--
      return summary(i)
    }
    const done = await runInOrder(25, 4, run, () => false)
    expect(done.results.map((r) => r.index)).toEqual([...Array(25).keys()])
    expect(done.outOfTime).toBe(false)
    expect(most).toBe(4)
  })

  it('stops at the lowest failing index, even when a later failure finishes first, and starts nothing after it', async () => {
    const started: number[] = []
    const run = async (i: number) => {
      started.push(i)
      await turns(i === 5 ? 8 : 1)
      return summary(i, i === 5 || i === 6)
    }
    const done = await runInOrder(40, 3, run, () => false)
    expect(done.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5])
    expect(done.results.at(-1)!.failed).toBe(true)
    // 6 failed first; nothing past it was started after that.
    expect(Math.max(...started)).toBeLessThanOrEqual(7)
  })

  it('starts no run once over budget and says so; the runs already started all count', async () => {
    let calls = 0
    const done = await runInOrder(10, 2, async (i) => summary(i), () => ++calls > 3)
    expect(done.results.map((r) => r.index)).toEqual([0, 1, 2])
    expect(done.outOfTime).toBe(true)
  })

  it('rethrows the first error after every started run has settled', async () => {
    const settled: number[] = []
    const run = async (i: number) => {
      await turns(i === 0 ? 5 : 1)
      settled.push(i)
      if (i === 1) throw new Error('worker failed')
      return summary(i)
    }
    await expect(runInOrder(10, 3, run, () => false)).rejects.toThrow('worker failed')
    expect(settled.sort()).toEqual([0, 1, 2])
  })
})
