/**
 * What a ZAB server keeps on disk (ctx.storage): acceptedEpoch, currentEpoch, the
 * transaction log and the last snapshot a SNAP brought. Every change is synced before the
 * server acknowledges it, as ZooKeeper fsyncs its log before an ACK. The log is mirrored in
 * memory so that reading it never copies it out of storage.
 */
import type { DurableStorage } from '../../sim/protocol.ts'
import type { Snapshot, Txn } from './messages.ts'
import { epochOf, type Zxid } from './zxid.ts'

const EMPTY_SNAPSHOT: Snapshot = { zxid: 0, data: [], sessions: [] }

export class ZabStore {
  acceptedEpoch: number
  currentEpoch: number
  /** The state the log starts from (empty unless a SNAP replaced the log). */
  snapshot: Snapshot
  /** Logged transactions after the snapshot, in zxid order. */
  readonly history: Txn[]

  constructor(
    private readonly storage: DurableStorage,
    /** False for the forget-accepted-epoch mutant: acceptedEpoch lives in memory only. */
    private readonly persistAcceptedEpoch: boolean,
  ) {
    this.currentEpoch = storage.get<number>('currentEpoch') ?? 0
    this.snapshot = storage.get<Snapshot>('snapshot') ?? EMPTY_SNAPSHOT
    this.history = storage.list<Txn>('log')
    // As in ZooKeeper: a missing acceptedEpoch file is recreated from currentEpoch. The
    // forget-accepted-epoch mutant infers it from the last logged zxid, as servers did before
    // the epoch files existed: an epoch that logged nothing is forgotten.
    this.acceptedEpoch = persistAcceptedEpoch ? (storage.get<number>('acceptedEpoch') ?? this.currentEpoch) : epochOf(this.lastZxid())
  }

  lastZxid(): Zxid {
    return this.history.length > 0 ? this.history[this.history.length - 1]!.zxid : this.snapshot.zxid
  }

  setAcceptedEpoch(epoch: number): void {
    this.acceptedEpoch = epoch
    if (!this.persistAcceptedEpoch) return
    this.storage.put('acceptedEpoch', epoch)
    this.storage.sync()
  }

  setCurrentEpoch(epoch: number): void {
    this.currentEpoch = epoch
    this.storage.put('currentEpoch', epoch)
    this.storage.sync()
  }

  append(txns: readonly Txn[]): void {
    if (txns.length === 0) return
    this.storage.append('log', txns)
    for (const t of txns) this.history.push(t)
    this.storage.sync()
  }

  /** Drops every logged transaction after `zxid` (TRUNC); returns how many were dropped. */
  truncateAfter(zxid: Zxid): number {
    let keep = this.history.length
    while (keep > 0 && this.history[keep - 1]!.zxid > zxid) keep--
    const dropped = this.history.length - keep
    if (dropped === 0) return 0
    this.history.length = keep
    this.storage.truncate('log', keep)
    this.storage.sync()
    return dropped
  }

  /** SNAP: the snapshot becomes the base and the log starts empty after it. */
  replaceWithSnapshot(snapshot: Snapshot): void {
    this.snapshot = snapshot
    this.history.length = 0
    this.storage.put('snapshot', snapshot)
    this.storage.truncate('log', 0)
    this.storage.sync()
  }

  /** The position of `zxid` in the history, or -1 (binary search: the log is in zxid order). */
  indexOf(zxid: Zxid): number {
    let lo = 0
    let hi = this.history.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const at = this.history[mid]!.zxid
      if (at === zxid) return mid
      if (at < zxid) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** How many logged transactions have a zxid at most `zxid`. */
  countUpTo(zxid: Zxid): number {
    let lo = 0
    let hi = this.history.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.history[mid]!.zxid <= zxid) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
