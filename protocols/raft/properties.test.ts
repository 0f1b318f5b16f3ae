/**
 * Properties of Raft over generated runs: whatever the faults (any plan, lossy and duplicating
 * networks, clock skew, crashes with lost unsynced writes), correct Raft violates no invariant
 * and raises no node error; the same seed replays to the same trace; and after the faults end
 * the cluster settles on one leader and serves clients again.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Simulation } from '../../sim/engine.ts'
import { planArbitrary } from '../../sim/nemesis/arbitrary.ts'
import { defaultNetworkConfig } from '../../sim/network/config.ts'
import type { InvariantContext } from '../../sim/protocol.ts'
import { traced } from '../../sim/testing.ts'
import { US_PER_S } from '../../sim/time.ts'
import { raft } from './index.ts'
import { acknowledgedLeaders, raftLiveness } from './liveness.ts'
import type { RaftNode } from './node.ts'
import { planFor } from './testing.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']
const DURATION_US = 6 * US_PER_S

describe('safety over generated plans', () => {
  it('correct Raft never violates an invariant', () => {
    const run = fc.record({
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      plan: planArbitrary(NODES, DURATION_US),
      loss: fc.constantFrom(0, 0.05, 0.3),
      duplicate: fc.constantFrom(0, 0.1),
      lose: fc.boolean(),
      config: fc.record({ preVote: fc.boolean(), checkQuorum: fc.boolean(), readMode: fc.constantFrom('log' as const, 'readindex' as const), snapshotThreshold: fc.constantFrom(5, 50, 200), maxEntriesPerAppend: fc.constantFrom(1, 64) }),
    })
    fc.assert(
      fc.property(run, ({ seed, plan, loss, duplicate, lose, config }) => {
        const sim = new Simulation({ protocol: raft, seed, nodes: NODES, plan, config: { ...config }, loseUnsyncedWrites: lose, network: { ...defaultNetworkConfig(), loss, duplicate }, workload: { clients: 3 } })
        sim.run({ untilUs: DURATION_US })
        const r = sim.finish()
        expect(r.nodeError).toBeNull()
        expect(r.violation).toBeNull()
      }),
      { numRuns: 100, seed: 42 },
    )
  }, 180_000) // generous: a shared, loaded CI machine can be several times slower than a quiet one
})

describe('determinism', () => {
  it('the same seed and config give a byte-identical trace; another seed does not', () => {
    const options = (seed: number) => ({ protocol: raft, seed, nodes: 5, plan: planFor('storm', seed, 3 * US_PER_S), workload: { clients: 3 } })
    const a = traced(options(7), 3 * US_PER_S)
    const b = traced(options(7), 3 * US_PER_S)
    const c = traced(options(8), 3 * US_PER_S)
    expect(a.result.traceHash).toBe(b.result.traceHash)
    expect(a.text).toBe(b.text)
    expect(c.result.traceHash).not.toBe(a.result.traceHash)
    expect(a.events.some((e) => e.type === 'note')).toBe(true)
  })
})

describe('liveness after the faults end', () => {
  it('within the liveness bound, one leader acknowledged by a majority and completed client operations', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const sim = new Simulation({ protocol: raft, seed, nodes: 5, plan: planFor('chaos', seed, 10 * US_PER_S), workload: { clients: 3 } })
      sim.run({ untilUs: 10 * US_PER_S })
      for (const id of sim.nodeIds) if (sim.status(id) !== 'up') sim.apply({ do: sim.status(id) === 'paused' ? 'resume' : 'restart', node: id })
      sim.apply({ do: 'heal' })
      const liveness = raftLiveness()
      const ctx = (): InvariantContext<RaftNode> => ({
        time: sim.now(), eventIndex: sim.eventCount, touched: null, nodeIds: sim.nodeIds,
        node: (id) => sim.node<RaftNode>(id), storage: (id) => sim.storage(id), history: sim.history,
      })
      expect(liveness.check(ctx())).not.toBeNull() // nothing completed since the heal yet
      const healedUs = sim.now()
      sim.run({ untilUs: healedUs + liveness.withinUs, stopWhen: () => liveness.check(ctx()) === null })
      expect(liveness.check(ctx())).toBeNull()
      expect(acknowledgedLeaders(ctx())).toHaveLength(1)
    }
  })
})
