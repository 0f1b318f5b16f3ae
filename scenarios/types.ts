/**
 * A scenario in memory: the file's fields with durations in microseconds, the plan validated
 * against the node ids, and each expectation and caption in one tagged form. The file format
 * is in README.md; schema.ts turns a file into these.
 */
import type { Plan } from '../sim/nemesis/types.ts'
import type { NetworkConfig } from '../sim/network/types.ts'
import type { NodeStatus } from '../sim/trace/events.ts'
import type { Micros } from '../sim/time.ts'

/** "exactly n", or a bound. */
export type Count = { exactly: number } | { atLeast: number } | { atMost: number } | { between: [number, number] }

/** A node (or any node) whose view includes `view` and whose status is `status`. */
export interface NodeMatch {
  node?: string
  view?: Record<string, unknown>
  status?: NodeStatus
}

/** A window of the run: [fromUs, toUs], both inclusive. toUs null: to the end. */
export interface Window {
  fromUs: Micros
  toUs: Micros | null
}

/** A moment: a time, or the end of the run. */
export type Moment = Micros | 'end'

export interface OpMatch {
  client?: string
  f?: string
  key?: string
  outcome?: 'ok' | 'fail' | 'info'
  value?: unknown
  /** What an operation that ended ok returned (a read's value, a SET's "OK", an INCR's count). */
  result?: unknown
  error?: string
}

export type Expectation = { says: string } & (
  | { kind: 'view'; at: Moment; match: NodeMatch & { node: string } }
  | { kind: 'nodes'; at: Moment; match: NodeMatch; count: Count }
  | { kind: 'nodesEver'; window: Window; match: NodeMatch; count: Count }
  | { kind: 'events'; window: Window; match: Record<string, unknown>; count: Count }
  | { kind: 'ops'; window: Window; match: OpMatch; count: Count }
  /** invariant: a name, null (no violation), or true (some violation). */
  | { kind: 'violation'; invariant: string | null | true; message?: string }
  /** The first event matching each step comes in this order (all of them within the window). */
  | { kind: 'sequence'; window: Window; steps: Array<Record<string, unknown>> }
  | { kind: 'report'; report: string; figure: string; count: Count }
  | { kind: 'reportDetail'; report: string; detail: string; count: Count }
)

export type ExpectationKind = Expectation['kind']

export type CaptionTrigger =
  | { kind: 'at'; atUs: Micros }
  | { kind: 'event'; window: Window; match: Record<string, unknown> }
  | { kind: 'view'; window: Window; match: NodeMatch }

export interface Caption {
  text: string
  trigger: CaptionTrigger
}

export interface ClientSetup {
  scripted: number
  random: number
  mix?: Record<string, number>
  thinkUs?: Micros
  keys?: number
  stopAtUs?: Micros
  opTimeoutUs?: Micros
  requestTimeoutUs?: Micros
}

export interface Variant {
  label: string
  mutant: string | null
  config: Record<string, unknown>
  expect: Expectation[]
  captions: Caption[]
}

export interface Scenario {
  name: string
  /** Where it was read from, for messages. */
  source: string
  protocol: string
  claims: number[]
  summary: string
  story: string[]
  seed: number
  nodes: string[]
  config: Record<string, unknown>
  network: NetworkConfig | null
  /** A crash loses durable writes not yet synced (as `faultline run --lose-unsynced`). */
  loseUnsyncedWrites: boolean
  mutant: string | null
  clients: ClientSetup
  durationUs: Micros
  plan: Plan
  captions: Caption[]
  expect: Expectation[]
  /** At least one: a file without variants has one, labelled by its mutant (or null). */
  variants: Variant[]
  /** Whether the file listed variants (the narration names them only then). */
  hasVariants: boolean
}
