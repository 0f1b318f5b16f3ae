/**
 * Fault tactics for `faultline check raft` (sim/protocol.ts FaultTactic): three interleavings
 * random plans rarely reach (a voter restarting between two candidates of one term, Figure 8's
 * three leaders, a deposed leader serving reads; scenarios.ts scripts the first two by watching
 * the cluster). A plan cannot
 * watch, but a waiting step can (sim/nemesis/wait.ts): "from `at` until `until`, isolate and
 * pause the next leader the moment it wins" stops a new leader before its first AppendEntries
 * lands, in one step, so a shrunk plan keeps only the steps that matter. Each tactic makes one
 * or two randomised cycles of its pattern (`cycles`): more would keep earlier cycles' steps in
 * a plan shrunk from a later cycle's failure.
 */
import type { Plan, PlanAction, PlanStep } from '../../sim/nemesis/types.ts'
import type { FaultTactic } from '../../sim/protocol.ts'
import { US_PER_MS, type Micros } from '../../sim/time.ts'

/**
 * Figure 8's slow network: L3 copies the older entries one per AppendEntries round trip, so the
 * moment to stop it (an older entry counted onto a majority, its own no-op not yet there) lasts
 * a few round trips; tens of milliseconds a hop widen it, still far below the election timeout.
 */
const SLOW_LATENCY = 'uniform:20ms..60ms'
/** Quiet time first: the cluster elects its first leader and settles. */
const SETTLE_US = 1_000 * US_PER_MS

type Draw = Parameters<FaultTactic['plan']>[0]

const between = (random: () => number, loMs: number, hiMs: number): Micros => Math.round((loMs + random() * (hiMs - loMs)) * US_PER_MS)

/**
 * Repeats `cycle` from SETTLE_US while another fits (`longestMs`: the longest a cycle can be),
 * at most `most` times; each returns its steps and its end. Fewer cycles give smaller shrunk
 * plans: removing an earlier cycle changes everything after it, so a failure in a later cycle
 * often keeps steps of the earlier ones.
 */
function cycles(draw: Draw, longestMs: number, most: number, cycle: (startUs: Micros) => { steps: PlanStep[]; endUs: Micros }): Plan {
  const plan: Plan = []
  let count = 0
  for (let startUs = SETTLE_US + between(draw.random, 0, 500); count < most && startUs + longestMs * US_PER_MS < draw.faultUs; count++) {
    const { steps, endUs } = cycle(startUs)
    plan.push(...steps)
    startUs = endUs + between(draw.random, 300, 900)
  }
  return plan.sort((a, b) => a.at - b.at)
}

/** The waiting step: from `fromUs` until `toUs`, cut off and pause the next node to lead, the moment it leads. */
const stopNextLeader = (fromUs: Micros, toUs: Micros): PlanStep => ({ at: fromUs, until: toUs, do: 'pause', node: 'leader', isolate: true })

/**
 * A restarted voter votes twice (forget-voted-for). The leader crashes, then a follower B is cut
 * off and paused (so it stays in the old term and hears no RequestVote of the next one); the
 * three others elect a candidate C, which needs both their votes. The moment C wins it is cut off
 * and paused, its two voters crash and restart (before an election timeout can move them to a
 * later term; the old leader restarts too) and B resumes: B campaigns in C's term and asks them
 * again. (A paused old leader would resume still leading and reset B's timer with a heartbeat.)
 */
export const doubleVoteTactic: FaultTactic = {
  name: 'restart-between-candidates',
  description: 'pause a follower and the leader, stop the next leader the moment it wins, restart its voters and resume the follower, which campaigns in the same term: a restarted voter must not vote twice in a term (forget-voted-for)',
  nodes: [5],
  configs: [{ preVote: false, checkQuorum: false }],
  plan: (draw) =>
    cycles(draw, 2_000, 1, (s) => {
      const { random } = draw
      // The followers time out 300-600 ms after the leader's last heartbeat (up to 100 ms before
      // s): C wins well within the window, unless votes split or get lost.
      const waitToUs = s + between(random, 900, 1_100)
      const healUs = waitToUs + between(random, 600, 900)
      // Everything else happens at the moment C wins, before its voters' election timeouts can
      // move them on: `when: 'leader'` steps fire together with the one that stops C.
      const atWin = (action: PlanAction): PlanStep => ({ ...action, at: s + 2, until: waitToUs, when: 'leader' }) as PlanStep
      const steps: PlanStep[] = [
        { at: s, do: 'crash', node: 'leader' },
        { at: s + 1, do: 'pause', node: 'random', isolate: true },
        stopNextLeader(s + 2, waitToUs),
        // Only C's voters are up now (the old leader crashed, B and C paused): they crash, and
        // restart with the old leader (the crashed, oldest first), forgetting their votes.
        atWin({ do: 'crash', node: 'random' }),
        atWin({ do: 'crash', node: 'random' }),
        ...repeat(3, () => atWin({ do: 'restart', node: 'crashed' })),
        // B, still in the old term, campaigns when its election timeout comes (at once if it has passed).
        atWin({ do: 'resume', node: 'paused' }),
        { at: healUs, do: 'restart', node: 'crashed' },
        ...repeat(2, (): PlanStep => ({ at: healUs, do: 'resume', node: 'paused' })),
        { at: healUs, do: 'heal' },
      ]
      return { steps, endUs: healUs }
    }),
}

