import { describe, expect, it } from 'vitest'
import type { RaftNode } from './node.ts'
import { doubleVote, figure8 } from './scenarios.ts'

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]

describe('Figure 8', () => {
  it('correct Raft never commits the old-term entry by counting, so overwriting it is safe', () => {
    for (const seed of SEEDS) {
      const { result, completed, sim } = figure8(seed, null)
      expect(completed).toBe(true)
      expect(result.violation).toBeNull()
      expect(result.nodeError).toBeNull()
      // X was overwritten at its index by the later leader's no-op, on every node that committed that index.
      const live = sim.nodeIds.map((id) => sim.node<RaftNode>(id)).filter((n) => n !== undefined)
      const committed = live.filter((n) => n.commitIndex >= 2).map((n) => n.log.entry(2)?.command)
      expect(committed.length).toBeGreaterThanOrEqual(3)
      expect(committed).not.toContain('X')
    }
  })
  it('with commit-previous-term the same script loses a committed entry', () => {
    const found = SEEDS.map((seed) => figure8(seed, 'commit-previous-term').result.violation).filter((v) => v !== null)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]!.invariant).toMatch(/leader-completeness|state-machine-safety/)
  })
})

describe('a vote forgotten across a restart', () => {
  it('correct Raft keeps one leader per term', () => {
    for (const seed of SEEDS) {
      const { result, completed } = doubleVote(seed, null)
      expect(completed).toBe(true)
      expect(result.violation).toBeNull()
    }
  })
  it('with forget-voted-for two candidates win the same term', () => {
    const found = SEEDS.map((seed) => doubleVote(seed, 'forget-voted-for').result.violation).filter((v) => v !== null)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]!.invariant).toBe('election-safety')
  })
})
