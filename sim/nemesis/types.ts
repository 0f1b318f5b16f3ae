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
  /** Changes the network's faults, for every link or only the listed directed links. Latency is a spec string ("uniform:1ms..5ms"). */
  | { do: 'network'; latency?: string; loss?: number; duplicate?: number; reorder?: number; links?: Array<[NodeId, NodeId]> }
  /** Sets a node's clock: offset is a signed duration from true time ("-200ms"), drift in parts per million. */
  | { do: 'clock'; node: NodeSelector; offset?: string; driftPpm?: number }

export type PlanStep = PlanAction & { at: Micros }

/** Steps in time order (ties keep their listed order). */
export type Plan = PlanStep[]

export type ActionName = PlanAction['do']
