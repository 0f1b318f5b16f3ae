/**
 * The check's reports for a few fixed cases, as JSON, to compare two builds of the checker:
 * a change that makes the check faster must leave every report as it was (same runs, verdicts,
 * events, failure and shrunk plan). Wall time and the worker count are left out.
 *
 *   npx tsx check/report-snapshot.ts [workers] > after.json      (and the same in a worktree of the old commit)
 *   diff before.json after.json
 */
import { findProtocol } from '../cli/protocols.ts'
import { checkProtocol, type CheckOptions } from './check.ts'

const CASES: Array<{ protocol: string; options: CheckOptions }> = [
  { protocol: 'raft', options: { seed: 1, runs: 100, shape: { nodes: [5] } } },
  { protocol: 'raft', options: { seed: 7, runs: 60 } },
  { protocol: 'zab', options: { seed: 3, runs: 40 } },
  { protocol: 'pingpong', options: { seed: 1, runs: 50, mutant: 'skip-sync' } },
  { protocol: 'raft', options: { seed: 1, mutant: 'forget-voted-for' } },
  { protocol: 'raft', options: { seed: 2, mutant: 'stale-read' } },
]

const workers = Number(process.argv[2] ?? 1)
const reports = []
for (const { protocol, options } of CASES) {
  const report = await checkProtocol(findProtocol(protocol), { outDir: null, workers, ...options })
  reports.push({ ...report, wallMs: undefined, workers: undefined })
}
console.log(JSON.stringify(reports, null, 1))
