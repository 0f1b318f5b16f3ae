/**
 * Fault tactics for `faultline check raft` (sim/protocol.ts FaultTactic): the two interleavings
 * random plans do not reach (scenarios.ts scripts them by watching the cluster; a plan cannot
 * watch, so these repeat a randomised cycle of the pattern through the fault phase, and use
 * selectors that resolve when a step runs: "leader" is the running leader of the highest term).
 *
 * Both slow the network during a cycle (tens of milliseconds a hop): the moments they aim at,
 * "after the vote, before the new leader's first AppendEntries" and "right after an election,
 * before the no-op spreads", last about a round trip, and a slow network widens them.
 */
import type { Plan, PlanStep } from '../../sim/nemesis/types.ts'
import type { FaultTactic } from '../../sim/protocol.ts'
import { US_PER_MS, type Micros } from '../../sim/time.ts'

/** A cycle's slow network: wide enough windows, and still far below the election timeout. */
const SLOW_LATENCY = 'uniform:20ms..60ms'
/** Quiet time first: the cluster elects its first leader and settles. */
const SETTLE_US = 1_000 * US_PER_MS

type Draw = Parameters<FaultTactic['plan']>[0]

const between = (random: () => number, loMs: number, hiMs: number): Micros => Math.round((loMs + random() * (hiMs - loMs)) * US_PER_MS)

/**
 * Repeats `cycle` from SETTLE_US while another fits (`longestMs`: the longest a cycle can be);
 * each returns its steps and its end.
 */
function cycles(draw: Draw, longestMs: number, cycle: (startUs: Micros) => { steps: PlanStep[]; endUs: Micros }): Plan {
  const plan: Plan = []
  for (let startUs = SETTLE_US; startUs + longestMs * US_PER_MS < draw.faultUs; ) {
    const { steps, endUs } = cycle(startUs)
    plan.push(...steps)
    startUs = endUs + between(draw.random, 300, 900)
  }
  return plan.sort((a, b) => a.at - b.at)
}

/**
 * A restarted voter votes twice (forget-voted-for). A follower B and then the leader are paused
 * (B stays in the old term); the three others elect a candidate C, which needs both their votes.
 * Every few milliseconds a step cuts off and pauses the leader, so C is stopped the moment it
 * wins, before its first AppendEntries lands (a partition drops messages in flight). Its two
 * voters crash and restart, and B resumes: B campaigns in C's term and asks them again.
 */
export const doubleVoteTactic: FaultTactic = {
  name: 'restart-between-candidates',
  description: 'pause a follower and the leader, stop the next leader the moment it wins, restart its voters and resume the follower, which campaigns in the same term: a restarted voter must not vote twice in a term (forget-voted-for)',
  nodes: [5],
  configs: [{ preVote: false, checkQuorum: false }],
  plan: (draw) =>
    cycles(draw, 2_200, (s) => {
      const { random } = draw
      const pollToUs = s + between(random, 650, 950)
      const backUs = pollToUs + between(random, 1, 10)
      const healUs = backUs + between(random, 800, 1200)
      const steps: PlanStep[] = [
        { at: s, do: 'network', latency: SLOW_LATENCY },
        { at: s, do: 'pause', node: 'random' },
        { at: s, do: 'pause', node: 'leader' },
        ...pollStopLeader(s + 250 * US_PER_MS, pollToUs, random),
        { at: pollToUs, do: 'crash', node: 'random' },
        { at: pollToUs, do: 'crash', node: 'random' },
        { at: backUs, do: 'restart', node: 'crashed' },
        { at: backUs, do: 'restart', node: 'crashed' },
        { at: backUs, do: 'resume', node: 'paused' },
        ...repeat(2, (): PlanStep => ({ at: healUs, do: 'resume', node: 'paused' })),
        { at: healUs, do: 'heal' },
        { at: healUs, do: 'network', reset: true },
      ]
      return { steps, endUs: healUs }
    }),
}

