/**
 * Every protocol registered in cli/protocols.ts: the correct protocol passes bounded runs, and
 * each of its mutants is caught with the default settings (seed 1). A protocol landing in the
 * registry is covered here without further work.
 *
 * NOT_CAUGHT lists the mutants the check does not catch, each with why: they show as todo, not
 * as passing. Those that need an exact interleaving are caught through the protocol's fault
 * tactics (check/tactics.ts: a share of runs draws its plan from one). Today the list is
 * empty: every mutant of every protocol is caught. A listed mutant that starts being caught fails
 * this test, so the list cannot go stale silently.
 */
import { describe, expect, it } from 'vitest'
import { PROTOCOLS } from '../cli/protocols.ts'
import { checkProtocol } from './check.ts'
import { expectMutantsCaught, expectPasses } from './testing.ts'

const NOT_CAUGHT: Record<string, Record<string, string>> = {}

/** Runs per protocol for "passes": a few of the slow ones, more of the fast. */
const PASS_RUNS: Record<string, number> = { 'redis-cluster': 8 }

describe.each(PROTOCOLS.map((p) => [p.name, p] as const))('faultline check %s', (name, protocol) => {
  const gaps = NOT_CAUGHT[name] ?? {}
  const mutants = (protocol.mutants ?? []).filter((m) => !(m.name in gaps))

  it(`passes ${PASS_RUNS[name] ?? 20} generated runs`, async () => {
    await expectPasses(protocol, { runs: PASS_RUNS[name] ?? 20 })
  })

  it.runIf(mutants.length > 0)(`catches mutants with default settings (${mutants.map((m) => m.name).join(', ')})`, async () => {
    await expectMutantsCaught({ ...protocol, mutants }, {})
  }, 180_000)

  for (const [mutant, why] of Object.entries(gaps)) {
    it.todo(`${mutant}: not caught by random runs yet: ${why}`)
  }
})

describe('the list of mutants not caught', () => {
  it('names only mutants that exist, and stays true on a short check (20 runs each)', async () => {
    for (const [name, gaps] of Object.entries(NOT_CAUGHT)) {
      const protocol = PROTOCOLS.find((p) => p.name === name)
      if (!protocol) continue
      for (const mutant of Object.keys(gaps)) {
        expect(protocol.mutants?.map((m) => m.name), `${name} has no mutant ${mutant}`).toContain(mutant)
        const report = await checkProtocol(protocol, { runs: name === 'redis-cluster' ? 3 : 20, seed: 1, mutant, outDir: null, shrinkBudgetMs: 1 })
        expect(report.passed, `${name} ${mutant} is caught now: take it off NOT_CAUGHT`).toBe(true)
      }
    }
  }, 180_000)
})
