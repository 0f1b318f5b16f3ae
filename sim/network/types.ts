/**
 * The network's configuration: a latency distribution, loss, duplication and reordering,
 * with per-link overrides. Partitions are kept apart as a set of cut directed links.
 */
import type { NodeId } from '../protocol.ts'
import type { Micros } from '../time.ts'

export type LatencyDist =
  | { kind: 'fixed'; us: Micros }
  | { kind: 'uniform'; minUs: Micros; maxUs: Micros }
  /** minUs plus an exponential with the given mean (a memoryless tail). */
  | { kind: 'exponential'; minUs: Micros; meanUs: Micros }
  /** Log-normal with the given median and 99th percentile, never below minUs: most messages fast, a few very slow. */
  | { kind: 'longtail'; minUs: Micros; medianUs: Micros; p99Us: Micros }

export interface LinkFaults {
  latency: LatencyDist
  /** Probability in [0, 1] that a message is lost. */
  loss: number
  /** Probability in [0, 1] that a message is delivered twice (the copy has its own latency). */
  duplicate: number
  /** Probability in [0, 1] that a message is held back by up to reorderWindowUs, so later ones overtake it. */
  reorder: number
  reorderWindowUs: Micros
}

export interface NetworkConfig extends LinkFaults {
  /** Overrides for single directed links, keyed "from->to". */
  links: Record<string, Partial<LinkFaults>>
}

/** A partition: the directed links that carry nothing, and, where it has them, the groups it makes. */
export interface Cut {
  /** A short description for the trace and the viewer: "isolate n1", "halves n1,n2 | n3,n4,n5". */
  description: string
  /** Symmetric partitions list their groups; majorities-ring, bridge and one-way cuts have none. */
  groups: NodeId[][] | null
  /** Every cut directed link [from, to]. */
  blocked: Array<[NodeId, NodeId]>
}

export const linkKey = (from: NodeId, to: NodeId): string => `${from}->${to}`
