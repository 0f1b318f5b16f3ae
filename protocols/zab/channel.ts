/**
 * One end of a reliable, ordered channel between a leader and a learner: what ZooKeeper gets
 * from its TCP connection. The simulated network may lose, duplicate and reorder messages;
 * ZAB's correctness argument assumes FIFO delivery without gaps, so frames are numbered,
 * delivered strictly in order, acknowledged cumulatively and resent until acknowledged.
 */
import type { PeerBody, PeerFrame } from './messages.ts'

/** Frames received ahead of a gap are held at most this far ahead (a sender resends the rest). */
const MAX_AHEAD = 4096
/** Resends per retransmission round: enough to refill a gap, few enough to stay cheap. */
const RESEND_BATCH = 256

export class Channel {
  private nextSeq = 1
  /** Sent and not yet acknowledged, oldest first. */
  private unacked: Array<{ seq: number; body: PeerBody }> = []
  /** The last frame delivered in order. */
  private delivered = 0
  private readonly ahead = new Map<number, PeerBody>()
  /** Something arrived that the other end should hear acknowledged. */
  private owesAck = false
  /** The last seq sent before the previous tick: older unacknowledged frames are resent. */
  private sentBeforeTick = 0

  constructor(
    readonly conn: number,
    private readonly transmit: (frame: PeerFrame) => void,
  ) {}

  send(body: PeerBody): void {
    const seq = this.nextSeq++
    this.unacked.push({ seq, body })
    this.owesAck = false
    this.transmit({ type: 'PEER', conn: this.conn, seq, ack: this.delivered, body })
  }

  /** Takes a frame in; returns the bodies now deliverable, in order. */
  receive(frame: PeerFrame): PeerBody[] {
    this.acknowledged(frame.ack)
    if (frame.seq === 0 || frame.body === null) return []
    this.owesAck = true
    if (frame.seq <= this.delivered) return [] // a duplicate or a resend we already have
    if (frame.seq > this.delivered + 1) {
      if (frame.seq <= this.delivered + MAX_AHEAD) this.ahead.set(frame.seq, frame.body)
      return []
    }
    const out = [frame.body]
    this.delivered = frame.seq
    for (let next = this.ahead.get(this.delivered + 1); next !== undefined; next = this.ahead.get(this.delivered + 1)) {
      this.ahead.delete(this.delivered + 1)
      this.delivered++
      out.push(next)
    }
    return out
  }

  /** Sends a bare acknowledgement if what arrived was not answered by a frame of our own. */
  flushAck(): void {
    if (!this.owesAck) return
    this.owesAck = false
    this.transmit({ type: 'PEER', conn: this.conn, seq: 0, ack: this.delivered, body: null })
  }

  /**
   * Resends what has gone unacknowledged for a whole period (called on the periodic tick):
   * frames sent since the last tick are probably still in flight.
   */
  retransmit(): void {
    const due = this.sentBeforeTick
    this.sentBeforeTick = this.nextSeq - 1
    let resent = 0
    for (const { seq, body } of this.unacked) {
      if (seq > due || resent++ >= RESEND_BATCH) break
      this.transmit({ type: 'PEER', conn: this.conn, seq, ack: this.delivered, body })
    }
  }

  get pending(): number {
    return this.unacked.length
  }

  private acknowledged(ack: number): void {
    let drop = 0
    while (drop < this.unacked.length && this.unacked[drop]!.seq <= ack) drop++
    if (drop > 0) this.unacked = this.unacked.slice(drop)
  }
}
