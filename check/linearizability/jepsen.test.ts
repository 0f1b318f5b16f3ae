/**
 * Agreement with every known verdict of the 103 Jepsen etcd histories (check/testdata/jepsen-etcd,
 * from Porcupine's test data; FAULTLINE_JEPSEN_DIR points elsewhere). Every log with a verdict
 * must be present, except the one whose verdict is "empty" (it has no events and is not stored).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkLinearizable, findModel, operationsFromHistory, parseJepsenLog } from './index.ts'

const DIR = process.env.FAULTLINE_JEPSEN_DIR ?? join(import.meta.dirname, '..', 'testdata', 'jepsen-etcd')
const verdicts: Record<string, string> = JSON.parse(readFileSync(join(DIR, 'verdicts.json'), 'utf8'))

describe('Jepsen etcd verdicts', () => {
  it('has every log that has events', () => {
    const absent = Object.keys(verdicts).filter((name) => !existsSync(join(DIR, name)))
    expect(absent.filter((name) => verdicts[name] !== 'empty')).toEqual([])
    expect(Object.keys(verdicts)).toHaveLength(103)
  })

  it('agrees with verdicts.json on every log', () => {
    const register = findModel('register')
    const disagreements: string[] = []
    const counts: Record<string, number> = {}
    for (const [name, expected] of Object.entries(verdicts)) {
      if (!existsSync(join(DIR, name))) continue
      const ops = operationsFromHistory(parseJepsenLog(readFileSync(join(DIR, name), 'utf8'), name))
      const got = ops.length === 0 ? 'empty' : checkLinearizable(register, ops, { timeBudgetMs: 60_000 }).verdict
      counts[got] = (counts[got] ?? 0) + 1
      if (got !== expected) disagreements.push(`${name}: expected ${expected}, got ${got}`)
    }
    expect(disagreements).toEqual([])
    // Both verdicts occur, so agreement is not one answer given everywhere.
    expect(counts['linearizable']).toBeGreaterThan(5)
    expect(counts['not-linearizable']).toBeGreaterThan(5)
  })
})
