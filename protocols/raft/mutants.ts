/** The mistakes engineers make implementing Raft, each switchable with --mutant NAME. */
import type { Mutant } from '../../sim/protocol.ts'

export const RAFT_MUTANTS: readonly Mutant[] = [
  {
    name: 'forget-voted-for',
    description: 'votedFor is not persisted: a node that voted, crashed and restarted votes again in the same term, so two candidates win one term (election-safety)',
  },
  {
    name: 'forget-log',
    description: 'log entries are not persisted: a restarted node comes back with an empty log, a committed entry it helped commit is gone and a new leader overwrites it (leader-completeness / state-machine-safety)',
  },
  {
    name: 'vote-without-log-check',
    description: 'votes ignore whether the candidate\'s log is up to date: a node missing committed entries wins and overwrites them (leader-completeness / state-machine-safety)',
  },
  {
    name: 'commit-previous-term',
    description: 'the leader commits an older term\'s entry by counting replicas (the Figure 8 bug): the entry can still be overwritten by a leader elected without it (leader-completeness / state-machine-safety)',
  },
  {
    name: 'no-step-down',
    description: 'a leader that sees a higher term adopts it but stays leader: it now leads the same term as the real leader (election-safety)',
  },
  {
    name: 'stale-read',
    description: 'the leader answers gets from its own state without confirming it still leads (no log entry, no ReadIndex round): a deposed leader serves stale values; no safety invariant sees it, the linearizability check of the history does',
  },
  {
    name: 'skip-sync',
    description: 'never calls storage.sync() before answering: with --lose-unsynced a crash loses votes and entries already acknowledged (election-safety / leader-completeness / state-machine-safety)',
  },
]
