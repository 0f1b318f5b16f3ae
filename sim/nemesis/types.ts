/**
 * Faults are data: a nemesis plan is a JSON-serialisable list of timed actions. Scripted
 * scenarios, presets and fast-check all produce plans, so a failing plan can be shrunk,
 * saved, replayed and shown.
 *
 * A node selector is a node id, or one resolved when the step runs (with the "nemesis"
 * stream): "leader" (a node whose view says it leads), "random" (any node that is up),
 * "crashed" (the node crashed longest ago), "paused" (the node paused longest ago).
 *
 * Most actions are faults. `command` is not: it hands a protocol operation (Redis
 * `CLUSTER FAILOVER`, a Raft leader transfer, ...) to one node's optional `onCommand` handler,
 * so a scenario can drive the protocol at a time without the engine knowing the protocol.
 */
import type { ClientId, ClientOp, NodeCommand, NodeId } from '../protocol.ts'
import type { Micros } from '../time.ts'

export type NodeSelector = NodeId | 'leader' | 'random' | 'crashed' | 'paused'

export const SELECTOR_WORDS = ['leader', 'random', 'crashed', 'paused'] as const

export type PlanAction =
  /** `isolate: true` first cuts the node off from all the others (dropping what it has in flight), then stops it. */
  | { do: 'crash'; node: NodeSelector; isolate?: true }
  | { do: 'restart'; node: NodeSelector }
  | { do: 'pause'; node: NodeSelector; isolate?: true }
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
  /** Hands `command` to the node's `onCommand` handler. Scenario-only: presets and generators never make one. */
  | { do: 'command'; node: NodeSelector; command: NodeCommand }
  /**
   * Hands operation `op` to scripted client `client` (workload.scripted), its first attempt going
   * to `to` when given. Scenario-only, like command: a client busy with an earlier operation skips it.
   */
  | { do: 'invoke'; client: ClientId; op: ClientOp; to?: NodeSelector }

/**
 * A protocol operation for a node (sim/protocol.ts): in a plan, a JSON object whose non-empty
 * `type` names it, plus any JSON fields the protocol reads (`{ "type": "cluster-failover", "force": true }`).
 */
export type { NodeCommand }

/**
 * A step runs at `at`. With `until` (only on a one-node action) it waits instead: from `at` until
 * `until` it watches, after every event, for a node that its `when` word (by default its node's
 * word) matches and did not match at `at` (for "leader": a node that leads and did not at `at`).
 * The moment one appears the step acts, once: on that node, or with `when`, on its own `node`
 * (resolved then); with `after`, that long after the moment instead. If none appears, the step
 * is skipped at `until`.
 */
export type PlanStep = PlanAction & { at: Micros; until?: Micros; when?: (typeof SELECTOR_WORDS)[number]; after?: Micros }

/** The actions a step may wait with (`until`): the ones that take one node. */
export const WAITING_ACTIONS = ['crash', 'restart', 'pause', 'resume', 'clock', 'command'] as const satisfies readonly ActionName[]

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
  'command',
  'invoke',
] as const satisfies readonly ActionName[]

/**
 * A fault kind groups the actions that make one sort of fault and the action that undoes it.
 * Generators switch whole kinds on and off (swarm testing) and tests classify steps by kind.
 */
export type FaultKind = 'partition' | 'crash' | 'pause' | 'network' | 'clock'

export const FAULT_KINDS = ['partition', 'crash', 'pause', 'network', 'clock'] as const satisfies readonly FaultKind[]

/**
 * What a step is: one of the fault kinds, 'command' or 'client' (an invoke step), which are no faults (nothing to undo) and
 * so is not a FaultKind: a `kinds` list for the generators cannot name it.
 */
export type StepKind = FaultKind | 'command' | 'client'

export const KIND_OF_ACTION: Readonly<Record<ActionName, StepKind>> = {
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
  command: 'command',
  invoke: 'client',
}
