/** Constants with their source: src/cluster_legacy.c and cluster.h of redis/redis (7.x), and redis.conf defaults. */

/** clusterCron runs every 100 ms (serverCron calls it via run_with_period(100)). */
export const CRON_MS = 100
/** Every 10th cron tick a node pings the oldest-pong node among a few random ones. */
export const RANDOM_PING_EVERY_TICKS = 10
/** How many random nodes that pick looks at. */
export const RANDOM_PING_SAMPLE = 5
/** CLUSTER_FAIL_REPORT_VALIDITY_MULT: a failure report is valid for node_timeout x 2. */
export const FAIL_REPORT_VALIDITY_MULT = 2
/** CLUSTER_FAIL_UNDO_TIME_MULT: a FAIL master that still has slots is cleared after node_timeout x 2. */
export const FAIL_UNDO_TIME_MULT = 2
/** CLUSTER_MF_TIMEOUT: a manual failover must finish within 5 s. */
export const MF_TIMEOUT_MS = 5000
/** CLUSTER_MF_PAUSE_MULT: the master pauses its clients for twice the manual failover timeout. */
export const MF_PAUSE_MULT = 2
/** CLUSTER_WRITABLE_DELAY: after boot a master waits 2 s before it turns the state OK. */
export const WRITABLE_DELAY_MS = 2000
/** CLUSTER_MIN_REJOIN_DELAY / CLUSTER_MAX_REJOIN_DELAY bound the rejoin delay (node_timeout clamped). */
export const MIN_REJOIN_DELAY_MS = 500
export const MAX_REJOIN_DELAY_MS = 5000
/** CLUSTER_BLACKLIST_TTL: a FORGET keeps the node out of gossip for 60 s. */
export const BLACKLIST_TTL_MS = 60_000
/** Failover: delay = 500 ms + random(0..500) + rank x 1000 ms (clusterHandleReplicaFailover). */
export const FAILOVER_FIXED_DELAY_MS = 500
export const FAILOVER_RANDOM_DELAY_MS = 500
export const FAILOVER_RANK_DELAY_MS = 1000
/** auth_timeout = max(node_timeout x 2, 2000 ms); the retry time is twice that. */
export const AUTH_TIMEOUT_MIN_MS = 2000
/** The hash slots. */
export const SLOTS = 16384
