/**
 * Each mutant, with a fault plan that exposes it: some seed among a few finds a violation of
 * the expected invariant, and the correct protocol survives the very same runs.
 */
import { describe, expect, it } from 'vitest'
import type { Plan } from '../../sim/nemesis/types.ts'
import type { WorkloadConfig } from '../../sim/clients/workload.ts'
import { Simulation } from '../../sim/engine.ts'
import { US_PER_MS, US_PER_S } from '../../sim/time.ts'
import { zab } from './index.ts'
import { ZAB_MUTANTS } from './mutants.ts'
import { type ScriptOutcome, scriptedZab } from './testing.ts'

const S = US_PER_S
const SEEDS = [1, 2, 3, 4, 5]

interface Case {
  mutant: string
  /** The invariants that may catch it (which one fires first depends on the schedule). */
  caughtBy: string[]
  plan: Plan
  workload: Partial<WorkloadConfig>
  untilUs: number
}

const CASES: Case[] = [
  {
    // n5 (highest id) is cut off and falls behind; then the next leader is cut off instead
    // (one partition at a time), and the stale n5 wins the vote by its id.
    mutant: 'elect-by-id',
    caughtBy: ['zab-primary-integrity', 'zab-agreement', 'zab-primary-order'],
    plan: [
      { at: 1 * S, do: 'isolate', nodes: ['n5'] },
      { at: 4 * S, do: 'isolate', nodes: ['leader'] },
      { at: 7 * S, do: 'heal' },
    ],
    workload: { clients: 3, mix: { put: 1, append: 1 } },
    untilUs: 9 * S,
  },
  {
    // The leader n5, cut off with n1 (and clients c1 and c5), commits without a quorum; the
    // majority's new leader never saw those writes.
    mutant: 'commit-without-quorum',
    caughtBy: ['zab-agreement', 'zab-primary-integrity', 'zab-primary-order'],
    plan: [{ at: 2 * S, do: 'groups', groups: [['n1', 'n5'], ['n2', 'n3', 'n4']] }, { at: 5 * S, do: 'heal' }],
    workload: { clients: 5, mix: { put: 1 } },
    untilUs: 8 * S,
  },
  {
    // As in the TRUNC sync test: the deposed leader n5 keeps the proposals nobody else logged.
    mutant: 'no-truncate',
    caughtBy: ['zab-primary-integrity', 'zab-agreement', 'zab-primary-order'],
    plan: [
      { at: 2 * S, do: 'groups', groups: [['n1', 'n5'], ['n2', 'n3', 'n4']] },
      { at: 3 * S, do: 'crash', node: 'n5' },
      { at: 4 * S, do: 'isolate', nodes: ['n1'] },
      { at: 4 * S, do: 'restart', node: 'n5' },
      { at: 7 * S, do: 'heal' },
    ],
    workload: { clients: 1, mix: { put: 1 } },
    untilUs: 10 * S,
  },
  {
    // Epoch 2 logs nothing; after everyone restarts the epoch is inferred from the log (1) and reused.
    mutant: 'forget-accepted-epoch',
    caughtBy: ['zab-leadership', 'zab-integrity'],
    plan: [
      { at: 2 * S, do: 'crash', node: 'n5' },
      ...['n1', 'n2', 'n3', 'n4'].map((node) => ({ at: 4 * S, do: 'crash' as const, node })),
      { at: 4500 * US_PER_MS, do: 'restart', node: 'n5' },
      ...['n1', 'n2', 'n3', 'n4'].map((node) => ({ at: 5 * S, do: 'restart' as const, node })),
    ],
    workload: { clients: 0 },
    untilUs: 8 * S,
  },
]

function run(c: Case, seed: number, mutant: string | null) {
  const sim = new Simulation({ protocol: zab, seed, nodes: 5, mutant, plan: c.plan, workload: c.workload })
  sim.run({ untilUs: c.untilUs })
  return sim.finish()
}

describe('zab mutants', () => {
  it('every mutant has a case here', () => {
    expect([...CASES.map((c) => c.mutant), 'sync-without-quorum'].sort()).toEqual(ZAB_MUTANTS.map((m) => m.name).sort())
  })

  it('sync-without-quorum: a deposed leader that does not know it yet answers a sync-get with a stale value', () => {
    // n5 leads with a slow clock (its syncLimit runs late), is cut off with n1, and the majority
    // elects n4 and commits 'new'; a sync-get through n1 reaches n5 before n5 steps down.
    const plan: Plan = [
      { at: 0, do: 'clock', node: 'n5', driftPpm: -600_000 },
      { at: 2 * S, do: 'groups', groups: [['n1', 'n5'], ['n2', 'n3', 'n4']] },
    ]
    const script = [
      { client: 'c2', atUs: 1 * S, node: 'n2', op: { f: 'put', key: 'k0', value: 'old' } },
      { client: 'c3', atUs: 2900 * US_PER_MS, node: 'n3', op: { f: 'put', key: 'k0', value: 'new' } },
      { client: 'c1', atUs: 3 * S, node: 'n1', op: { f: 'sync-get', key: 'k0' } },
    ]
    const staleReads = (mutant: string | null) =>
      SEEDS.filter((seed) => {
        const outcomes: ScriptOutcome[] = []
        const sim = new Simulation({ protocol: scriptedZab(script, outcomes), seed, nodes: 5, mutant, plan, workload: { clients: 3, opTimeoutUs: 10 * S, requestTimeoutUs: 10 * S } })
        sim.run({ untilUs: 4 * S })
        const answer = (client: string) => outcomes.find((o) => o.step.client === client)
        const write = answer('c3')
        const read = answer('c1')
        // Stale: 'new' was acknowledged before the read began, yet the read saw 'old'.
        return write?.response.ok === true && write.atUs < 3 * S && read?.response.ok === true && read.response.value === 'old'
      })
    expect(staleReads(null)).toEqual([])
    expect(staleReads('sync-without-quorum').length).toBeGreaterThan(0)
  })

  for (const c of CASES) {
    it(`${c.mutant}: caught within ${SEEDS.length} seeds; the correct protocol survives the same runs`, () => {
      const caught: string[] = []
      for (const seed of SEEDS) {
        const correct = run(c, seed, null)
        expect(correct.violation, `seed ${seed} without the mutant`).toBeNull()
        expect(correct.nodeError, `seed ${seed} without the mutant`).toBeNull()
        const broken = run(c, seed, c.mutant)
        if (broken.violation) caught.push(broken.violation.invariant)
      }
      expect(caught.length).toBeGreaterThan(0)
      for (const name of caught) expect(c.caughtBy).toContain(name)
    })
  }
})
