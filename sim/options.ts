/** The options of a run, and their defaults. Everything that shapes a run is here, so the trace header can record it. */
import { resolveWorkload, type WorkloadConfig } from './clients/workload.ts'
import { defaultNetworkConfig } from './network/config.ts'
import type { NetworkConfig } from './network/types.ts'
import type { Plan } from './nemesis/types.ts'
import type { AnyProtocol, NodeId } from './protocol.ts'
import type { Seed } from './seed.ts'
import { InputError } from './time.ts'
import type { TraceSink } from './trace/writer.ts'

export interface SimulationOptions {
  protocol: AnyProtocol
  seed: Seed
  /** Node count (ids n1..nN) or explicit ids. Default 5. */
  nodes?: number | readonly NodeId[]
  /** The protocol's config (validated by its parseConfig, else merged over its defaults). */
  config?: unknown
  mutant?: string | null
  network?: NetworkConfig
  plan?: Plan
  workload?: Partial<WorkloadConfig>
  /** Writes not followed by sync() are lost at a crash. */
  loseUnsyncedWrites?: boolean
  trace?: TraceSink | null
  /** Trace events between checkpoints (seeking cost in the viewer). */
  checkpointEvery?: number
  /** Run the protocol's safety invariants after every event. Default true. */
  invariants?: boolean
  /** The event budget: a run that reaches it stops with a report. */
  maxEvents?: number
  /** Count message bytes (protocol.messageBytes, else JSON length). */
  countBytes?: boolean
  /** Extra facts for the trace header (for example the duration the CLI was asked for). */
  traceMeta?: Record<string, unknown>
}

export interface ResolvedOptions {
  protocol: AnyProtocol
  seed: Seed
  nodeIds: NodeId[]
  clientIds: string[]
  config: unknown
  mutant: string | null
  network: NetworkConfig
  plan: Plan
  workload: WorkloadConfig
  loseUnsyncedWrites: boolean
  trace: TraceSink | null
  checkpointEvery: number
  invariants: boolean
  maxEvents: number
  countBytes: boolean
  traceMeta: Record<string, unknown>
}

export const DEFAULT_MAX_EVENTS = 50_000_000
export const DEFAULT_CHECKPOINT_EVERY = 5_000
export const MAX_NODES = 1000

export function resolveOptions(o: SimulationOptions): ResolvedOptions {
  const nodeIds = resolveNodeIds(o.nodes ?? 5)
  const workload = resolveWorkload(o.protocol.workload, o.workload)
  return {
    protocol: o.protocol,
    seed: o.seed,
    nodeIds,
    clientIds: Array.from({ length: workload.clients }, (_, i) => `c${i + 1}`),
    config: resolveConfig(o.protocol, o.config),
    mutant: resolveMutant(o.protocol, o.mutant ?? null),
    network: o.network ?? defaultNetworkConfig(),
    plan: o.plan ?? [],
    workload,
    loseUnsyncedWrites: o.loseUnsyncedWrites ?? false,
    trace: o.trace ?? null,
    checkpointEvery: o.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY,
    invariants: o.invariants ?? true,
    maxEvents: o.maxEvents ?? DEFAULT_MAX_EVENTS,
    countBytes: o.countBytes ?? false,
    traceMeta: o.traceMeta ?? {},
  }
}

function resolveNodeIds(nodes: number | readonly NodeId[]): NodeId[] {
  if (typeof nodes === 'number') {
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) throw new InputError(`bad node count ${nodes}: expected 1 to ${MAX_NODES}`)
    return Array.from({ length: nodes }, (_, i) => `n${i + 1}`)
  }
  const ids = [...nodes]
  if (ids.length === 0 || new Set(ids).size !== ids.length) throw new InputError(`bad node ids ${JSON.stringify(ids)}: expected distinct ids`)
  const bad = ids.find((id) => !/^[A-Za-z][\w.-]*$/.test(id) || /^c\d+$/.test(id))
  if (bad !== undefined) throw new InputError(`bad node id '${bad}': use a letter then letters, digits, '.', '_' or '-' (and not c<number>, kept for clients)`)
  return ids
}

function resolveConfig(protocol: AnyProtocol, raw: unknown): unknown {
  if (protocol.parseConfig) return protocol.parseConfig(raw ?? {})
  if (raw === undefined) return protocol.defaultConfig
  if (typeof raw !== 'object' || raw === null) throw new InputError(`bad ${protocol.name} config: expected an object`)
  return { ...(protocol.defaultConfig as object), ...raw }
}

function resolveMutant(protocol: AnyProtocol, mutant: string | null): string | null {
  if (mutant === null) return null
  const known = protocol.mutants ?? []
  if (!known.some((m) => m.name === mutant)) {
    const names = known.map((m) => m.name).join(', ') || 'none'
    throw new InputError(`unknown mutant '${mutant}' for ${protocol.name} (mutants: ${names})`)
  }
  return mutant
}
