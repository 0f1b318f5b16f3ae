/**
 * What the engine's queue holds. One class with a fixed shape keeps the hot loop
 * monomorphic; `kind` says how to read `data`.
 */
import type { PlanStep } from './nemesis/types.ts'
import type { Micros } from './time.ts'

export const DELIVER = 0
export const NODE_TIMER = 1
export const CLIENT_TIMER = 2
export const NEMESIS = 3
export const CLIENT_INVOKE = 4
export const OP_DEADLINE = 5

export type PacketKind = 'node' | 'request' | 'response'

export interface Packet {
  id: number
  from: number
  to: number
  kind: PacketKind
  mtype: string
  msg: unknown
  /** The destination node's incarnation when sent: a restart in between drops the message. */
  destIncarnation: number
  /** When it was due to arrive (a paused node delays handling, not this). */
  dueUs: Micros
}

export interface TimerRecord {
  id: number
  name: string
  owner: number
  incarnation: number
  cancelled: boolean
  /** True time it is queued for: a clock whose rate changes re-queues it (fault-ops.ts). */
  dueUs: Micros
}

export class QueueEvent {
  constructor(
    public at: Micros,
    public seq: number,
    public kind: number,
    /** The endpoint it concerns (node or client index), or -1. */
    public target: number,
    public data: Packet | TimerRecord | PlanStep | number | null,
  ) {}
}
