/**
 * Network degradations for chaos and the swarm generator: some mix of latency, loss,
 * duplication and reordering, on every link or on the links of one "slow" node, undone with a
 * reset to the run's starting configuration (the plan cannot know what that was).
 */
import type { RandomStream } from '../random.ts'
import type { FaultPair } from './timeline.ts'
import type { PlanAction } from './types.ts'

type NetworkAction = Extract<PlanAction, { do: 'network' }>

/** Latency specs from mildly to badly slow; none alone outlasts a typical election timeout for long. */
function latencySpec(rng: RandomStream): string {
  switch (rng.int(0, 3)) {
    case 0: {
      const lowMs = rng.int(1, 20)
      return `uniform:${lowMs}ms..${lowMs + rng.int(1, 100)}ms`
    }
    case 1: {
      const [floorMs, meanMs] = [rng.int(0, 5), rng.int(1, 50)]
      return floorMs === 0 ? `exp:${meanMs}ms` : `exp:${floorMs}ms+${meanMs}ms`
    }
    case 2: {
      const medianMs = rng.int(1, 10)
      return `longtail:${medianMs}ms..${medianMs * rng.int(5, 50)}ms`
    }
    default:
      return `fixed:${rng.int(1, 50)}ms`
  }
}

/** Both directions between one node and every other: a slow or lossy node rather than a slow network. */
function slowNodeLinks(nodes: readonly string[], rng: RandomStream): Array<[string, string]> {
  const slow = rng.pick(nodes)
  return nodes.filter((n) => n !== slow).flatMap((n): Array<[string, string]> => [[slow, n], [n, slow]])
}

export function networkFault(nodes: readonly string[], rng: RandomStream): FaultPair {
  const change: NetworkAction = { do: 'network' }
  // At least one knob: draw each with even odds, and fall back to loss when none came up.
  if (rng.chance(0.5)) change.latency = latencySpec(rng)
  if (rng.chance(0.5)) change.loss = rng.int(1, 30) / 100
  if (rng.chance(0.3)) change.duplicate = rng.int(1, 10) / 100
  if (rng.chance(0.3)) change.reorder = rng.int(1, 20) / 100
  if (Object.keys(change).length === 1) change.loss = rng.int(1, 30) / 100
  const undo: NetworkAction = { do: 'network', reset: true }
  if (nodes.length >= 2 && rng.chance(0.5)) {
    change.links = slowNodeLinks(nodes, rng)
    undo.links = change.links.map(([from, to]): [string, string] => [from, to])
  }
  return { apply: [change], undo: [undo] }
}
