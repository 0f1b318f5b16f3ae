/** Raft's messages (paper figure 2, plus PreVote from the dissertation, 9.6). All plain JSON values. */
import type { ClientOp } from '../../sim/protocol.ts'

/** A client's operation as it travels in the log: the session (client, seq) makes retries exactly-once. */
export interface KvCommand {
  type: 'kv'
  client: string
  seq: number
  op: ClientOp
}

/** null is the leader's no-op at the start of its term; a harness may propose any other JSON value. */
export type Command = KvCommand | null | unknown

export interface Entry {
  readonly term: number
  readonly command: Command
}

export interface SnapshotState {
  data: Array<[string, unknown]>
  sessions: Array<[string, { seq: number; result: unknown }]>
}

export type RaftMsg =
  | { type: 'PreVote' | 'RequestVote'; term: number; lastLogIndex: number; lastLogTerm: number }
  | { type: 'PreVoteReply' | 'RequestVoteReply'; term: number; granted: boolean }
  | {
      type: 'AppendEntries'
      term: number
      prevLogIndex: number
      prevLogTerm: number
      entries: readonly Entry[]
      leaderCommit: number
      /** The leader's broadcast round when sent: a reply confirms leadership for reads registered up to it. */
      round: number
    }
  | {
      type: 'AppendEntriesReply'
      term: number
      success: boolean
      /** On success: the last index known to match the leader's log. */
      matchIndex: number
      /** On failure (fast backup): the follower's term at prevLogIndex (0: it has no entry there) and the first index it holds of that term. */
      conflictTerm: number
      conflictIndex: number
      /** On failure: the prevLogIndex it rejects, so the leader can tell a current rejection from a stale or duplicated one. */
      rejectedIndex: number
      round: number
    }
  | { type: 'InstallSnapshot'; term: number; lastIncludedIndex: number; lastIncludedTerm: number; state: SnapshotState; round: number }
  | { type: 'InstallSnapshotReply'; term: number; matchIndex: number; round: number }

export function isKvCommand(command: Command): command is KvCommand {
  return typeof command === 'object' && command !== null && (command as { type?: unknown }).type === 'kv'
}

/** An entry as JSON text: the invariants' digest of it, and what their messages show. */
export function entryJson(entry: Entry): string {
  return JSON.stringify(entry)
}

/**
 * Throws, as serialising it would, when a value holds something JSON cannot (a BigInt): a
 * real log holds bytes, so a command that cannot be written fails in the proposer. A walk,
 * not JSON.stringify: this runs for every entry proposed.
 */
export function assertJsonValue(value: unknown): void {
  if (typeof value === 'bigint') throw new TypeError('a log entry cannot hold a BigInt (not JSON)')
  if (typeof value !== 'object' || value === null) return
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertJsonValue(value[i])
    return
  }
  for (const key in value) assertJsonValue((value as Record<string, unknown>)[key])
}
