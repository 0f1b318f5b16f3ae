/**
 * Every shipped scenario runs here: its expectations hold, its captions find their moments,
 * every expectation, flipped, fails on the same run (each is tight), and every name they match
 * on occurs in some run (vocabulary.ts).
 */
import { describe, expect, it } from 'vitest'
import { catalog } from './catalog.ts'
import { flip } from './flip.ts'
import { narrate } from './narrate.ts'
import { evaluateOn, loadScenarioFile, runScenario } from './run.ts'

const scenarios = catalog().filter((e) => e.kind === 'scenario')

describe('the shipped scenarios', () => {
  it('cover claims 1 to 23 and 27 of CLAIMS.md', () => {
    const claimed = new Set(scenarios.flatMap((e) => loadScenarioFile(e.path).claims))
    const missing = [...Array.from({ length: 23 }, (_, i) => i + 1), 27].filter((n) => !claimed.has(n))
    expect(missing).toEqual([])
  })

  it('have unique names, each its file name', () => {
    const names = catalog().map((e) => e.name)
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([])
  })

  it.each(scenarios.map((e) => [e.name, e.path]))('%s: expectations hold, and each flipped one fails', (name, path) => {
    const scenario = loadScenarioFile(path)
    expect(scenario.name).toBe(name)
    const run = runScenario(scenario)
    if (!run.ok) expect.fail(narrate(run, { reproduce: `faultline scenario run ${name}` }))
    for (const v of run.variants) {
      const expectations = [...scenario.expect, ...v.variant.expect]
      const flipped = evaluateOn(v, scenario, expectations.map(flip))
      const stillHolding = flipped.filter((o) => o.ok).map((o) => `${o.says} (${o.detail})`)
      expect(stillHolding, `variant '${v.variant.label}': flipped expectations that still hold`).toEqual([])
    }
  })
})
