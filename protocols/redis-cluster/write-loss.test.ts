/** Write-loss accounting: lost acknowledged writes are found, counted and explained. */
import { describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../sim/clients/history.ts'
import { isolateCut } from '../../sim/network/shapes.ts'
import { cluster, nodeOf, S } from './test-support.ts'
import { findLostWrites } from './write-loss.ts'

const h = (index: number, type: HistoryEntry['type'], op: number, f: string, key: string, value: unknown, timeUs: number): HistoryEntry =>
  ({ index, type, process: 'c1', op, f, key, value, timeUs })

describe('findLostWrites', () => {
  it('a write acknowledged after the one a later read saw, and invisible to it, is lost', () => {
    const history = [
      h(0, 'invoke', 0, 'set', 'k', 1, 0), h(1, 'ok', 0, 'set', 'k', 'OK', 10),
      h(2, 'invoke', 1, 'set', 'k', 2, 20), h(3, 'ok', 1, 'set', 'k', 'OK', 30),
      h(4, 'invoke', 2, 'get', 'k', undefined, 40), h(5, 'ok', 2, 'get', 'k', 1, 50),
    ]
    expect(findLostWrites(history).map((w) => w.value)).toEqual([2])
  })

  it('concurrent writes are not judged, nor a read that sees the newest', () => {
    const history = [
      h(0, 'invoke', 0, 'set', 'k', 1, 0), h(1, 'invoke', 1, 'set', 'k', 2, 5),
      h(2, 'ok', 0, 'set', 'k', 'OK', 10), h(3, 'ok', 1, 'set', 'k', 'OK', 12),
      h(4, 'invoke', 2, 'get', 'k', undefined, 40), h(5, 'ok', 2, 'get', 'k', 1, 50),
    ]
    expect(findLostWrites(history)).toEqual([])
  })

  it('an INCR whose result a later INCR does not exceed is lost', () => {
    const history = [
      h(0, 'invoke', 0, 'incr', 'c', undefined, 0), h(1, 'ok', 0, 'incr', 'c', 1, 10),
      h(2, 'invoke', 1, 'incr', 'c', undefined, 20), h(3, 'ok', 1, 'incr', 'c', 2, 30),
      h(4, 'invoke', 2, 'incr', 'c', undefined, 40), h(5, 'ok', 2, 'incr', 'c', 2, 50),
    ]
    expect(findLostWrites(history).map((w) => w.value)).toEqual([2])
  })
})

describe('writes lost on the minority side of a partition', () => {
  it('counts them and says why: the isolated master took writes until it noticed', () => {
    // 3 masters + 3 replicas; clients c1 and c7 live beside n1, and every client increments
    // k0:ctr, whose slot (3173) n1 owns: the isolated n1 keeps counting until it notices.
    const sim = cluster(6, {}, { workload: { clients: 12, keys: 1, thinkUs: 20_000, mix: { incr: 1 } } })
    sim.run({ untilUs: 8 * S })
    sim.setPartition(isolateCut(['n1'], sim.nodeIds))
    sim.run({ untilUs: 25 * S })
    expect(nodeOf(sim, 'n1').state).toBe('fail') // it stopped, about node_timeout after the cut
    sim.setPartition(null)
    sim.run({ untilUs: 45 * S })
    const result = sim.finish()
    expect(result.violation).toBeNull()
    const report = result.reports.find((r) => r.invariant === 'write-loss')!
    const data = report.data as Record<string, number>
    expect(data['minority-side']).toBeGreaterThan(100)
    expect(data['minority-side']).toBe(data.lost) // nothing else lost anything here
    expect(report.summary).toMatch(/^\d+ of \d+ acknowledged writes lost \(.*minority-side/)
    expect(report.details.some((d) => d.endsWith('lost (minority-side)'))).toBe(true)
  })
})

describe('writes lost when a master dies under load', () => {
  // A (n1) streams to its replica n4 100 ms late, then its machine dies (cut off and stopped):
  // the writes of its last 100 ms never reach n4, which is promoted.
  const run = (loseUnsyncedWrites: boolean) => {
    const sim = cluster(6, { nodeTimeoutMs: 2000 }, {
      seed: 3, loseUnsyncedWrites, workload: { clients: 6, thinkUs: 10_000, keys: 4, mix: { set: 1, get: 1 } },
      plan: [
        { at: 1 * S, do: 'network', latency: 'fixed:100ms', links: [['n1', 'n4']] },
        { at: 5 * S, do: 'crash', node: 'n1', isolate: true },
        { at: 5.1 * S, do: 'heal' },
      ],
    })
    sim.run({ untilUs: 12 * S })
    expect(nodeOf(sim, 'n4').isMaster()).toBe(true)
    return sim.finish().reports.find((r) => r.invariant === 'write-loss')!.data as Record<string, number>
  }

  it('blames the failover when the crash kept the AOF', () => {
    const data = run(false)
    expect(data.lost).toBeGreaterThan(0)
    expect(data.failover).toBe(data.lost)
    expect(data['crash-before-fsync']).toBe(0)
  })

  it('blames the missing fsync only for writes the crash took out of the AOF', () => {
    const data = run(true)
    // The same run: the same writes are lost, but the AOF's last second went with the crash.
    expect(data.lost).toBe(run(false).lost)
    expect(data['crash-before-fsync']).toBeGreaterThan(0)
    expect(data.failover).toBeGreaterThan(0) // synced more than a fsync ago: still a failover loss
    expect(data['crash-before-fsync']! + data.failover!).toBe(data.lost)
  })
})
