/** The run summary shows invariants' end-of-run accounts (Redis Cluster's write loss) without failing the run. */
import { describe, expect, it } from 'vitest'
import { emptyStats, type RunResult } from '../sim/result.ts'
import { formatSummary, isOk } from './summary.ts'

function result(reports: RunResult['reports']): RunResult {
  return {
    seed: '0x1', protocol: 'redis-cluster', stoppedBy: 'time', stopMessage: null, events: 10, traceEvents: 0,
    simTimeUs: 1_000_000, violation: null, nodeError: null, traceHash: null, stats: emptyStats(), history: [], reports,
  }
}

const report = (res: RunResult) =>
  formatSummary({ result: res, durationUs: 1_000_000, nodes: 6, faults: 'none', planSteps: 0, wallMs: 5, traceFile: null, reproduce: 'faultline run x' })

describe('summary reports', () => {
  it('prints each report with a few details and a count of the rest', () => {
    const details = Array.from({ length: 8 }, (_, i) => `lost write ${i}`)
    const res = result([{ invariant: 'write-loss', summary: '8 of 100 acknowledged writes lost', details }])
    const text = report(res)
    expect(text).toContain('  write-loss: 8 of 100 acknowledged writes lost')
    expect(text).toContain('    lost write 4')
    expect(text).not.toContain('lost write 5')
    expect(text).toContain('... and 3 more (--json for all)')
    expect(isOk(res)).toBe(true)
  })

  it('prints nothing extra without reports', () => {
    expect(report(result([]))).not.toContain('write-loss')
  })
})
