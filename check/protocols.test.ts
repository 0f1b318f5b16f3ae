/**
 * Every protocol registered in cli/protocols.ts: the correct protocol passes bounded runs, and
 * each of its mutants is caught with the default settings. A protocol landing in the registry is
 * covered here without further work.
 */
import { describe, it } from 'vitest'
import { PROTOCOLS } from '../cli/protocols.ts'
import { expectMutantsCaught, expectPasses } from './testing.ts'

describe.each(PROTOCOLS.map((p) => [p.name, p] as const))('faultline check %s', (_name, protocol) => {
  it('passes 20 generated runs', async () => {
    await expectPasses(protocol, { runs: 20 })
  })

  it.runIf((protocol.mutants ?? []).length > 0)(`catches every mutant with default settings (${(protocol.mutants ?? []).map((m) => m.name).join(', ')})`, async () => {
    await expectMutantsCaught(protocol)
  }, 120_000)
})
