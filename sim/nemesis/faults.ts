/**
 * The fault/undo pairs presets and the swarm generator are built from. Faults whose undo must
 * name the same node (clock skew, per-link network changes) pick concrete ids now; the rest use
 * selectors resolved at run time ("crash leader" then "restart crashed").
 */
import type { RandomStream } from '../random.ts'
import { formatOffset } from './offset.ts'
import type { FaultPair } from './timeline.ts'
import type { NodeSelector, PlanAction } from './types.ts'

const HEAL: PlanAction = { do: 'heal' }

export const PARTITION_SHAPES = [
  'isolate-leader',
  'isolate-random',
  'halves',
  'random-halves',
  'majorities-ring',
  'bridge',
  'groups',
  'one-way',
] as const
export type PartitionShape = (typeof PARTITION_SHAPES)[number]

/** A partition of the given shape, undone by heal (each partition replaces the one before). */
export function partitionFault(shape: PartitionShape, nodes: readonly string[], rng: RandomStream): FaultPair {
  return { apply: [partitionAction(shape, nodes, rng)], undo: [HEAL] }
}

function partitionAction(shape: PartitionShape, nodes: readonly string[], rng: RandomStream): PlanAction {
  switch (shape) {
    case 'isolate-leader':
      return { do: 'isolate', nodes: ['leader'] }
    case 'isolate-random':
      return { do: 'isolate', nodes: ['random'] }
    case 'groups':
      return { do: 'groups', groups: randomGroups(nodes, rng) }
    case 'one-way': {
      // One node stops hearing from (or reaching) some of the others: the asymmetric case.
      const [from, ...others] = rng.shuffle(nodes)
      return { do: 'one-way', from: [from!], to: others.slice(0, rng.int(1, others.length)) }
    }
    default:
      return { do: shape }
  }
}

/** Two or three non-empty groups over all the nodes (needs at least two nodes). */
function randomGroups(nodes: readonly string[], rng: RandomStream): string[][] {
  const shuffled = rng.shuffle(nodes)
  const count = Math.min(shuffled.length, rng.int(2, 3))
  const groups: string[][] = Array.from({ length: count }, (_, i) => [shuffled[i]!])
  for (const node of shuffled.slice(count)) groups[rng.int(0, count - 1)]!.push(node)
  return groups
}

export function crashFault(node: NodeSelector): FaultPair {
  return { apply: [{ do: 'crash', node }], undo: [{ do: 'restart', node: 'crashed' }] }
}

export function pauseFault(node: NodeSelector): FaultPair {
  return { apply: [{ do: 'pause', node }], undo: [{ do: 'resume', node: 'paused' }] }
}

/** Bounds for clock skew: enough to upset leases and timeouts, small enough to be plausible. */
export const MAX_SKEW_OFFSET_MS = 500
export const MAX_SKEW_DRIFT_PPM = 500

/** Skews the clocks of 1..half of the nodes (never zero on both counts), then resets them to true time. */
export function clockFault(nodes: readonly string[], rng: RandomStream): FaultPair {
  const chosen = rng.shuffle(nodes).slice(0, rng.int(1, Math.max(1, Math.ceil(nodes.length / 2))))
  const apply: PlanAction[] = chosen.map((node) => {
    const offsetMs = rng.int(-MAX_SKEW_OFFSET_MS, MAX_SKEW_OFFSET_MS)
    const driftPpm = rng.int(-MAX_SKEW_DRIFT_PPM, MAX_SKEW_DRIFT_PPM)
    return { do: 'clock', node, offset: formatOffset((offsetMs === 0 && driftPpm === 0 ? 1 : offsetMs) * 1000), driftPpm }
  })
  const undo: PlanAction[] = chosen.map((node) => ({ do: 'clock', node, offset: '0ms', driftPpm: 0 }))
  return { apply, undo }
}
