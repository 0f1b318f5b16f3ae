/**
 * What the leader and follower roles need from the server they run in (node.ts): its
 * context, disk, data tree and delivery, and the way back to an election.
 */
import type { NodeContext, NodeId } from '../../sim/protocol.ts'
import type { ZabConfig } from './config.ts'
import type { DataTree } from './datatree.ts'
import type { Snapshot, ZabMsg } from './messages.ts'
import type { ZabStore } from './store.ts'
import type { Zxid } from './zxid.ts'

export type ZabMutant = 'elect-by-id' | 'commit-without-quorum' | 'no-truncate' | 'forget-accepted-epoch' | 'sync-without-quorum'

export interface ServerCore {
  readonly ctx: NodeContext<ZabMsg>
  readonly config: ZabConfig
  readonly mutant: string | null
  readonly sid: number
  readonly voters: number
  readonly store: ZabStore
  readonly tree: DataTree
  nodeOf(sid: number): NodeId
  sidOf(node: NodeId): number
  /** Applies logged transactions up to `zxid`, in order, and answers clients waiting on them. */
  deliverUpTo(zxid: Zxid): void
  /** Replaces the data tree with a snapshot (SNAP), or with the disk's snapshot (after TRUNC below it). */
  loadTree(snapshot: Snapshot): void
  /** Starts or stops serving clients (UPTODATE, or leaving the role). */
  setServing(serving: boolean): void
  /** A sync-get's sync finished: reads waiting on `id` may run once `zxid` is applied. */
  syncDone(id: number, zxid: Zxid): void
  /** Leaves the role and starts an election. */
  backToLooking(reason: string): void
  /** ZooKeeper's ticks, in microseconds of the local clock. */
  tickUs(): number
}
