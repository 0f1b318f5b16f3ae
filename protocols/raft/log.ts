/**
 * The Raft log with its persistence. As in etcd, the snapshot and the start of the log are
 * separate: the snapshot (state machine image plus lastIncludedIndex/Term) covers everything
 * up to snapshotIndex, while the log still holds the entries after `offset` (offset <=
 * snapshotIndex). Compaction drops only what the previous snapshot already covered, so a
 * follower a little behind is sent entries, not a whole snapshot.
 *
 * In durable storage: 'log' is a list of the entries after offset. Entries are frozen when
 * made (propose) and arrive frozen in messages, so the engine's storage keeps them as they are
 * instead of copying them, and a restart reads them back without parsing anything;
 * 'log-offset' is {index, term} of the entry before the first one held; 'snapshot' is the
 * snapshot. Indexes are Raft's: the first entry ever is 1; index 0 is "nothing".
 *
 * `rewrites` and `rewriteFloor` count and locate suffix truncations and snapshot installs,
 * so the invariants can re-check only what changed instead of whole logs after every event.
 */
import type { DurableStorage } from '../../sim/protocol.ts'
import { deepFreezeShared } from '../../sim/freeze.ts'
import type { Entry, SnapshotState } from './messages.ts'

const LOG_KEY = 'log'
const OFFSET_KEY = 'log-offset'
const SNAPSHOT_KEY = 'snapshot'

export interface StoredSnapshot {
  index: number
  term: number
  state: SnapshotState
}

export class RaftLog {
  snapshotIndex = 0
  snapshotTerm = 0
  snapshotState: SnapshotState | null = null
  /** The index (and term) of the entry just before the first one held. */
  offset = 0
  offsetTerm = 0
  /** entries[i] has index offset + 1 + i. */
  private entries: Entry[] = []
  rewrites = 0
  /** The lowest index the latest rewrite replaced or removed. */
  rewriteFloor = 0

  /** `persistEntries` false is the forget-log mutant: entries never reach storage. */
  constructor(
    private readonly storage: DurableStorage,
    private readonly persistEntries: boolean,
  ) {
    const snap = storage.get<StoredSnapshot>(SNAPSHOT_KEY)
    if (snap) {
      this.snapshotIndex = snap.index
      this.snapshotTerm = snap.term
      this.snapshotState = snap.state
    }
    const offset = storage.get<{ index: number; term: number }>(OFFSET_KEY)
    if (offset) {
      this.offset = offset.index
      this.offsetTerm = offset.term
    }
    this.entries = storage.list<Entry>(LOG_KEY)
    // Without its entries (forget-log), the log restarts at the snapshot.
    if (this.lastIndex < this.snapshotIndex) this.resetTo(this.snapshotIndex, this.snapshotTerm)
  }

  get lastIndex(): number {
    return this.offset + this.entries.length
  }

  get lastTerm(): number {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1]!.term : this.offsetTerm
  }

  /** The term of the entry at index, or undefined (compacted away, or beyond the end). */
  termAt(index: number): number | undefined {
    if (index === this.offset) return this.offsetTerm
    if (index < this.offset) return undefined
    return this.entries[index - this.offset - 1]?.term
  }

  entry(index: number): Entry | undefined {
    return index > this.offset ? this.entries[index - this.offset - 1] : undefined
  }

  /** Entries from..to inclusive (clamped to what the log holds). */
  slice(from: number, to: number): Entry[] {
    const base = this.offset + 1
    return this.entries.slice(Math.max(from, base) - base, Math.max(0, to - base + 1))
  }

  /**
   * How many of `entries`, placed right after index `prev` (at or after the offset), this log
   * already holds with the same terms, counting from the first: a follower's merge of an
   * AppendEntries, which mostly repeats entries it has, walks them here in one tight loop.
   */
  matchingPrefix(prev: number, entries: readonly Entry[]): number {
    const held = this.entries
    const base = prev - this.offset
    let i = 0
    while (i < entries.length && held[base + i]?.term === entries[i]!.term) i++
    return i
  }

  /** The first index holding `term`, searching back from `index` (fast backup's conflictIndex). */
  firstIndexOfTerm(term: number, index: number): number {
    let i = index
    while (i - 1 > this.offset && this.termAt(i - 1) === term) i--
    return i
  }

  /** The last index holding `term`, or 0 when the log has no entry of that term. */
  lastIndexOfTerm(term: number): number {
    for (let i = this.lastIndex; i > this.offset; i--) {
      const t = this.termAt(i)!
      if (t === term) return i
      if (t < term) return 0
    }
    return this.offsetTerm === term ? this.offset : 0
  }

  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return
    for (const e of entries) this.entries.push(e)
    if (this.persistEntries) this.storage.append(LOG_KEY, entries)
  }

  /** Drops every entry after `index` (a follower's conflicting suffix). */
  truncateAfter(index: number): void {
    if (index >= this.lastIndex) return
    this.entries.length = index - this.offset
    this.rewrites++
    this.rewriteFloor = index + 1
    if (this.persistEntries) this.storage.truncate(LOG_KEY, this.entries.length)
  }

  /** A snapshot of the state machine at `index` (which the log holds); drops the entries the previous snapshot covered. */
  takeSnapshot(index: number, state: SnapshotState): void {
    const term = this.termAt(index)
    if (term === undefined || index <= this.snapshotIndex) return
    const dropTo = this.snapshotIndex
    this.setSnapshot(index, term, state)
    this.dropThrough(dropTo)
  }

  /**
   * InstallSnapshot (figure 13): keep the entries after the snapshot when the log already holds
   * its last entry with the same term, else discard the whole log.
   */
  install(index: number, term: number, state: SnapshotState): void {
    this.setSnapshot(index, term, state)
    if (this.termAt(index) === term) return this.dropThrough(index)
    this.rewrites++
    // Only uncommitted entries are discarded here (the snapshot covers the committed ones).
    this.rewriteFloor = index + 1
    this.resetTo(index, term)
  }

  private dropThrough(index: number): void {
    if (index <= this.offset) return
    const dropped = index - this.offset
    this.offsetTerm = this.termAt(index)!
    this.entries = this.entries.slice(dropped)
    this.offset = index
    this.storage.put(OFFSET_KEY, Object.freeze({ index, term: this.offsetTerm }))
    this.storage.dropPrefix(LOG_KEY, dropped)
  }

  private resetTo(index: number, term: number): void {
    this.entries = []
    this.offset = index
    this.offsetTerm = term
    this.storage.put(OFFSET_KEY, Object.freeze({ index, term }))
    this.storage.truncate(LOG_KEY, 0)
  }

  private setSnapshot(index: number, term: number, state: SnapshotState): void {
    this.snapshotIndex = index
    this.snapshotTerm = term
    this.snapshotState = state
    // Frozen like the state inside it, so storage keeps it without copying the whole image.
    this.storage.put(SNAPSHOT_KEY, deepFreezeShared({ index, term, state } satisfies StoredSnapshot))
  }
}
