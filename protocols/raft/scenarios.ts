/**
 * Scripted fault scenarios (for tests): the exact interleavings behind two classic bugs,
 * driven through the engine's fault operations as a harness would. Every choice that is not
 * scripted (who times out first, latencies) comes from the seed, so each scenario runs over
 * several seeds.
 */
import { Simulation } from '../../sim/engine.ts'
import type { RunResult } from '../../sim/result.ts'
import { US_PER_MS, US_PER_S } from '../../sim/time.ts'
import type { RaftConfig } from './config.ts'
import { raft } from './index.ts'
import type { RaftNode } from './node.ts'

export interface ScenarioRun {
  result: RunResult
  /** Whether the script reached its last step (a seed whose timing did not fit stops early). */
  completed: boolean
  sim: Simulation
}

type Pred = (nodes: RaftNode[]) => boolean

class Script {
  readonly sim: Simulation
  constructor(seed: number, config: Partial<RaftConfig>, mutant: string | null) {
    this.sim = new Simulation({ protocol: raft, seed, nodes: 5, config, mutant })
  }
  node(id: string): RaftNode {
    return this.sim.node<RaftNode>(id)!
  }
  live(): RaftNode[] {
    return this.sim.nodeIds.map((id) => this.sim.node<RaftNode>(id)).filter((n): n is RaftNode => n !== undefined)
  }
  /** Runs until the predicate holds (true) or `withinMs` pass (false). */
  until(pred: Pred, withinMs: number): boolean {
    if (pred(this.live())) return true
    const stop = this.sim.run({ untilUs: this.sim.now() + withinMs * US_PER_MS, stopWhen: () => pred(this.live()) })
    return stop.reason === 'predicate'
  }
  for(ms: number): void {
    this.sim.run({ untilUs: this.sim.now() + ms * US_PER_MS })
  }
  groups(groups: string[][]): void {
    this.sim.apply({ do: 'groups', groups })
  }
  done(completed: boolean): ScenarioRun {
    return { result: this.sim.finish(), completed, sim: this.sim }
  }
}

/** A leader, and every node applied all of its log. */
const settled: Pred = (nodes) => {
  const leader = nodes.find((n) => n.isLeader)
  return leader !== undefined && nodes.length === 5 && nodes.every((n) => n.lastApplied === leader.log.lastIndex && n.currentTerm === leader.currentTerm)
}

/**
 * Figure 8 of the paper. L1 puts X at index N on one follower only; a leader L2 of the other
 * side puts its no-op at N and is cut off at once; a holder of X then leads a later term and
 * copies X to a third node, when the buggy commit rule counts a majority for X (of an older
 * term) and commits it. That leader crashes; L2, whose last term is newer than X's, wins
 * with the two nodes that lack the new no-op, and overwrites X.
 */
export function figure8(seed: number, mutant: string | null): ScenarioRun {
  const s = new Script(seed, { maxEntriesPerAppend: 1 }, mutant)
  if (!s.until(settled, 5000)) return s.done(false)
  const l1 = s.live().find((n) => n.isLeader)!.id
  const [f1, ...rest] = s.sim.nodeIds.filter((id) => id !== l1) as [string, ...string[]]
  s.groups([[l1, f1], rest])
  s.sim.command(l1, { type: 'start', command: 'X' })
  const n = s.node(l1).lastStart!.index
  s.for(50)
  // L2 wins on the other side; isolate it in the same instant, so its no-op at N goes nowhere.
  if (!s.until((ns) => ns.some((x) => rest.includes(x.id) && x.isLeader), 5000)) return s.done(false)
  const l2 = rest.find((id) => s.node(id).isLeader)!
  const others = rest.filter((id) => id !== l2)
  s.groups([[l1, f1], [l2], others])
  s.for(10)
  s.groups([[l1, f1, ...others], [l2]])
  // A holder of X leads a term after L2's, and X reaches a third node.
  const l2Term = s.node(l2).currentTerm
  if (!s.until((ns) => ns.some((x) => x.isLeader && x.currentTerm > l2Term), 5000)) return s.done(false)
  const l3 = s.live().find((x) => x.isLeader && x.currentTerm > l2Term)!.id
  // Stop when the leader learns that a majority holds X: the buggy rule commits it right there.
  const countsMajority = () => [...s.node(l3).matchIndex.values()].filter((m) => m >= n).length + 1 >= 3
  if (!s.until((ns) => ns.some((x) => x.id === l3) && countsMajority(), 2000)) return s.done(false)
  // Crash it there, and let L2 meet the two nodes without the new no-op.
  s.sim.crash(l3)
  const voters = s.sim.nodeIds.filter((id) => id !== l3 && id !== l2 && s.node(id).log.lastTerm <= l2Term)
  if (voters.length < 2) return s.done(false)
  s.groups([[l2, ...voters], s.sim.nodeIds.filter((id) => id !== l2 && !voters.includes(id))])
  s.for(5000)
  return s.done(true)
}

/**
 * Two leaders in one term after a restart. A candidate C wins term T with V's vote; V crashes
 * at that moment (before C's first AppendEntries reaches it) and restarts. B, paused and cut off
 * since before the election, resumes still in term T-1, starts its own election for T and asks
 * V, who (without a durable votedFor) votes again, and the old leader, who steps down and votes.
 */
export function doubleVote(seed: number, mutant: string | null): ScenarioRun {
  const s = new Script(seed, { preVote: false, checkQuorum: false }, mutant)
  if (!s.until(settled, 5000)) return s.done(false)
  const l0 = s.live().find((x) => x.isLeader)!.id
  const followers = s.sim.nodeIds.filter((id) => id !== l0)
  s.groups([[l0], followers])
  if (!s.until((ns) => ns.some((x) => x.role === 'candidate'), 5000)) return s.done(false)
  const c = s.live().find((x) => x.role === 'candidate')!.id
  const [v, w, b] = followers.filter((id) => id !== c) as [string, string, string]
  s.groups([[c, v, w], [b], [l0]])
  s.sim.pause(b)
  if (!s.until((ns) => ns.some((x) => x.id === c && x.isLeader), 2000)) return s.done(false)
  s.sim.crash(v)
  s.for(1)
  s.sim.restart(v)
  s.groups([[c, w], [v, b, l0]])
  s.sim.resume(b)
  s.for(3000)
  return s.done(true)
}

export const SCENARIO_SEEDS = 20
export const SCENARIO_TIME_US = 20 * US_PER_S
