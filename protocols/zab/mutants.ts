/** Known-buggy variants (`--mutant NAME`): each breaks one safeguard, and an invariant catches it. */
import type { Mutant } from '../../sim/protocol.ts'

export const ZAB_MUTANTS: readonly Mutant[] = [
  {
    name: 'elect-by-id',
    description:
      'votes compare server ids only (not peer epoch and zxid), and the leader trusts the vote (no follower-is-ahead check): ' +
      'a stale server with a high id leads, truncates committed transactions away and commits others in their place; zab-agreement catches it',
  },
  {
    name: 'commit-without-quorum',
    description:
      'the leader commits a proposal as soon as it has logged it, without waiting for a quorum of ACKs: a leader cut off from the others ' +
      'commits writes the next leader never hears of; zab-agreement catches a server delivering something else in their place',
  },
  {
    name: 'no-truncate',
    description:
      'a learner ignores TRUNC and keeps transactions the new leader never committed: a deposed leader that rejoins later delivers its ' +
      'orphaned proposals; zab-agreement catches it',
  },
  {
    name: 'forget-accepted-epoch',
    description:
      'acceptedEpoch is kept in memory only: after a restart a server acknowledges an epoch it already promised to another leader, ' +
      'so two leaders establish the same epoch and reuse zxids; zab-leadership or zab-integrity catches it',
  },
]
