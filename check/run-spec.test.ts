import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePlan, planToJson } from '../sim/nemesis/plan.ts'
import { FAULT_KINDS, KIND_OF_ACTION } from '../sim/nemesis/types.ts'
import { defaultNodeIds } from '../sim/options.ts'
import { contextFor, evaluateRun, specFor } from './evaluate.ts'
import { runOne } from './run-one.ts'
import { raft } from '../protocols/raft/index.ts'
import { MemoryTraceSink } from '../sim/trace/writer.ts'
import { pingpong } from '../sim/builtin/pingpong.ts'
import { DEFAULT_SHAPE, healSteps, runSpecArbitrary } from './run-spec.ts'
import { runSeed, shardIndices } from './seeds.ts'

const task = (index: number) => ({ seed: 7, index, mutant: null, shape: DEFAULT_SHAPE, historyBudgetMs: 1000 })

describe('run specs', () => {
  it('are valid plans within the fault phase, with shapes from the settings', () => {
    fc.assert(
      fc.property(runSpecArbitrary({ nodes: [3, 5], faultUs: 4_000_000, maxClients: 2, configs: [null] }), (spec) => {
        expect([3, 5]).toContain(spec.nodes)
        expect(spec.clients).toBeGreaterThanOrEqual(1)
        expect(spec.clients).toBeLessThanOrEqual(2)
        expect(spec.faults.every((s) => s.at >= 0 && s.at < 4_000_000)).toBe(true)
        // The plan survives the file round trip the reproduce command depends on, unchanged
        // (order, fields, values): checked runs hand it to the engine as canonical (run-one.ts).
        const plan = [...spec.faults, ...healSteps(spec.nodes, 4_000_000)]
        expect(parsePlan(planToJson(plan), defaultNodeIds(spec.nodes))).toStrictEqual(plan)
      }),
      { numRuns: 200, seed: 1 },
    )
  })

  it('draw their fault kinds per run (swarm): some runs use one kind only', () => {
    const specs = fc.sample(runSpecArbitrary(), { seed: 3, numRuns: 300 })
    const kindsOf = (i: number) => new Set(specs[i]!.faults.map((s) => KIND_OF_ACTION[s.do]))
    const single = specs.filter((_, i) => kindsOf(i).size === 1).length
    const every = specs.filter((_, i) => kindsOf(i).size === FAULT_KINDS.length).length
    expect(single).toBeGreaterThan(10)
    expect(every).toBeGreaterThan(10)
    expect(new Set(specs.map((s) => s.network.loss)).size).toBeGreaterThan(50)
  })

  it('are a pure function of (seed, index): the same run every time, different runs for different indices', () => {
    expect(specFor(pingpong, task(3))).toEqual(specFor(pingpong, task(3)))
    expect(specFor(pingpong, task(3))).not.toEqual(specFor(pingpong, task(4)))
    expect(evaluateRun(pingpong, task(2))).toEqual(evaluateRun(pingpong, task(2)))
    expect(runSeed(7, 0)).not.toBe(runSeed(7, 1))
    expect(runSeed(7, 0)).not.toBe(runSeed(8, 0))
  })

  it('split into shards that cover every index once', () => {
    const all = [1, 2, 3, 4].flatMap((index) => shardIndices(10, { index, count: 4 })).sort((a, b) => a - b)
    expect(all).toEqual(shardIndices(10, null))
    expect(shardIndices(10, { index: 2, count: 4 })).toEqual([1, 5, 9])
  })

  it('heal everything for the liveness phase: partitions, network, crashed and paused nodes, clocks', () => {
    const steps = healSteps(3, 5_000_000)
    expect(steps.every((s) => s.at === 5_000_000)).toBe(true)
    expect(steps.map((s) => s.do)).toEqual(['heal', 'network', 'restart', 'restart', 'restart', 'resume', 'resume', 'resume', 'clock', 'clock', 'clock'])
    expect(steps[1]).toMatchObject({ reset: true, loss: 0, duplicate: 0, reorder: 0 })
    expect(parsePlan(planToJson(steps), defaultNodeIds(3))).toStrictEqual(steps)
  })

  it('run the same whether or not the engine re-validates their plan', () => {
    const sink = () => new MemoryTraceSink()
    const specs = [0, 1, 2, 3, 4, 5].map((index) => specFor(raft, { ...task(index), shape: { ...DEFAULT_SHAPE, nodes: [5] } }))
    expect(specs.some((spec) => spec.tactic !== undefined)).toBe(true)
    expect(specs.some((spec) => spec.tactic === undefined)).toBe(true)
    for (const spec of specs) {
      const ctx = { ...contextFor(raft, { mutant: null, historyBudgetMs: 1000 }) }
      const checked = runOne({ ...ctx, trace: sink() }, spec)
      const trusted = runOne({ ...ctx, trace: sink(), generated: true }, spec)
      expect(trusted.traceHash).not.toBeNull()
      expect(trusted).toStrictEqual(checked)
    }
  })
})
