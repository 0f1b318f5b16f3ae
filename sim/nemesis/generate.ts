/**
 * The swarm generator: each call draws which fault kinds are switched on and how often each
 * strikes (swarm testing: a run with no crashes at all finds bugs that constant crashing
 * masks), then lays out a timeline of faults, each followed by its undo, with at most a
 * minority of nodes crashed or paused at once. All draws come from the stream passed in, in a
 * fixed order, so the same stream state gives the same plan.
 */
import type { RandomStream } from '../random.ts'
import type { Micros } from '../time.ts'
import { minorityOf } from './effects.ts'
import { clockFault, crashFault, partitionFault, pauseFault, PARTITION_SHAPES, type PartitionShape } from './faults.ts'
import { networkFault } from './network-faults.ts'
import { budgetTrack, episodesToPlan, firstEpisodes, lastUndoUs, paceFor, sequentialTrack, type Episode, type Pace } from './timeline.ts'
import { FAULT_KINDS, type FaultKind, type Plan } from './types.ts'

export interface RandomPlanOptions {
  nodes: readonly string[]
  durationUs: Micros
  rng: RandomStream
  /** The kinds the swarm may switch on (default all); it switches on a non-empty random subset. */
  kinds?: readonly FaultKind[]
  /** Stop adding faults once the plan would exceed this many steps (default 40). */
  maxSteps?: number
}

export const DEFAULT_MAX_STEPS = 40

export function randomPlan(opts: RandomPlanOptions): Plan {
  const { nodes, durationUs, rng } = opts
  const kinds = someOf(rng, opts.kinds ?? FAULT_KINDS)
  const episodes = swarmEpisodes(kinds, nodes, durationUs, rng)
  return episodesToPlan(firstEpisodes(episodes, opts.maxSteps ?? DEFAULT_MAX_STEPS))
}

/** Each item with even odds, but never none: an empty swarm would make a useless test case. */
export function someOf<T>(rng: RandomStream, items: readonly T[]): T[] {
  if (items.length === 0) return []
  const chosen = items.filter(() => rng.chance(0.5))
  return chosen.length > 0 ? chosen : [rng.pick(items)]
}

/** A per-kind rhythm: faults every 1 s to 2..20 s, lasting 1 s to 2..10 s (scaled down for short runs). */
function drawPace(rng: RandomStream, durationUs: Micros): Pace {
  return paceFor(durationUs, [1, rng.pick([2, 5, 10, 20])], [1, rng.pick([2, 5, 10])])
}

/** Partition shapes that make sense for this many nodes. */
function usableShapes(nodeCount: number): PartitionShape[] {
  if (nodeCount >= 3) return [...PARTITION_SHAPES]
  return nodeCount === 2 ? ['isolate-leader', 'isolate-random', 'halves', 'random-halves', 'groups', 'one-way'] : []
}

function swarmEpisodes(kinds: readonly FaultKind[], nodes: readonly string[], durationUs: Micros, rng: RandomStream): Episode[] {
  const endUs = lastUndoUs(durationUs)
  const on = (kind: FaultKind) => kinds.includes(kind)
  const episodes: Episode[] = []
  const shapes = on('partition') ? someOf(rng, usableShapes(nodes.length)) : []
  if (shapes.length > 0) {
    const pace = drawPace(rng, durationUs)
    append(episodes, sequentialTrack(rng, endUs, pace, (r) => partitionFault(r.pick(shapes), nodes, r)))
  }
  // Crashes and pauses share one budget: a minority of nodes down at once, whatever the cause.
  const budget = minorityOf(nodes.length)
  const down: Episode[] = []
  for (const [kind, fault] of [['crash', crashFault], ['pause', pauseFault]] as const) {
    if (!on(kind) || budget === 0) continue
    const pace = drawPace(rng, durationUs)
    append(down, budgetTrack(rng, endUs, pace, budget, down, (r) => fault(r.pick(['leader', 'random'] as const))))
  }
  append(episodes, down)
  if (on('network') && nodes.length > 0) {
    append(episodes, sequentialTrack(rng, endUs, drawPace(rng, durationUs), (r) => networkFault(nodes, r)))
  }
  if (on('clock') && nodes.length > 0) {
    append(episodes, sequentialTrack(rng, endUs, drawPace(rng, durationUs), (r) => clockFault(nodes, r)))
  }
  return episodes
}

/** Appends in a loop: a spread of a long run's episodes (hours of faults) would overflow the stack. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item)
}
