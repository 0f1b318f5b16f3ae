/**
 * faultline's checkers, for use from code and test runners:
 *
 *   import { checkProtocol } from 'faultline/check'   // this folder
 *   const report = await checkProtocol(raft, { runs: 200, seed: 42 })
 *   expect(report.passed).toBe(true)
 */
export { checkProtocol, type CheckFailure, type CheckOptions, type CheckReport } from './check.ts'
export { formatCheckReport } from './report.ts'
export { runOne, type RunFailure, type RunOutcome, type FailureKind } from './run-one.ts'
export { runSpecArbitrary, healSteps, DEFAULT_SHAPE, type RunSpec, type SpecShape } from './run-spec.ts'
export { runSeed, shardIndices, type Shard } from './seeds.ts'
export { tacticFor, tacticSpecArbitrary, TACTIC_SHARE } from './tactics.ts'
export type { ProtocolModule } from './pool.ts'
export * from './linearizability/index.ts'
