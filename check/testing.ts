/**
 * Test helpers for protocol authors (imported by *.test.ts files only):
 *
 *   it('catches every mutant', async () => { await expectMutantsCaught(raft) })
 *   it('passes', async () => { await expectPasses(raft, { runs: 30 }) })
 */
import { expect } from 'vitest'
import type { AnyProtocol } from '../sim/protocol.ts'
import { checkProtocol, type CheckOptions, type CheckReport } from './check.ts'
import { formatCheckReport } from './report.ts'

/** Default settings, a fixed seed, nothing written to disk: what a test needs to be repeatable. */
const TEST_DEFAULTS: CheckOptions = { seed: 1, outDir: null }

/**
 * Every mutant of the protocol fails the check with default settings (seed 1); returns the
 * reports. Shrinking gets 1 s, as catching, not shrinking, is what this proves.
 */
export async function expectMutantsCaught(protocol: AnyProtocol, options: CheckOptions = {}): Promise<CheckReport[]> {
  const reports: CheckReport[] = []
  for (const mutant of protocol.mutants ?? []) {
    const report = await checkProtocol(protocol, { ...TEST_DEFAULTS, shrinkBudgetMs: 1_000, ...options, mutant: mutant.name })
    expect(report.passed, `mutant ${mutant.name} was not caught in ${report.runs} runs`).toBe(false)
    reports.push(report)
  }
  return reports
}

/** The correct protocol passes `runs` runs (default 20); on failure the message is the whole report. */
export async function expectPasses(protocol: AnyProtocol, options: CheckOptions = {}): Promise<CheckReport> {
  const report = await checkProtocol(protocol, { ...TEST_DEFAULTS, runs: 20, ...options, mutant: null })
  expect(report.passed, formatCheckReport(report, '')).toBe(true)
  return report
}
