/** Same seed and config, same trace, byte for byte: with clients, a crash and a partition. */
import { describe, expect, it } from 'vitest'
import { traced } from '../../sim/testing.ts'
import { redisCluster } from './index.ts'

describe('determinism', () => {
  it('replays a run with faults to the same trace hash, and a different seed differs', () => {
    const run = (seed: number) => traced({
      protocol: redisCluster, seed, nodes: 6, workload: { clients: 3 },
      plan: [
        { at: 6_000_000, do: 'crash', node: 'n1' },
        { at: 9_000_000, do: 'isolate', nodes: ['n2'] },
        { at: 20_000_000, do: 'heal' },
        { at: 21_000_000, do: 'restart', node: 'n1' },
      ],
    }, 30_000_000)
    const a = run(5)
    const b = run(5)
    expect(a.result.violation).toBeNull()
    expect(a.result.nodeError ?? null).toBeNull()
    expect(b.result.traceHash).toBe(a.result.traceHash)
    expect(run(6).result.traceHash).not.toBe(a.result.traceHash)
  })
})
