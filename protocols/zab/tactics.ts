/**
 * Fault tactics for ZAB (sim/protocol.ts FaultTactic): plan generators for fault patterns that
 * random plans rarely hit. `deposed-leader-reads` is the pattern behind ZooKeeper's
 * non-linearizable sync: a leader that has lost its quorum but has not noticed yet.
 * `restart-after-new-epoch` stops a new leader the moment it is established and restarts the
 * others: servers that forgot the epoch they accepted (forget-accepted-epoch) then establish a
 * second leader of that epoch.
 */
import type { FaultTactic, NodeId } from '../../sim/protocol.ts'
import type { Plan, PlanAction, PlanStep } from '../../sim/nemesis/types.ts'
import { type Micros, US_PER_MS } from '../../sim/time.ts'

/**
 * The old leader's clock runs at 8-12% of true speed, so its syncLimit (5 ticks of 100 ms by
 * default) lasts about 5 s of true time: the window in which it still serves after losing its
 * quorum. A real leader gets such a window from a long GC pause or a stalled VM between ticks.
 */
const SLOW_DRIFT_PPM = { lo: 880_000, hi: 920_000 }
/** When the majority's leader is cut off in turn: after its election (about 0.8 s, longer under loss) and some commits. */
const SECOND_CUT_MS = { lo: 1800, hi: 2500 }
/** How long the second cut lasts before the heal. */
const HEAL_AFTER_MS = { lo: 800, hi: 1200 }
/** The pause between episodes, and the first episode's start (after the first election). */
const GAP_MS = { lo: 300, hi: 600 }
const FIRST_MS = { lo: 1000, hi: 1500 }
/** The longest an episode can take, so the last one ends within the fault phase. */
const LONGEST_EPISODE_US = (SECOND_CUT_MS.hi + HEAL_AFTER_MS.hi) * US_PER_MS + 10

/** Uniform in [loMs, hiMs), in whole milliseconds, as microseconds. */
function betweenMs(random: () => number, { lo, hi }: { lo: number; hi: number }): Micros {
  return Math.floor(lo + random() * (hi - lo)) * US_PER_MS
}

/**
 * The second stage, at `atUs`: the old leader L rejoins, the new leader L2 is cut off and one
 * of the other servers X is paused, so the two remaining followers have no quorum without L and
 * keep answering not-serving: their clients retry elsewhere and reach L. Selectors are resolved
 * when a step runs, one microsecond apart so "paused" (the one paused longest ago) is exact.
 * Cutting off and pausing "leader" (the highest epoch's leader that is up: L2) replaces L's cut,
 * so L rejoins; then L is the only leader up, and pausing it leaves X to "random"; resuming the
 * two oldest pauses brings back L2 (still cut off) and then L.
 */
function secondStage(atUs: Micros): PlanStep[] {
  return [
    { at: atUs, do: 'pause', node: 'leader', isolate: true },
    { at: atUs + 1, do: 'pause', node: 'leader' },
    { at: atUs + 2, do: 'pause', node: 'random' },
    { at: atUs + 3, do: 'resume', node: 'paused' },
    { at: atUs + 4, do: 'resume', node: 'paused' },
  ]
}

/**
 * One episode from `atUs`: L's clock slows and L is cut off; the majority elects L2 and commits
 * writes while L still counts itself leader. Then the second stage sends clients to L, whose
 * sync-gets answer from its stale tree unless the sync consults a quorum. Then everything heals
 * and every clock is set right (which node was slowed is only known at run time).
 */
