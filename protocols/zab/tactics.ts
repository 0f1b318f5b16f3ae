/**
 * Fault tactics for ZAB (sim/protocol.ts FaultTactic): plan generators for fault patterns that
 * random plans rarely hit. `deposed-leader-reads` is the pattern behind ZooKeeper's
 * non-linearizable sync: a leader that has lost its quorum but has not noticed yet.
 */
import type { FaultTactic, NodeId } from '../../sim/protocol.ts'
import type { Plan, PlanStep } from '../../sim/nemesis/types.ts'
import { type Micros, US_PER_MS } from '../../sim/time.ts'

/** Uniform in [loMs, hiMs), in whole milliseconds, as microseconds. */
function betweenMs(random: () => number, loMs: number, hiMs: number): Micros {
  return Math.floor(loMs + random() * (hiMs - loMs)) * US_PER_MS
}

/**
 * The old leader's clock runs at 8-12% of true speed, so its syncLimit (5 ticks of 100 ms by
 * default) lasts about 5 s of true time: the window in which it still serves after losing its
 * quorum. A real leader gets such a window from a GC pause or a stalled VM between ticks.
 */
const SLOW_DRIFT_PPM = { lo: 880_000, hi: 920_000 }
/** When the majority's leader is cut off in turn: after its election (about 0.8 s, longer under loss) and some commits. */
const SECOND_CUT_MS = { lo: 1500, hi: 2200 }
/** How long the second cut lasts before the heal. */
const HEAL_AFTER_MS = { lo: 1500, hi: 2500 }
/** The pause between episodes, and the first episode's start (after the first election). */
const GAP_MS = { lo: 500, hi: 1000 }
const FIRST_MS = { lo: 1000, hi: 1500 }
/** The longest an episode can take, so the last one ends within the fault phase. */
const LONGEST_EPISODE_US = (SECOND_CUT_MS.hi + HEAL_AFTER_MS.hi) * US_PER_MS

/**
 * One episode from `atUs`: the leader L's clock slows and L is cut off; the majority elects a
 * new leader and commits writes while L still counts itself leader. Then the majority's leader
 * is cut off instead (a partition replaces the last one, so L rejoins): its followers stop
 * serving, their clients retry on other servers and some reach L, which answers sync-gets from
 * its stale tree unless the sync consults a quorum. Then everything heals and clocks are reset.
 */
function episode(nodeIds: readonly NodeId[], atUs: Micros, random: () => number): { steps: PlanStep[]; endUs: Micros } {
  const driftPpm = -Math.floor(SLOW_DRIFT_PPM.lo + random() * (SLOW_DRIFT_PPM.hi - SLOW_DRIFT_PPM.lo))
  const secondCutUs = atUs + betweenMs(random, SECOND_CUT_MS.lo, SECOND_CUT_MS.hi)
  const healUs = secondCutUs + betweenMs(random, HEAL_AFTER_MS.lo, HEAL_AFTER_MS.hi)
  const steps: PlanStep[] = [
    { at: atUs, do: 'clock', node: 'leader', driftPpm },
    { at: atUs, do: 'isolate', nodes: ['leader'] },
    // 'leader' is the highest epoch's leader: the new one (or L again if no election finished yet).
    { at: secondCutUs, do: 'isolate', nodes: ['leader'] },
    { at: healUs, do: 'heal' },
    // Which node was slowed is decided at run time, so every clock is set right.
    ...nodeIds.map((node): PlanStep => ({ at: healUs, do: 'clock', node, offset: '0ms', driftPpm: 0 })),
  ]
  return { steps, endUs: healUs }
}

export const deposedLeaderReads: FaultTactic = {
  name: 'deposed-leader-reads',
  description:
    "a leader's clock slows and it is cut off; the majority elects a new leader and commits, then loses that leader in turn, " +
    'so clients retry on the deposed leader before its syncLimit runs out: a sync that does not consult a quorum ' +
    '(sync-without-quorum, as ZooKeeper) answers them from a stale tree',
  // Five servers: three remain serving when each of two leaders is cut off in turn.
  nodes: [5],
  plan({ nodeIds, faultUs, random }): Plan {
    const plan: Plan = []
    let atUs = betweenMs(random, FIRST_MS.lo, FIRST_MS.hi)
    while (atUs + LONGEST_EPISODE_US < faultUs) {
      const { steps, endUs } = episode(nodeIds, atUs, random)
      plan.push(...steps)
      atUs = endUs + betweenMs(random, GAP_MS.lo, GAP_MS.hi)
    }
    return plan
  },
}

export const ZAB_TACTICS: readonly FaultTactic[] = [deposedLeaderReads]