/**
 * Figure 8 (commit-previous-term). The leader L1 and one follower F are cut off and L1 takes a
 * few writes, which reach F only (one entry per AppendEntries) until CheckQuorum steps L1 down.
 * The majority elects L2, stopped the moment it leads (cut off and paused: its no-op goes
 * nowhere; L1, leading when the window opens, is not new). L1 or F, holding L1's entries, leads
 * a later term (L3) and copies them to the others one at a time, its own no-op last: the buggy
 * rule commits each older entry as soon as a majority holds it. L3 is cut off and crashed at a
 * random moment of that, and L2 resumes: its last term is newer than that of the nodes still
 * lacking L3's no-op, so it can win them and overwrite the entries.
 */
const FIGURE_8_CYCLES = 1
/** How long after L3 wins it is stopped: after an older entry is counted onto a majority, before its no-op gets there. */
const FIGURE_8_DELAY_MS = { lo: 100, hi: 500 }

export const figure8Tactic: FaultTactic = {
  name: 'figure-8',
  description: 'three leaders as in the Raft paper\'s Figure 8: an older term\'s entries on a minority, the next term\'s leader stopped at once, the minority leading again and copying them: counting replicas of an older term must not commit (commit-previous-term)',
  nodes: [5],
  configs: [{ maxEntriesPerAppend: 1 }],
  plan: (draw) =>
    cycles(draw, 4_500, FIGURE_8_CYCLES, (s) => {
      const { random } = draw
      const splitUs = s + between(random, 0, 100)
      // L1 appends a few entries (a client's writes would do; a command step does it now). Each is
      // a step a shrunk plan keeps: 3 to 5 catch about one run in four, 2 to 4 one in seven.
      const writes = repeat(3 + Math.floor(random() * 3), (): PlanStep => ({ at: splitUs + between(random, 5, 60), do: 'command', node: 'leader', command: { type: 'start', command: 'figure-8' } }))
      // CheckQuorum steps L1 down within two of its 300 ms checks; L2 wins from about 400 ms, L3 300-1200 ms later.
      const fromUs = splitUs + 100 * US_PER_MS
      const l2ByUs = splitUs + 2_000 * US_PER_MS
      const l3ByUs = splitUs + 3_000 * US_PER_MS
      const healUs = l3ByUs + FIGURE_8_DELAY_MS.hi * US_PER_MS + between(random, 100, 300)
      const steps: PlanStep[] = [
        { at: s, do: 'network', latency: SLOW_LATENCY },
        { at: splitUs, do: 'isolate', nodes: ['leader', 'random'] },
        ...writes,
        stopNextLeader(fromUs, l2ByUs),
        // L3: the next leader after L2, stopped as a crash (not a pause, so the resume below cannot pick it) a while into its copying.
        { at: fromUs, until: l3ByUs, after: between(random, FIGURE_8_DELAY_MS.lo, FIGURE_8_DELAY_MS.hi), do: 'crash', node: 'leader', isolate: true },
        // The moment L3 crashes, one of the three others pauses, so no two of them can elect one of
        // their own, and L2 (paused longest) comes back: it has no L3 entry, and only it can win.
        { at: fromUs, until: healUs, when: 'crashed', do: 'pause', node: 'random' },
        { at: fromUs, until: healUs, when: 'crashed', do: 'resume', node: 'paused' },
        { at: healUs, do: 'restart', node: 'crashed' },
        ...repeat(2, (): PlanStep => ({ at: healUs, do: 'resume', node: 'paused' })),
        { at: healUs, do: 'heal' },
        { at: healUs, do: 'network', reset: true },
      ]
      return { steps, endUs: healUs }
    }),
}

function repeat<T>(count: number, make: () => T): T[] {
  return Array.from({ length: count }, make)
}

/**
 * A deposed leader that does not know it yet answers reads (stale-read answers them from its own
 * state). The leader L's clock slows to a tenth (its heartbeats and CheckQuorum then take
 * seconds, as in a long GC pause) and it is cut off with the clients on its side; the majority
 * elects L2 and commits the other clients' writes. Then L2 is cut off and crashed, which lets L
 * back in, and the third node pauses: nothing tells L of the newer term, and it answers the
 * reads of clients that find the others gone from its state before those writes.
 */
export const deposedLeaderTactic: FaultTactic = {
  name: 'deposed-leader-reads',
  description: "slow the leader's clock and cut it off; the majority elects a new leader and commits writes, then the new leader is cut off and the old one, not yet stepped down, takes the reads: a read must not be answered without confirming leadership (stale-read)",
  nodes: [3],
  plan: (draw) =>
    cycles(draw, 3_500, 2, (s) => {
      const { random } = draw
      const swapUs = s + between(random, 1_200, 2_000)
      const healUs = swapUs + between(random, 800, 1_300)
      const steps: PlanStep[] = [
        { at: s, do: 'clock', node: 'leader', driftPpm: -900_000 },
        { at: s, do: 'isolate', nodes: ['leader'] },
        // "leader" is the highest term's leader that is up: L2. Its cut replaces L's, so L is back,
        // and it crashes. Then L is the only leader up: pausing it leaves the third node to
        // "random", and resuming the one paused longest brings back L alone.
        { at: swapUs, do: 'crash', node: 'leader', isolate: true },
        { at: swapUs + 1, do: 'pause', node: 'leader' },
        { at: swapUs + 2, do: 'pause', node: 'random' },
        { at: swapUs + 3, do: 'resume', node: 'paused' },
        { at: healUs, do: 'restart', node: 'crashed' },
        { at: healUs, do: 'resume', node: 'paused' },
        { at: healUs, do: 'heal' },
        // Which node was slowed is known only at run time: every clock is set right.
        ...draw.nodeIds.map((node): PlanStep => ({ at: healUs, do: 'clock', node, offset: '0ms', driftPpm: 0 })),
      ]
      return { steps, endUs: healUs }
    }),
}

export const RAFT_TACTICS: readonly FaultTactic[] = [doubleVoteTactic, figure8Tactic, deposedLeaderTactic]
