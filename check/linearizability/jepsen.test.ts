/**
 * Agreement with every known verdict of the Jepsen etcd histories. The logs live outside the
 * repository (../shared/testdata/jepsen-etcd/, or FAULTLINE_JEPSEN_DIR); without them this test
 * skips and says why. The in-repo sample (check/testdata) is checked in checker.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkLinearizable, findModel, operationsFromHistory, parseJepsenLog } from './index.ts'

const DIR = process.env.FAULTLINE_JEPSEN_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'testdata', 'jepsen-etcd')
const VERDICTS = join(DIR, 'verdicts.json')
const verdicts: Record<string, string> = existsSync(VERDICTS) ? JSON.parse(readFileSync(VERDICTS, 'utf8')) : {}
const present = Object.keys(verdicts).filter((name) => existsSync(join(DIR, name)))
const missing = Object.keys(verdicts).length - present.length

if (present.length === 0) {
  console.warn(`jepsen.test.ts: skipped: no Jepsen etcd logs in ${DIR} (${existsSync(VERDICTS) ? 'verdicts.json is there, the logs are not' : 'no verdicts.json'}); set FAULTLINE_JEPSEN_DIR to run it`)
}

describe.skipIf(present.length === 0)('Jepsen etcd verdicts', () => {
  it(`agrees with verdicts.json on every log present (${present.length}, ${missing} missing)`, () => {
    const register = findModel('register')
    const disagreements: string[] = []
    for (const name of present) {
      const text = readFileSync(join(DIR, name), 'utf8')
      const expected = verdicts[name]
      const ops = operationsFromHistory(parseJepsenLog(text, name))
      const got = ops.length === 0 ? 'empty' : checkLinearizable(register, ops, { timeBudgetMs: 60_000 }).verdict
      if (got !== expected && !(expected === 'empty' && got === 'linearizable')) disagreements.push(`${name}: expected ${expected}, got ${got}`)
    }
    expect(disagreements).toEqual([])
  })
})
