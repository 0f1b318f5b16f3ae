/**
 * ZAB's configuration, in ZooKeeper's names. Times are simulated milliseconds.
 *
 * tickTime is 2000ms in a ZooKeeper deployment, sized for JVM pauses and WAN links. The
 * simulated network's default latency is 1-5ms, so 100ms keeps the same ratio of a tick to
 * a round trip (tens of round trips) while letting a run show many elections per simulated
 * minute. initLimit and syncLimit keep ZooKeeper's sample-config values (10 and 5 ticks).
 */
import { InputError } from '../../sim/time.ts'

export interface ZabConfig {
  /** The basic time unit: the leader pings every half tick. */
  tickTimeMs: number
  /** Ticks allowed to connect to the leader and synchronise with it. */
  initLimit: number
  /** Ticks a follower may go unheard (or a leader unheard by a quorum) before giving up. */
  syncLimit: number
  /** FastLeaderElection's wait for a better vote once a quorum agrees (200ms in ZooKeeper). */
  finalizeWaitMs: number
  /** The cap of the doubling notification timeout (60000ms in ZooKeeper). */
  maxNotificationIntervalMs: number
  /**
   * How many of its latest transactions a leader can replay to a lagging learner (ZooKeeper's
   * commitLogCount, 500). A learner further behind is sent a SNAP of the whole data tree.
   */
  commitLogCount: number
}

export const DEFAULT_CONFIG: ZabConfig = {
  tickTimeMs: 100,
  initLimit: 10,
  syncLimit: 5,
  finalizeWaitMs: 200,
  maxNotificationIntervalMs: 60_000,
  commitLogCount: 500,
}

const INTEGER_FIELDS = new Set<keyof ZabConfig>(['initLimit', 'syncLimit', 'commitLogCount'])

export function parseZabConfig(raw: unknown): ZabConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError('bad zab config: expected an object like {"tickTimeMs": 100, "initLimit": 10, "syncLimit": 5}')
  }
  const fields = Object.keys(DEFAULT_CONFIG)
  const unknown = Object.keys(raw).find((k) => !fields.includes(k))
  if (unknown !== undefined) throw new InputError(`bad zab config: unknown field '${unknown}' (fields: ${fields.join(', ')})`)
  const config = { ...DEFAULT_CONFIG, ...(raw as Partial<ZabConfig>) }
  for (const key of fields as Array<keyof ZabConfig>) {
    const value = config[key]
    const whole = INTEGER_FIELDS.has(key)
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
      throw new InputError(`bad zab config: ${key} must be a positive ${whole ? 'whole number' : 'number of milliseconds'}, got ${JSON.stringify(value)}`)
    }
  }
  if (config.maxNotificationIntervalMs < config.finalizeWaitMs) {
    throw new InputError('bad zab config: maxNotificationIntervalMs must be at least finalizeWaitMs (the timeout starts there and doubles)')
  }
  return config
}
