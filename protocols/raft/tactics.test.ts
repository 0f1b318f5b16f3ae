/**
 * Raft's fault tactics: well-formed, randomised plans; correct Raft passes their runs; and
 * each catches its mutant within a bounded number of runs (the same runs `faultline check`
 * makes: check/tactics.ts turns a tactic into run specs, check/run-one.ts judges them).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runOne } from '../../check/run-one.ts'
import { DEFAULT_SHAPE } from '../../check/run-spec.ts'
import { tacticPlan, tacticSpecArbitrary } from '../../check/tactics.ts'
import { parsePlan, planToJson } from '../../sim/nemesis/plan.ts'
import { defaultNodeIds } from '../../sim/options.ts'
import type { FaultTactic } from '../../sim/protocol.ts'
import { raft } from './index.ts'
import { deposedLeaderTactic, doubleVoteTactic, figure8Tactic, RAFT_TACTICS } from './tactics.ts'

const FAULT_US = DEFAULT_SHAPE.faultUs

/** The failures of `count` tactic runs (fixed sample seed), as "kind: message" lines. */
function failures(tactic: FaultTactic, mutant: string | null, count: number): string[] {
  const specs = fc.sample(tacticSpecArbitrary(tactic, DEFAULT_SHAPE), { seed: 42, numRuns: count })
  return specs.flatMap((spec) => {
    const failure = runOne({ protocol: raft, mutant, historyBudgetMs: 5_000 }, spec).failure
    return failure ? [`${failure.kind}: ${failure.message}`] : []
  })
}

describe('raft fault tactics', () => {
  it('are registered on the protocol, each with configs Raft accepts', () => {
    expect(raft.faultTactics).toBe(RAFT_TACTICS)
    for (const tactic of RAFT_TACTICS) for (const config of tactic.configs ?? []) expect(() => raft.parseConfig!(config)).not.toThrow()
  })

  it.each(RAFT_TACTICS.map((t) => [t.name, t] as const))('%s: plans stay in the fault phase, parse as plans, and vary with the draws', (_name, tactic) => {
    const nodes = tactic.nodes![0]!
    const plans = [1, 2, 3].map((seed) => tacticPlan(tactic, nodes, FAULT_US, seed))
    for (const plan of plans) {
      expect(plan.length).toBeGreaterThan(5)
      expect(plan.every((step, i) => step.at >= 0 && step.at < FAULT_US && (i === 0 || plan[i - 1]!.at <= step.at))).toBe(true)
      expect(parsePlan(JSON.parse(JSON.stringify({ steps: planToJson(plan) })), defaultNodeIds(nodes))).toEqual(plan)
      // Waiting steps, not polling: few plain "pause leader" steps.
      expect(plan.filter((step) => step.do === 'pause' && step.node === 'leader' && step.until === undefined).length).toBeLessThan(5)
    }
    expect(tacticPlan(tactic, nodes, FAULT_US, 1)).toEqual(plans[0])
    expect(plans[1]).not.toEqual(plans[0])
  })

  it('correct Raft passes every tactic run: no invariant violation, liveness after the heal, linearizable history', () => {
    for (const tactic of RAFT_TACTICS) expect(failures(tactic, null, 12), tactic.name).toEqual([])
  }, 60_000)

  it('restart-between-candidates catches forget-voted-for (two leaders of one term)', () => {
    const found = failures(doubleVoteTactic, 'forget-voted-for', 20)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]).toMatch(/^invariant: election-safety/)
  }, 60_000)

  it('restart-between-candidates and figure-8 stop the next leader with one waiting step', () => {
    for (const tactic of [doubleVoteTactic, figure8Tactic]) {
      const plan = tacticPlan(tactic, 5, FAULT_US, 7)
      expect(plan.some((step) => step.do === 'pause' && step.node === 'leader' && step.isolate === true && step.until !== undefined)).toBe(true)
    }
  })

  it('deposed-leader-reads catches stale-read (a read answered by a deposed leader)', () => {
    const found = failures(deposedLeaderTactic, 'stale-read', 40)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]).toMatch(/^linearizability: /)
  }, 60_000)

  it('figure-8 catches commit-previous-term (a counted, committed entry overwritten)', () => {
    const found = failures(figure8Tactic, 'commit-previous-term', 40)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]).toMatch(/^invariant: (leader-completeness|state-machine-safety)/)
  }, 60_000)
})