/**
 * Figure 8 (commit-previous-term). The leader L1 and one follower F are cut off and L1 takes a
 * few writes, which reach F only (one entry per AppendEntries) until CheckQuorum steps L1 down.
 * The majority elects L2, stopped the moment it leads (cut off and paused, as above: its no-op
 * goes nowhere). L1 or F, holding L1's entries, leads a later term (L3) and copies them to the
 * others one at a time, its own no-op last: the buggy rule commits each older entry as soon as
 * a majority holds it. L3 is cut off and crashed at a random moment of that, and L2 resumes:
 * its last term is newer than that of the nodes still lacking L3's no-op, so it can win them
 * and overwrite the entries.
 */
export const figure8Tactic: FaultTactic = {
  name: 'figure-8',
  description: 'three leaders as in the Raft paper\'s Figure 8: an older term\'s entries on a minority, the next term\'s leader stopped at once, the minority leading again and copying them: counting replicas of an older term must not commit (commit-previous-term)',
  nodes: [5],
  configs: [{ maxEntriesPerAppend: 1 }],
  plan: (draw) =>
    cycles(draw, 3_900, (s) => {
      const { random } = draw
      const splitUs = s + between(random, 0, 100)
      // L1 appends a few entries (a client's writes would do; a command step does it now).
      const writes = repeat(8 + Math.floor(random() * 9), (): PlanStep => ({ at: splitUs + between(random, 5, 60), do: 'command', node: 'leader', command: { type: 'start', command: 'figure-8' } }))
      // CheckQuorum steps L1 down within two of its 300 ms checks; L2 wins from about 400 ms.
      const pollFromUs = splitUs + 350 * US_PER_MS
      const pollToUs = splitUs + between(random, 1_000, 1_300)
      const stopL3Us = pollToUs + between(random, 300, 1_200)
      const l2BackUs = stopL3Us + between(random, 0, 20)
      const healUs = l2BackUs + between(random, 900, 1_200)
      const steps: PlanStep[] = [
        { at: s, do: 'network', latency: SLOW_LATENCY },
        { at: splitUs, do: 'isolate', nodes: ['leader', 'random'] },
        ...writes,
        ...pollStopLeader(pollFromUs, pollToUs, random),
        // L3 stops as a crash (not a pause), so the resumes below cannot pick it.
        { at: stopL3Us, do: 'isolate', nodes: ['leader'] },
        { at: stopL3Us, do: 'crash', node: 'leader' },
        // L2 back, and L1 if a poll caught it still leading: the two oldest pauses, both without L3's no-op.
        { at: l2BackUs, do: 'resume', node: 'paused' },
        { at: l2BackUs, do: 'resume', node: 'paused' },
        { at: healUs, do: 'restart', node: 'crashed' },
        { at: healUs, do: 'resume', node: 'paused' },
        { at: healUs, do: 'heal' },
        { at: healUs, do: 'network', reset: true },
      ]
      return { steps, endUs: healUs }
    }),
}

/**
 * Stops the next leader the moment it wins: every few milliseconds through a window, cut the
 * running leader off (which drops its messages still in flight) and pause it. Steps before
 * anyone leads, and after it is paused, find no running leader and are skipped.
 */
function pollStopLeader(fromUs: Micros, toUs: Micros, random: () => number): PlanStep[] {
  const steps: PlanStep[] = []
  for (let at = fromUs + between(random, 0, POLL_MS); at < toUs; at += POLL_MS * US_PER_MS) {
    steps.push({ at, do: 'isolate', nodes: ['leader'] }, { at, do: 'pause', node: 'leader' })
  }
  return steps
}
const POLL_MS = 5

function repeat<T>(count: number, make: () => T): T[] {
  return Array.from({ length: count }, make)
}

export const RAFT_TACTICS: readonly FaultTactic[] = [doubleVoteTactic, figure8Tactic]
