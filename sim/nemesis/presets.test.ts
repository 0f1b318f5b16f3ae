import { describe, expect, it } from 'vitest'
import { RandomStream } from '../random.ts'
import { InputError, US_PER_S } from '../time.ts'
import { describeStep } from './describe.ts'
import { planProblems } from './effects.ts'
import { parsePlan, planToJson } from './plan.ts'
import { PRESET_NAMES, PRESETS, presetPlan } from './presets.ts'
import { KIND_OF_ACTION, type Plan, type StepKind } from './types.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']
const DURATION_US = 60 * US_PER_S
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1)

const planFor = (name: string, seed: number, nodes = NODES, durationUs = DURATION_US): Plan =>
  presetPlan(name, { nodes, durationUs, rng: RandomStream.root(seed).fork('plan') })

const kindsOf = (plan: Plan): StepKind[] => [...new Set(plan.map((s) => KIND_OF_ACTION[s.do]))].sort()

describe('presets', () => {
  it('each has a one-line description', () => {
    for (const name of PRESET_NAMES) {
      expect(PRESETS[name].description).toMatch(/^[^\n]{5,120}$/)
    }
  })

  describe.each(PRESET_NAMES)('%s', (name) => {
    it('is valid, in time, never downs a majority and ends fully undone, for many seeds and cluster sizes', () => {
      for (const seed of SEEDS) {
        for (const nodes of [NODES, NODES.slice(0, 3), NODES.slice(0, 1), [...NODES, 'n6', 'n7']]) {
          for (const durationUs of [DURATION_US, 3 * US_PER_S]) {
            const plan = planFor(name, seed, nodes, durationUs)
            expect(parsePlan(planToJson(plan), nodes)).toEqual(plan)
            expect(planProblems(plan, nodes.length, durationUs), plan.map(describeStep).join('\n')).toEqual([])
          }
        }
      }
    })

    it('is deterministic for a seed', () => {
      expect(planFor(name, 7)).toEqual(planFor(name, 7))
    })

    it('never makes command steps', () => {
      for (const seed of SEEDS) expect(kindsOf(planFor(name, seed))).not.toContain('command')
    })

    if (name !== 'none') {
      it('has faults in a minute and differs across seeds', () => {
        const plans = SEEDS.map((seed) => JSON.stringify(planFor(name, seed)))
        expect(plans.every((p) => p !== '[]')).toBe(true)
        expect(new Set(plans).size).toBeGreaterThan(SEEDS.length / 2)
      })
    }
  })

  it('none is empty', () => {
    expect(planFor('none', 1)).toEqual([])
  })

  it('isolate-leader isolates the leader and heals', () => {
    const plan = planFor('isolate-leader', 3)
    expect(new Set(plan.map(describeStep).map((line) => line.split(' ').slice(1).join(' ')))).toEqual(
      new Set(['isolate leader', 'heal']),
    )
  })

  it('crash-restart crashes random nodes and restarts the crashed', () => {
    const plan = planFor('crash-restart', 3)
    expect(new Set(plan.map((s) => (s.do === 'crash' || s.do === 'restart' ? `${s.do} ${s.node}` : s.do)))).toEqual(
      new Set(['crash random', 'restart crashed']),
    )
  })

  it('crash-restart overlaps crashes in a big cluster (up to the minority)', () => {
    const overlapping = SEEDS.some((seed) => {
      let down = 0
      let most = 0
      for (const step of planFor('crash-restart', seed, [...NODES, 'n6', 'n7'])) {
        down += step.do === 'crash' ? 1 : -1
        most = Math.max(most, down)
      }
      return most >= 2
    })
    expect(overlapping).toBe(true)
  })

  it('keeps faults 1-5 s apart and 1-5 s long in a long run', () => {
    const plan = planFor('random-partitions', 5)
    for (let i = 0; i < plan.length; i++) {
      const gapUs = plan[i]!.at - (i === 0 ? 0 : plan[i - 1]!.at)
      expect(gapUs).toBeGreaterThanOrEqual(US_PER_S)
      expect(gapUs).toBeLessThanOrEqual(5 * US_PER_S)
    }
  })

  it('clock-skew offsets and drifts clocks within bounds, then resets them', () => {
    const steps = planFor('clock-skew', 9).filter((s) => s.do === 'clock')
    expect(steps.length).toBeGreaterThan(0)
    for (const step of steps) {
      if (step.do !== 'clock') continue
      expect(NODES).toContain(step.node)
      expect(Math.abs(Number(step.offset!.replace(/ms$/, '')))).toBeLessThanOrEqual(500)
      expect(Math.abs(step.driftPpm!)).toBeLessThanOrEqual(500)
    }
  })

  it('chaos mixes different kinds for different seeds', () => {
    const mixes = SEEDS.map((seed) => kindsOf(planFor('chaos', seed)).join(','))
    expect(new Set(mixes).size).toBeGreaterThan(3)
    expect(mixes.some((mix) => mix.split(',').length >= 3)).toBe(true)
    expect(mixes.some((mix) => mix.split(',').length <= 2)).toBe(true)
  })

  it('rejects an unknown name, listing the valid ones', () => {
    expect(() => planFor('chaoss', 1)).toThrow(InputError)
    expect(() => planFor('chaoss', 1)).toThrow(
      "unknown nemesis preset 'chaoss' (expected one of none, isolate-leader, crash-restart, random-partitions, majorities-ring, bridge, clock-skew, chaos)",
    )
  })
})
