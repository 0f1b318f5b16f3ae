/** The protocol's config: defaults with their source, and validation with one clear line per mistake. */
import { InputError } from '../../sim/time.ts'
import type { RedisClusterConfig } from './types.ts'

/**
 * node_timeout is 15000 ms in redis.conf; the cluster tutorial's example config uses 5000 ms,
 * which we take as the default so failovers fit in runs of tens of simulated seconds.
 * The other values are redis.conf's defaults.
 */
export const DEFAULT_CONFIG: RedisClusterConfig = {
  masters: null,
  replicasPerMaster: 1,
  replicaOf: {},
  nodeTimeoutMs: 5000,
  replicaValidityFactor: 10,
  replPingReplicaPeriodS: 10,
  requireFullCoverage: true,
  create: true,
}

const bad = (why: string) => new InputError(`bad redis-cluster config: ${why}`)

export function parseConfig(raw: unknown): RedisClusterConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('expected an object like {"nodeTimeoutMs": 5000, "replicasPerMaster": 1}')
  const unknown = Object.keys(raw).find((k) => !(k in DEFAULT_CONFIG))
  if (unknown !== undefined) throw bad(`unknown field '${unknown}' (fields: ${Object.keys(DEFAULT_CONFIG).join(', ')})`)
  const c = { ...DEFAULT_CONFIG, ...(raw as Partial<RedisClusterConfig>) }
  if (c.masters !== null && !(Number.isInteger(c.masters) && c.masters >= 1)) throw bad('masters must be a whole number of at least 1, or null')
  if (!(Number.isInteger(c.replicasPerMaster) && c.replicasPerMaster >= 0)) throw bad('replicasPerMaster must be a whole number of at least 0')
  if (!(typeof c.nodeTimeoutMs === 'number' && Number.isFinite(c.nodeTimeoutMs) && c.nodeTimeoutMs >= 100)) throw bad('nodeTimeoutMs must be a number of milliseconds, at least 100')
  if (!(Number.isFinite(c.replicaValidityFactor) && c.replicaValidityFactor >= 0)) throw bad('replicaValidityFactor must be a number of at least 0 (0: no data-age check)')
  if (!(Number.isFinite(c.replPingReplicaPeriodS) && c.replPingReplicaPeriodS > 0)) throw bad('replPingReplicaPeriodS must be a positive number of seconds')
  if (typeof c.requireFullCoverage !== 'boolean' || typeof c.create !== 'boolean') throw bad('requireFullCoverage and create must be true or false')
  if (typeof c.replicaOf !== 'object' || c.replicaOf === null || Object.values(c.replicaOf).some((v) => typeof v !== 'string')) {
    throw bad('replicaOf must map replica addresses to master addresses, like {"n6": "n1"}')
  }
  return c
}
