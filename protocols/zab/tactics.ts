/**
 * Fault tactics for ZAB (sim/protocol.ts FaultTactic): plan generators for fault patterns that
 * random plans rarely hit. `deposed-leader-reads` is the pattern behind ZooKeeper's
 * non-linearizable sync: a leader that has lost its quorum but has not noticed yet.
 */
import type { FaultTactic, NodeId } from '../../sim/protocol.ts'
import type { Plan, PlanStep } from '../../sim/nemesis/types.ts'
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
 * when a step runs, one microsecond apart so "paused" (the one paused longest ago) is exact:
 * pausing L2 leaves L as the only "leader" that is up, pausing L leaves X to "random", and
 * resuming the oldest paused twice brings back L2 and then L.
 */
function secondStage(atUs: Micros): PlanStep[] {
  return [
    { at: atUs, do: 'heal' },
    { at: atUs + 1, do: 'pause', node: 'leader' },
    { at: atUs + 2, do: 'pause', node: 'leader' },
    { at: atUs + 3, do: 'pause', node: 'random' },
    { at: atUs + 4, do: 'resume', node: 'paused' },
    { at: atUs + 5, do: 'resume', node: 'paused' },
    // 'leader' is the highest epoch's leader that is up: L2.
    { at: atUs + 6, do: 'isolate', nodes: ['leader'] },
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
    while (atUs + LONGEST_EPISODE_US < faultUs) {
      const { steps, endUs } = episode(nodeIds, atUs, random)
      plan.push(...steps)
      atUs = endUs + betweenMs(random, GAP_MS)
    }
    return plan
  },
}

export const ZAB_TACTICS: readonly FaultTactic[] = [deposedLeaderReads]
