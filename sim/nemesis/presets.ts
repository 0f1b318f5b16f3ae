/**
 * Named nemesis presets for `--nemesis NAME`. Each is a pure function of the node ids, the
 * run's length and a random stream. Faults come every 1-5 s and last 1-5 s: longer than
 * election timeouts (150-300 ms and up) and Redis's node_timeout (seconds), so each fault gets
 * noticed and acted on, with quiet time between them to recover. Runs shorter than 20 s get a
 * proportionally faster rhythm. Every preset undoes all its faults a millisecond before the
 * run's end, so a liveness phase can follow.
 */
import type { NodeId } from '../protocol.ts'
import type { RandomStream } from '../random.ts'
import { InputError, type Micros } from '../time.ts'
import { minorityOf } from './effects.ts'
import { quote } from '../text.ts'
import { clockFault, crashFault, partitionFault, type PartitionShape } from './faults.ts'
import { randomPlan } from './generate.ts'
import { budgetTrack, episodesToPlan, lastUndoUs, paceFor, sequentialTrack, type FaultPair } from './timeline.ts'
import type { Plan } from './types.ts'

export interface PresetOptions {
  nodes: readonly NodeId[]
  durationUs: Micros
  rng: RandomStream
}

export interface PresetInfo {
  /** One line for --help. */
  description: string
  plan: (opts: PresetOptions) => Plan
}

/** The preset rhythm: a 1-5 s gap, then a 1-5 s fault. */
const paceOf = (durationUs: Micros) => paceFor(durationUs, [1, 5], [1, 5])

/** One fault at a time, each followed by its undo. */
function oneAtATime(make: (opts: PresetOptions, rng: RandomStream) => FaultPair) {
  return (opts: PresetOptions): Plan => {
    const { durationUs, rng } = opts
    return episodesToPlan(sequentialTrack(rng, lastUndoUs(durationUs), paceOf(durationUs), (r) => make(opts, r)))
  }
}

const partitions = (shape: PartitionShape) => oneAtATime(({ nodes }, rng) => partitionFault(shape, nodes, rng))

function crashRestart({ nodes, durationUs, rng }: PresetOptions): Plan {
  const budget = minorityOf(nodes.length)
  const endUs = lastUndoUs(durationUs)
  return episodesToPlan(budgetTrack(rng, endUs, paceOf(durationUs), budget, [], () => crashFault('random')))
}

export const PRESETS = {
  none: { description: 'no faults', plan: () => [] },
  'isolate-leader': {
    description: 'cut the current leader off from everyone for 1-5s, heal, wait 1-5s, repeat',
    plan: partitions('isolate-leader'),
  },
  'crash-restart': {
    description: 'crash a random node, restart it 1-5s later; overlapping, but never more than a minority down',
    plan: crashRestart,
  },
  'random-partitions': {
    description: 'split the nodes into two random halves for 1-5s, heal, wait 1-5s, repeat',
    plan: partitions('random-halves'),
  },
  'majorities-ring': {
    description: 'each node sees a different majority (overlapping majorities in a ring) for 1-5s, then heal',
    plan: partitions('majorities-ring'),
  },
  bridge: {
    description: 'two halves that can both reach one bridge node for 1-5s, then heal',
    plan: partitions('bridge'),
  },
  'clock-skew': {
    description: 'offset clocks by up to +-500ms and drift them up to +-500ppm on random nodes for 1-5s, then reset',
    plan: oneAtATime(({ nodes }, rng) => clockFault(nodes, rng)),
  },
  chaos: {
    description: 'a seed-chosen mix of all of the above plus pauses, loss and latency, each kind at its own rate (swarm testing)',
    plan: ({ nodes, durationUs, rng }) => randomPlan({ nodes, durationUs, rng, maxSteps: Number.POSITIVE_INFINITY }),
  },
} as const satisfies Record<string, PresetInfo>

export type PresetName = keyof typeof PRESETS

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[]

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name)
}

/** The plan of a named preset; an unknown name is an InputError listing the valid ones. */
export function presetPlan(name: string, opts: PresetOptions): Plan {
  if (!isPresetName(name)) {
    throw new InputError(`unknown nemesis preset ${quote(name)} (expected one of ${PRESET_NAMES.join(', ')})`)
  }
  return PRESETS[name].plan(opts)
}
