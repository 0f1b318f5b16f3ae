/**
 * The leader's side of one learner's connection (ZooKeeper's LearnerHandler): the channel,
 * how far the learner has come through discovery and synchronisation, what it has
 * acknowledged, and when it was last heard from.
 */
import type { NodeId } from '../../sim/protocol.ts'
import { Channel } from './channel.ts'
import type { PeerBody, PeerFrame } from './messages.ts'
import type { Zxid } from './zxid.ts'

/**
 * info: FOLLOWERINFO arrived; epoch: LEADERINFO sent; acked: ACKEPOCH arrived (counted or not);
 * synced: SYNC and NEWLEADER sent, proposals now flow; newleader: NEWLEADER acknowledged;
 * uptodate: UPTODATE sent, the learner serves.
 */
export type HandlerPhase = 'info' | 'epoch' | 'acked' | 'synced' | 'newleader' | 'uptodate'

export class LearnerHandler {
  phase: HandlerPhase = 'info'
  readonly channel: Channel
  /** The learner's acceptedEpoch from FOLLOWERINFO. */
  acceptedEpoch = 0
  /** From ACKEPOCH: the learner's currentEpoch (-1: it had already accepted this epoch) and last zxid. */
  ackedCurrentEpoch = -1
  peerLastZxid: Zxid = 0
  /** Highest zxid the learner has logged and acknowledged (acknowledgements are cumulative: FIFO). */
  ackedZxid: Zxid = 0
  /** The last ping round it answered (for sync-get). */
  pingRound = 0
  lastHeardTick: number

  constructor(
    readonly sid: number,
    readonly node: NodeId,
    conn: number,
    transmit: (to: NodeId, frame: PeerFrame) => void,
    tick: number,
  ) {
    this.channel = new Channel(conn, (frame) => transmit(node, frame))
    this.lastHeardTick = tick
  }

  send(body: PeerBody): void {
    this.channel.send(body)
  }

  /** Receives proposals and commits: its log matches ours from SYNC on. */
  get forwarding(): boolean {
    return this.phase === 'synced' || this.phase === 'newleader' || this.phase === 'uptodate'
  }

  /** Has acknowledged NEWLEADER: its acknowledgements count toward commits. */
  get inQuorum(): boolean {
    return this.phase === 'newleader' || this.phase === 'uptodate'
  }
}
