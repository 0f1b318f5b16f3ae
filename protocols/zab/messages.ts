/**
 * What ZAB servers send each other. Election notifications travel as single datagrams
 * (FastLeaderElection resends them on its own timeout); everything between a leader and a
 * learner travels in `PEER` frames over a reliable, ordered channel (channel.ts), because
 * ZooKeeper runs that conversation over one TCP connection and relies on its FIFO order.
 */
import type { ClientOp } from '../../sim/protocol.ts'
import type { Zxid } from './zxid.ts'

export type ServerState = 'LOOKING' | 'FOLLOWING' | 'LEADING'

/** FastLeaderElection.Notification: a server's vote and where it stands. */
export interface Notification {
  type: 'NOTIFICATION'
  /** Server id (sid) of the proposed leader. */
  leader: number
  zxid: Zxid
  /** The sender's election round (logicalclock). */
  electionEpoch: number
  state: ServerState
  sid: number
  /** The proposed leader's currentEpoch. */
  peerEpoch: number
}

/** One client write, as it is proposed, logged and applied. */
export interface Txn {
  zxid: Zxid
  client: string
  seq: number
  op: ClientOp
}

/** The committed state a SNAP carries: the data tree and the sessions table at `zxid`. */
export interface Snapshot {
  zxid: Zxid
  data: Array<[string, unknown]>
  sessions: Array<[string, SessionEntry]>
}

/** The last write a client made and its result: what makes retried writes exactly-once. */
export interface SessionEntry {
  seq: number
  result: WriteResult
}

export type WriteResult = { ok: true } | { ok: false; error: string; definite: true }

export type SyncMode = 'DIFF' | 'TRUNC' | 'SNAP'

/** Packets of Learner <-> LearnerHandler (Leader.java's packet types, plus SYNC's answer). */
export type PeerBody =
  | { type: 'FOLLOWERINFO'; acceptedEpoch: number; lastZxid: Zxid }
  | { type: 'LEADERINFO'; newEpoch: number }
  /** currentEpoch is -1 when the learner had already accepted this epoch (it cannot ack it again). */
  | { type: 'ACKEPOCH'; currentEpoch: number; lastZxid: Zxid }
  /** DIFF, TRUNC or SNAP, with the transactions to append after it. */
  | { type: 'SYNC'; mode: SyncMode; truncZxid: Zxid | null; snapshot: Snapshot | null; txns: Txn[] }
  | { type: 'NEWLEADER'; epoch: number }
  | { type: 'ACK'; zxid: Zxid }
  | { type: 'UPTODATE'; committedZxid: Zxid }
  | { type: 'PROPOSAL'; txn: Txn }
  | { type: 'COMMIT'; zxid: Zxid }
  | { type: 'PING'; round: number }
  | { type: 'REQUEST'; client: string; seq: number; op: ClientOp }
  | { type: 'SYNCREQ'; id: number }
  | { type: 'SYNCOK'; id: number; zxid: Zxid }
  | { type: 'CLOSE'; reason: string }

/** A frame of the reliable channel: `seq` 0 carries only an acknowledgement. */
export interface PeerFrame {
  type: 'PEER'
  /** The connection: chosen by the learner when it connects, so a restart starts a new one. */
  conn: number
  seq: number
  /** Every frame up to this seq has arrived in order. */
  ack: number
  body: PeerBody | null
}

export type ZabMsg = Notification | PeerFrame