function episode(nodeIds: readonly NodeId[], atUs: Micros, random: () => number): { steps: PlanStep[]; endUs: Micros } {
  const driftPpm = -Math.floor(SLOW_DRIFT_PPM.lo + random() * (SLOW_DRIFT_PPM.hi - SLOW_DRIFT_PPM.lo))
  const secondUs = atUs + betweenMs(random, SECOND_CUT_MS)
  const healUs = secondUs + betweenMs(random, HEAL_AFTER_MS)
  const steps: PlanStep[] = [
    { at: atUs, do: 'clock', node: 'leader', driftPpm },
    { at: atUs, do: 'isolate', nodes: ['leader'] },
    ...secondStage(secondUs),
    { at: healUs, do: 'heal' },
    ...nodeIds.map((node): PlanStep => ({ at: healUs, do: 'clock', node, offset: '0ms', driftPpm: 0 })),
    // At most one server is still paused (three pauses, two resumes).
    { at: healUs + 1, do: 'resume', node: 'paused' },
  ]
  return { steps, endUs: healUs + 1 }
}

export const deposedLeaderReads: FaultTactic = {
  name: 'deposed-leader-reads',
  description:
    "a leader's clock slows and it is cut off; the majority elects a new leader and commits, then that leader is cut off and " +
    'another server paused, so clients retry on the deposed leader before its syncLimit runs out: a sync that does not ' +
    'consult a quorum (sync-without-quorum, as in ZooKeeper) answers them from a stale tree',
  // Five servers: with the new leader cut off and one more paused, the other two have no quorum without the old leader.
  nodes: [5],
  plan({ nodeIds, faultUs, random }): Plan {
    const plan: Plan = []
    let atUs = betweenMs(random, FIRST_MS)
    // Few episodes: a failure in a later one keeps steps of the earlier ones when shrunk.
    for (let count = 0; count < EPISODES && atUs + LONGEST_EPISODE_US < faultUs; count++) {
      const { steps, endUs } = episode(nodeIds, atUs, random)
      plan.push(...steps)
      atUs = endUs + betweenMs(random, GAP_MS)
    }
    return plan
  },
}

const EPISODES = 2

/** The window in which the next election completes, after the leader is cut off (elections take about 0.8 s, longer under loss). */
const ELECTION_WINDOW_MS = { lo: 2500, hi: 3500 }

/**
 * An epoch that logged nothing is forgotten by a restart (forget-accepted-epoch). In a cluster of
 * three, the leader crashes and the other two elect A, which proposes epoch e; the moment A is
 * established (its follower B has accepted e and acknowledged NEWLEADER, nothing logged in e yet)
 * A is cut off and paused, B crashes, and B and the old leader restart. Neither remembers e, so
 * the leader they elect proposes e again: two established leaders of one epoch.
 */
export const forgottenEpoch: FaultTactic = {
  name: 'restart-after-new-epoch',
  description:
    'crash the leader, stop the next one the moment it is established and restart the other servers at that moment: ' +
    'a server must remember the epoch it accepted even when it logged nothing in it (forget-accepted-epoch)',
  nodes: [3],
  plan({ faultUs, random }): Plan {
    const atUs = betweenMs(random, FIRST_MS)
    const untilUs = atUs + betweenMs(random, ELECTION_WINDOW_MS)
    const healUs = untilUs + betweenMs(random, HEAL_AFTER_MS)
    if (healUs + 2 >= faultUs) return []
    const atWin = (action: PlanAction): PlanStep => ({ ...action, at: atUs + 1, until: untilUs, when: 'leader' }) as PlanStep
    return [
      { at: atUs, do: 'crash', node: 'leader' },
      { at: atUs + 1, until: untilUs, do: 'pause', node: 'leader', isolate: true },
      // A is paused: the only server up is its follower B.
      atWin({ do: 'crash', node: 'random' }),
      // The crashed, oldest first: the old leader, then B.
      atWin({ do: 'restart', node: 'crashed' }),
      atWin({ do: 'restart', node: 'crashed' }),
      { at: healUs, do: 'restart', node: 'crashed' },
      { at: healUs + 1, do: 'resume', node: 'paused' },
      { at: healUs + 2, do: 'heal' },
    ]
  },
}

export const ZAB_TACTICS: readonly FaultTactic[] = [deposedLeaderReads, forgottenEpoch]
