/**
 * Raft (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm", and
 * Ongaro's dissertation), after etcd-io/raft: leader election with PreVote and CheckQuorum,
 * log replication with fast backup, snapshots, and a key-value state machine with client
 * sessions. See README.md for the mapping to the paper and where we simplify.
 */
import type { Protocol } from '../../sim/protocol.ts'
import { DEFAULT_CONFIG, parseRaftConfig, type RaftConfig } from './config.ts'
import { raftInvariants } from './invariants.ts'
import { raftLiveness } from './liveness.ts'
import type { RaftMsg } from './messages.ts'
import { RAFT_MUTANTS } from './mutants.ts'
import { RaftNode } from './node.ts'
import { RAFT_TACTICS } from './tactics.ts'

export { RaftNode } from './node.ts'
export type { RaftConfig } from './config.ts'
export type { RaftMsg, Entry, Command, KvCommand } from './messages.ts'

export const raft: Protocol<RaftMsg, RaftConfig, RaftNode> = {
  name: 'raft',
  summary: 'Raft with PreVote, CheckQuorum, snapshots and a linearizable key-value store with exactly-once sessions',
  defaultConfig: DEFAULT_CONFIG,
  parseConfig: parseRaftConfig,
  createNode: (ctx, { config, mutant }) => new RaftNode(ctx, config, mutant),
  messageType: (msg) => msg.type,
  invariants: () => raftInvariants(),
  mutants: RAFT_MUTANTS,
  workload: { mix: { get: 2, put: 1, append: 1, cas: 1 } },
  liveness: () => raftLiveness(),
  historyCheck: { kind: 'linearizable', model: 'kv' },
  faultTactics: RAFT_TACTICS,
}
