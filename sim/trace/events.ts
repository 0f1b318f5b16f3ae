/**
 * The trace: every event of a run as a tagged union, written as JSON Lines between a header
 * and a footer. It is the product's memory: the viewer shows any moment from it alone, and
 * re-running its seed and config reproduces it byte for byte (the footer's hash says so).
 */
import type { ClientId, NodeId, NodeView } from '../protocol.ts'
import type { Micros } from '../time.ts'

export const TRACE_FORMAT = 'faultline-trace'
export const TRACE_VERSION = 1

export interface TraceHeader {
  type: 'header'
  format: typeof TRACE_FORMAT
  version: number
  /** Hex, as printed everywhere ("0x5eed"). */
  seed: string
  protocol: string
  mutant: string | null
  nodes: NodeId[]
  clients: ClientId[]
  /** Everything else needed to re-run: protocol config, network, workload, storage faults, limits. */
  config: Record<string, unknown>
  /** The nemesis plan in its JSON form. */
  plan: unknown[]
  /** Events between checkpoints. */
  checkpointEvery: number
}

export type DropReason = 'loss' | 'partition' | 'node-down' | 'restarted'
export type NodeStatus = 'up' | 'crashed' | 'paused'

interface At {
  /** Position in the run, from 0. */
  i: number
  /** Simulated time in microseconds. */
  t: Micros
}

export type TraceEvent = At &
  (
    | { type: 'send'; id: number; from: string; to: string; mtype: string; msg: unknown; due: Micros }
    | { type: 'deliver'; id: number; from: string; to: string; mtype: string }
    | { type: 'drop'; id: number; from: string; to: string; mtype: string; reason: DropReason }
    | { type: 'duplicate'; id: number; copy: number; from: string; to: string; due: Micros }
    | { type: 'timer'; node: NodeId; name: string; timer: number }
    | { type: 'crash'; node: NodeId; lostWrites: number; step?: number }
    | { type: 'restart'; node: NodeId; step?: number }
    | { type: 'pause'; node: NodeId; step?: number }
    | { type: 'resume'; node: NodeId; step?: number }
    | { type: 'partition'; description: string; groups: NodeId[][] | null; blocked: Array<[NodeId, NodeId]>; step?: number }
    | { type: 'network'; change: Record<string, unknown>; step?: number }
    | { type: 'clock'; node: NodeId; offsetUs: Micros; driftPpm: number; step?: number }
    | { type: 'invoke'; client: ClientId; op: number; f: string; key?: string; value?: unknown }
    | { type: 'complete'; client: ClientId; op: number; f: string; outcome: 'ok' | 'fail' | 'info'; value?: unknown; error?: string }
    /**
     * A node's view: whole after a (re)start, else only the top-level fields that changed
     * (`changes`, merged by assignment, so a null value is kept as null) and the top-level
     * fields it no longer has (`removed`).
     */
    | { type: 'view'; node: NodeId; view?: NodeView; changes?: Record<string, unknown>; removed?: string[] }
    | { type: 'note'; node: NodeId; kind: string; data?: Record<string, unknown> }
    /** A protocol operation handed to a node (a plan's `command` step or a harness). */
    | { type: 'command'; node: NodeId; command: { type: string; [field: string]: unknown }; step?: number }
    | { type: 'violation'; invariant: string; message: string; cause: number }
    /** A protocol handler threw: a reported failure of the protocol, never a crash of the engine. */
    | { type: 'node-error'; node: NodeId; message: string; cause: number }
    | { type: 'checkpoint'; status: Record<NodeId, NodeStatus>; views: Record<NodeId, NodeView | null>; partition: Omit<Extract<TraceEvent, { type: 'partition' }>, 'i' | 't' | 'type' | 'step'> | null; inFlight: InFlight[] }
  )

export interface InFlight {
  id: number
  from: string
  to: string
  mtype: string
  due: Micros
}

export type TraceEventType = TraceEvent['type']

export type StopReason = 'time' | 'events' | 'predicate' | 'violation' | 'node-error' | 'budget' | 'idle'

export interface TraceFooter {
  type: 'footer'
  events: number
  endTimeUs: Micros
  stoppedBy: StopReason
  /** "sha256:<hex>" over every line before the footer, newlines included. */
  hash: string
}

/** Events of one type, for narrowing. */
export type EventOf<K extends TraceEventType> = Extract<TraceEvent, { type: K }>
