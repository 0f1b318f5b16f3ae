/**
 * Every protocol registered in cli/protocols.ts: the correct protocol passes bounded runs, and
 * each of its mutants is caught with the default settings (seed 1). A protocol landing in the
 * registry is covered here without further work.
 *
 * NOT_CAUGHT lists the mutants random runs do not catch yet, each with why: they show as
 * todo, not as passing. Each needs a choreographed scenario (the protocol's own mutants.test.ts
 * has one) or a metric rather than a failure. A listed mutant that starts being caught fails
 * this test, so the list cannot go stale silently.
 */
import { describe, expect, it } from 'vitest'
import { PROTOCOLS } from '../cli/protocols.ts'
import { checkProtocol } from './check.ts'
import { expectMutantsCaught, expectPasses } from './testing.ts'

const NOT_CAUGHT: Record<string, Record<string, string>> = {
  raft: {
    'forget-voted-for': 'needs a voter to crash between two same-term candidates (0 of 400 runs, also with preVote and checkQuorum off)',
    'commit-previous-term': 'needs the Figure 8 sequence of three leaders (0 of 400 runs)',
  },
  zab: {
    'sync-without-quorum': 'needs a stale sync-get on a deposed leader inside its short lease window (0 of 300 runs)',
  },
  'redis-cluster': {
    'double-vote': 'needs two replicas of one failed master asking the same masters at once (0 of 150 runs, also with 6 nodes)',
    'no-epoch-collision': 'needs two masters claiming one slot at one configEpoch (0 of 150 runs)',
    'ignore-config-epoch': 'needs a failover that moves a slot and a stale claim arriving after it (0 of 150 runs)',
    'no-rank-delay': 'by design no failure: it loses more writes, which the write-loss report measures',
  },
}

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
