/**
 * Faults are data: a nemesis plan is a JSON-serialisable list of timed actions. Scripted
 * scenarios, presets and fast-check all produce plans, so a failing plan can be shrunk,
 * saved, replayed and shown.
 *
 * A node selector is a node id, or one resolved when the step runs (with the "nemesis"
 * stream): "leader" (a node whose view says it leads), "random" (any node that is up),
 * "crashed" (the node crashed longest ago), "paused" (the node paused longest ago).
 */
import type { NodeId } from '../protocol.ts'
import type { Micros } from '../time.ts'

export type NodeSelector = NodeId | 'leader' | 'random' | 'crashed' | 'paused'

export const SELECTOR_WORDS = ['leader', 'random', 'crashed', 'paused'] as const

export type PlanAction =
  | { do: 'crash'; node: NodeSelector }
  | { do: 'restart'; node: NodeSelector }
  | { do: 'pause'; node: NodeSelector }
  | { do: 'resume'; node: NodeSelector }
  /** Each partition action replaces the current partition; heal removes it. */
  | { do: 'isolate'; nodes: NodeSelector[] }
  | { do: 'halves' }
  | { do: 'random-halves' }
  | { do: 'majorities-ring' }
  | { do: 'bridge' }
  | { do: 'groups'; groups: NodeId[][] }
  | { do: 'one-way'; from: NodeSelector[]; to: NodeSelector[] }
  | { do: 'heal' }
  /**
   * Changes the network's faults, for every link or only the listed directed links. Latency is a spec string ("uniform:1ms..5ms").
   * `reset: true` first restores the run's starting network configuration (for every link, or only the listed links), then
   * applies any other fields: a plan cannot know the run's configured faults, so this is how it undoes its own changes.
   */
  | { do: 'network'; reset?: true; latency?: string; loss?: number; duplicate?: number; reorder?: number; links?: Array<[NodeId, NodeId]> }
  /** Sets a node's clock: offset is a signed duration from true time ("-200ms"), drift in parts per million. */
  | { do: 'clock'; node: NodeSelector; offset?: string; driftPpm?: number }

export type PlanStep = PlanAction & { at: Micros }

/** Steps in time order (ties keep their listed order). */
export type Plan = PlanStep[]

export type ActionName = PlanAction['do']

/** Every action name, in the order error messages and the README list them. */
export const ACTION_NAMES = [
  'crash',
  'restart',
  'pause',
  'resume',
  'isolate',
  'halves',
  'random-halves',
  'majorities-ring',
  'bridge',
  'groups',
  'one-way',
  'heal',
  'network',
  'clock',
] as const satisfies readonly ActionName[]

/**
 * A fault kind groups the actions that make one sort of fault and the action that undoes it.
 * Generators switch whole kinds on and off (swarm testing) and tests classify steps by kind.
 */
export type FaultKind = 'partition' | 'crash' | 'pause' | 'network' | 'clock'

export const FAULT_KINDS = ['partition', 'crash', 'pause', 'network', 'clock'] as const satisfies readonly FaultKind[]

export const KIND_OF_ACTION: Readonly<Record<ActionName, FaultKind>> = {
  crash: 'crash',
  restart: 'crash',
  pause: 'pause',
  resume: 'pause',
  isolate: 'partition',
  halves: 'partition',
  'random-halves': 'partition',
  'majorities-ring': 'partition',
  bridge: 'partition',
  groups: 'partition',
  'one-way': 'partition',
  heal: 'partition',
  network: 'network',
  clock: 'clock',
}
