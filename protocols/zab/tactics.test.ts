/**
 * The deposed-leader-reads tactic: its plans are well formed and reproducible, some of a fixed
 * set of its runs give sync-without-quorum a non-linearizable history, and the correct
 * protocol's history stays linearizable on every one of the same runs.
 */
import { describe, expect, it } from 'vitest'
import { checkLinearizable, findModel, operationsFromHistory } from '../../check/linearizability/index.ts'
import { Simulation } from '../../sim/engine.ts'
import { applyNetworkChange, defaultNetworkConfig } from '../../sim/network/config.ts'
import { KIND_OF_ACTION, type Plan } from '../../sim/nemesis/types.ts'
import { defaultNodeIds } from '../../sim/options.ts'
import { US_PER_S } from '../../sim/time.ts'
import { zab } from './index.ts'
import { deposedLeaderReads } from './tactics.ts'

const FAULT_US = 10 * US_PER_S
const NODE_IDS = defaultNodeIds(5)
/** Draws as the check makes them: 1-4 clients, some loss; 40 of them, fixed. */
const DRAWS = Array.from({ length: 40 }, (_, i) => ({ seed: 5000 + i, planSeed: 77 + i, clients: 1 + (i % 4), loss: [0, 0.02, 0.05, 0.1][(i >> 2) % 4]! }))

/** Uniform in [0, 1) from a seed (mulberry32), standing in for the check's stream. */
function uniform(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function planFor(planSeed: number): Plan {
  return deposedLeaderReads.plan({ nodeIds: NODE_IDS, faultUs: FAULT_US, random: uniform(planSeed) })
}

/** Runs the fault phase and two healed seconds, and checks the history against the kv model. */
function historyVerdict(draw: (typeof DRAWS)[number], mutant: string | null): string {
  const network = applyNetworkChange(defaultNetworkConfig(), { loss: draw.loss })
  const sim = new Simulation({ protocol: zab, seed: draw.seed, nodes: 5, mutant, plan: planFor(draw.planSeed), network, workload: { clients: draw.clients } })
  sim.run({ untilUs: FAULT_US + 2 * US_PER_S })
  const result = sim.finish()
  expect(result.violation, `draw ${draw.seed}`).toBeNull()
  expect(result.nodeError, `draw ${draw.seed}`).toBeNull()
  return checkLinearizable(findModel('kv'), operationsFromHistory(result.history), { timeBudgetMs: 10_000 }).verdict
}

describe('zab fault tactic deposed-leader-reads', () => {
  it('plans stay inside the fault phase, undo every fault, and follow the draws', () => {
    for (let planSeed = 0; planSeed < 50; planSeed++) {
      const plan = planFor(planSeed)
      expect(plan.length).toBeGreaterThan(0)
      expect(plan.every((step) => step.at >= 0 && step.at < FAULT_US)).toBe(true)
      expect(plan.map((s) => s.at)).toEqual([...plan.map((s) => s.at)].sort((a, b) => a - b))
      const last = plan[plan.length - 1]!.at
      const atEnd = plan.filter((s) => s.at === last)
      expect(atEnd.some((s) => s.do === 'heal')).toBe(true)
      expect(atEnd.filter((s) => s.do === 'clock' && s.driftPpm === 0 && s.offset === '0ms').map((s) => (s as { node: string }).node)).toEqual(NODE_IDS)
      expect(plan.every((s) => KIND_OF_ACTION[s.do] === 'partition' || KIND_OF_ACTION[s.do] === 'clock')).toBe(true)
      expect(planFor(planSeed)).toEqual(plan)
    }
    expect(planFor(1)).not.toEqual(planFor(2))
  })

  it('sync-without-quorum gives some runs a non-linearizable history; the correct protocol none', () => {
    const stale = DRAWS.filter((draw) => historyVerdict(draw, 'sync-without-quorum') === 'not-linearizable')
    const correct = DRAWS.map((draw) => historyVerdict(draw, null))
    expect(correct.every((v) => v === 'linearizable')).toBe(true)
    expect(stale.length).toBeGreaterThan(0)
  }, 60_000)
})
