/**
 * Which seeds a harness test runs, and how a failure names its seed. The test files read the
 * environment (FAULTLINE_HARNESS_SEEDS, FAULTLINE_HARNESS_SEED) and pass it here: code under
 * protocols/ never reads the host's environment (the determinism rule).
 */
import { formatSeed, parseSeed } from '../../../sim/seed.ts'
import { InputError } from '../../../sim/time.ts'
import type { RaftConfig } from '../config.ts'

export interface SeedEnv {
  /** FAULTLINE_HARNESS_SEEDS: how many seeds (1..N) each test runs, instead of its default. */
  seeds?: string | undefined
  /** FAULTLINE_HARNESS_SEED: run only this seed (hex 0x2a or decimal), to reproduce a failure. */
  seed?: string | undefined
}

/** Seeds 1..count (count from the environment, else the test's default), or the one seed asked for. */
export function harnessSeeds(env: SeedEnv, defaultCount: number): number[] {
  if (env.seed !== undefined && env.seed !== '') return [parseSeed(env.seed)]
  let count = defaultCount
  if (env.seeds !== undefined && env.seeds !== '') {
    count = Number(env.seeds)
    if (!Number.isInteger(count) || count < 1) throw new InputError(`bad FAULTLINE_HARNESS_SEEDS '${env.seeds}': expected a whole number of seeds, at least 1`)
  }
  return Array.from({ length: count }, (_, i) => i + 1)
}

/**
 * FAULTLINE_HARNESS_CONFIG: a Raft config (JSON) for every cluster of the tests, such as
 * '{"preVote": false, "checkQuorum": false}' for the paper's plain algorithm. Its fields are
 * checked by the protocol's parseConfig when a cluster starts.
 */
export function harnessConfig(text: string | undefined): Partial<RaftConfig> | undefined {
  if (text === undefined || text === '') return undefined
  let config: unknown
  try {
    config = JSON.parse(text)
  } catch {
    config = null
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new InputError(`bad FAULTLINE_HARNESS_CONFIG '${text}': expected a JSON object such as {"preVote": false}`)
  return config as Partial<RaftConfig>
}

/** The command that re-runs one test on one seed (vitest's -t is a pattern, so the name is escaped), with its config if any. */
export function reproduceHint(testName: string, seed: number, config?: Partial<RaftConfig>): string {
  const pattern = testName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const env = config !== undefined && Object.keys(config).length > 0 ? `FAULTLINE_HARNESS_CONFIG=${shellQuote(JSON.stringify(config))} ` : ''
  return `reproduce: ${env}FAULTLINE_HARNESS_SEED=${formatSeed(seed)} npx vitest run protocols/raft/harness -t ${shellQuote(pattern)}`
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

/** A failed tester check: the message names the test, the seed, the simulated time, and how to reproduce it. */
export class HarnessFailure extends Error {
  constructor(
    readonly testName: string,
    readonly seed: number,
    readonly timeUs: number,
    readonly reason: string,
    readonly config?: Partial<RaftConfig>,
  ) {
    super(`${testName} (seed ${formatSeed(seed)}, at ${(timeUs / 1000).toFixed(1)} ms simulated): ${reason}\n  ${reproduceHint(testName, seed, config)}`)
    this.name = 'HarnessFailure'
  }
}
