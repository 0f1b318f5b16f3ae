/** Messages of the cluster bus and the replication link, and the node records they update. */
import type { NodeId } from '../../sim/protocol.ts'

/** [first, last] slot range, inclusive, as CLUSTER NODES prints them. */
export type SlotRange = [number, number]

/** The fixed header every cluster-bus message carries (clusterMsg in cluster_legacy.h). */
export interface Header {
  sender: string
  /** The sender's address (ip:port in Redis; the engine's node id here). */
  addr: NodeId
  currentEpoch: number
  /** A replica sends its master's configEpoch and slots, as Redis does. */
  configEpoch: number
  slots: SlotRange[]
  role: 'master' | 'slave'
  master: string | null
  /** Replication offset: a master's own, a replica's processed offset. */
  offset: number
  /** Set by a master in a manual failover: its clients are paused and this is its final offset. */
  mfPaused: boolean
  state: 'ok' | 'fail'
}

/** One gossip entry: what the sender knows of a third node (clusterMsgDataGossip). */
export interface Gossip {
  name: string
  addr: NodeId
  pingSentUs: number
  pongReceivedUs: number
  pfail: boolean
  fail: boolean
  role: 'master' | 'slave'
}

export type BusMsg =
  | { type: 'PING' | 'PONG' | 'MEET'; hdr: Header; gossip: Gossip[] }
  | { type: 'FAIL'; hdr: Header; about: string }
  | { type: 'UPDATE'; hdr: Header; about: string; configEpoch: number; slots: SlotRange[] }
  | { type: 'FAILOVER_AUTH_REQUEST'; hdr: Header; forceAck: boolean }
  | { type: 'FAILOVER_AUTH_ACK'; hdr: Header }
  | { type: 'MFSTART'; hdr: Header }

/** The replication link (PSYNC and the command stream), and key migration (MIGRATE / RESTORE-ASKING). */
export type ReplMsg =
  | { type: 'SYNC'; name: string }
  | { type: 'FULLSYNC'; replid: string; offset: number; data: Array<[string, unknown]> }
  | { type: 'REPL'; replid: string; fromOffset: number; toOffset: number; writes: Array<[string, unknown]> }
  | { type: 'RESTORE'; id: number; key: string; value: unknown }
  | { type: 'RESTORE_OK'; id: number }

export type RedisMsg = BusMsg | ReplMsg

/** What this node knows of another (or itself): clusterNode in Redis. */
export interface PeerInfo {
  name: string
  addr: NodeId
  role: 'master' | 'slave'
  /** Name of its master, for a replica. */
  master: string | null
  configEpoch: number
  pfail: boolean
  fail: boolean
  /** When we sent a ping still unanswered (0: none outstanding). */
  pingSentUs: number
  /** When we last sent it a PING at all (a reconnected link resends one; ping_sent stays). */
  lastPingUs: number
  pongReceivedUs: number
  /** Last time any message from it arrived (data_received). */
  dataReceivedUs: number
  failTimeUs: number
  /** When this node last voted for one of its replicas (voted_time, kept on the master's record). */
  votedTimeUs: number
  /** Reporter name -> time of its latest report (only masters report). */
  failReports: Map<string, number>
  replOffset: number
}

export interface RedisClusterConfig {
  /** Masters at creation; null: nodes / (1 + replicasPerMaster), as redis-cli --cluster-replicas does. */
  masters: number | null
  replicasPerMaster: number
  /** Optional explicit replica placement at creation: replica address -> master address. */
  replicaOf: Record<string, string>
  /** cluster-node-timeout. */
  nodeTimeoutMs: number
  /** cluster-replica-validity-factor. */
  replicaValidityFactor: number
  /** repl-ping-replica-period, in seconds as Redis configures it. */
  replPingReplicaPeriodS: number
  /** cluster-require-full-coverage. */
  requireFullCoverage: boolean
  /** Build the cluster at first boot like `redis-cli --cluster create`; false: empty nodes wait for MEET/ADDSLOTS. */
  create: boolean
}
