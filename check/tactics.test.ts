import { describe, expect, it } from 'vitest'
import { pingpong } from '../sim/builtin/pingpong.ts'
import type { FaultTactic } from '../sim/protocol.ts'
import { checkProtocol, type CheckReport } from './check.ts'
import { specFor } from './evaluate.ts'
import { DEFAULT_SHAPE } from './run-spec.ts'
import { InputError } from '../sim/time.ts'
import { TACTIC_SHARE, tacticFor, tacticPlan } from './tactics.ts'
import { pingpongTactic } from './test-protocols.ts'

const stable = (r: CheckReport) => ({ ...r, wallMs: 0, workers: 0 })
const protocolModule = { url: new URL('./test-protocols.ts', import.meta.url).href, exportName: 'pingpongTactic' }

describe('fault tactics in the check', () => {
  it('a share of runs, chosen from the run seed alone, uses a tactic; a protocol without tactics never does', () => {
    const indices = Array.from({ length: 300 }, (_, i) => i)
    const chosen = indices.filter((i) => tacticFor(pingpongTactic, 7, i) !== null).length
    expect(chosen).toBeGreaterThan(300 / TACTIC_SHARE - 40)
    expect(chosen).toBeLessThan(300 / TACTIC_SHARE + 40)
    expect(indices.map((i) => tacticFor(pingpongTactic, 7, i)?.name ?? null)).toEqual(indices.map((i) => tacticFor(pingpongTactic, 7, i)?.name ?? null))
    expect(indices.some((i) => tacticFor(pingpong, 7, i) !== null)).toBe(false)
  })

  it("a tactic run's spec carries the tactic's plan, cluster size and name", () => {
    const index = Array.from({ length: 50 }, (_, i) => i).find((i) => tacticFor(pingpongTactic, 3, i) !== null)!
    const spec = specFor(pingpongTactic, { seed: 3, index, mutant: null, shape: DEFAULT_SHAPE, historyBudgetMs: 1000 })
    expect(spec.tactic).toBe('poke')
    expect(spec.nodes).toBe(3)
    expect(spec.faults.map((s) => s.do)).toEqual(['crash', 'restart', 'command'])
  })

  it('refuses a tactic step outside the fault phase with one clear line', () => {
    const bad: FaultTactic = { name: 'late', description: 'too late', plan: ({ faultUs }) => [{ at: faultUs, do: 'heal' }] }
    expect(() => tacticPlan(bad, 3, 1_000_000, 1)).toThrow(/fault tactic 'late' made a step at 1000000us, outside the fault phase/)
  })

  it('passes the correct protocol, counting tactic runs identically for 1 and 2 workers', async () => {
    const one = await checkProtocol(pingpongTactic, { runs: 12, seed: 4, outDir: null })
    const two = await checkProtocol(pingpongTactic, { runs: 12, seed: 4, outDir: null, workers: 2, protocolModule })
    expect(one.passed).toBe(true)
    expect(one.tacticRuns.poke).toBeGreaterThan(0)
    expect(stable(two)).toEqual(stable(one))
  })

  it('catches a mutant only a tactic can expose, and shrinks its plan to the one step that matters', async () => {
    const report = await checkProtocol(pingpongTactic, { runs: 30, seed: 2, mutant: 'fails-on-poke', outDir: null, shrinkBudgetMs: 10_000 })
    const f = report.failure!
    expect(report.passed).toBe(false)
    expect(f.kind).toBe('node-error')
    expect(f.message).toContain('cannot take a poke')
    expect(f.spec.tactic).toBe('poke')
    expect(f.originalSteps).toBe(3)
    expect(f.steps).toHaveLength(1)
    expect(f.steps[0]).toMatch(/command/)
    const two = await checkProtocol(pingpongTactic, { runs: 30, seed: 2, mutant: 'fails-on-poke', outDir: null, shrinkBudgetMs: 10_000, workers: 2, protocolModule })
    expect(two.failure?.run).toBe(f.run)
    expect(two.failure?.steps).toEqual(f.steps)
  })
})

describe('tactic configs', () => {
  it('are validated before any run: a bad one is bad input', async () => {
    const strict = {
      ...pingpongTactic,
      parseConfig: (raw: unknown) => {
        if ((raw as { bad?: boolean }).bad) throw new InputError('bad pingpong config: bad')
        return pingpong.defaultConfig
      },
      faultTactics: [{ ...pingpongTactic.faultTactics![0]!, configs: [{ bad: true }] }],
    }
    // Run 0 of seed 1 is a random run: only the check's own validation can meet the tactic's config.
    expect(tacticFor(strict, 1, 0)).toBeNull()
    await expect(checkProtocol(strict, { runs: 1, seed: 1, outDir: null })).rejects.toThrow(/bad pingpong config: bad/)
  })
})
