/** Known-buggy variants (`--mutant NAME`): each breaks one safeguard, and an invariant catches it. */
import type { Mutant } from '../../sim/protocol.ts'

export const ZAB_MUTANTS: readonly Mutant[] = [
  {
    name: 'elect-by-id',
    description:
      'votes compare server ids only (not peer epoch and zxid), and the leader trusts the vote (no follower-is-ahead check): a stale ' +
      'server with a high id leads and truncates committed transactions away; zab-primary-integrity (or zab-agreement) catches it',
  },
  {
    name: 'commit-without-quorum',
    description:
      'the leader commits a proposal as soon as it has logged it, without a quorum of ACKs: a leader cut off from the majority commits ' +
      'writes the next leader never hears of; zab-primary-integrity catches that leader starting without them (or zab-agreement)',
  },
  {
    name: 'no-truncate',
    description:
      'a learner ignores TRUNC and keeps proposals no quorum logged: a deposed leader that rejoins delivers its orphaned proposals ' +
      'after the new epoch began; zab-primary-integrity (or zab-agreement) catches it',
  },
  {
    name: 'forget-accepted-epoch',
    description:
      'acceptedEpoch is not kept on disk: after a restart it is inferred from the last logged zxid, so an epoch that logged nothing ' +
      'is forgotten and proposed again; zab-leadership catches two established leaders of one epoch',
  },
  {
    name: 'sync-without-quorum',
    description:
      "the leader answers a sync once its own proposals are committed, without hearing from a quorum (ZooKeeper's own sync): a deposed " +
      'leader that does not know it yet serves stale sync-gets; no invariant fires: the linearizability check of the history catches it ' +
      '(faultline check draws the deposed-leader-reads tactic for it; mutants.test.ts has a scripted case)',
  },
]
