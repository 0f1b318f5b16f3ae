/**
 * Each protocol's failure-detection timeout, read from a run's resolved protocol config (the
 * trace header's `config.protocol`), so the table's recovery times can be read against the
 * setting that drives them: a Raft follower starts an election after a randomised election
 * timeout; a ZAB leader (and follower) gives up after syncLimit ticks without hearing a quorum
 * (its leader); a Redis Cluster node flags a peer PFAIL once a ping has gone unanswered for
 * node_timeout.
 */

type Config = Record<string, unknown>

const num = (c: Config, key: string): number | null => (typeof c[key] === 'number' ? (c[key] as number) : null)

/** One phrase, e.g. "election timeout 300-600 ms", or null for a protocol without a known setting. */
export function failureDetection(protocol: string, config: Config): string | null {
  if (protocol === 'raft') {
    const min = num(config, 'electionTimeoutMinMs')
    const max = num(config, 'electionTimeoutMaxMs')
    return min === null || max === null ? null : `election timeout ${min === max ? min : `${min}-${max}`} ms`
  }
  if (protocol === 'zab') {
    const tick = num(config, 'tickTimeMs')
    const limit = num(config, 'syncLimit')
    return tick === null || limit === null ? null : `syncLimit ${limit} x tickTime ${tick} ms = ${limit * tick} ms`
  }
  if (protocol === 'redis-cluster') {
    const timeout = num(config, 'nodeTimeoutMs')
    return timeout === null ? null : `node_timeout ${timeout} ms`
  }
  return null
}
