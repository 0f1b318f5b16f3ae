/** The options of a run, and their defaults. Everything that shapes a run is here, so the trace header can record it. */
import { resolveWorkload, type WorkloadConfig } from './clients/workload.ts'
import { defaultNetworkConfig } from './network/config.ts'
import type { NetworkConfig } from './network/types.ts'
import { ACTION_NAMES, type Plan, SELECTOR_WORDS } from './nemesis/types.ts'
import { parsePlan, planToJson } from './nemesis/plan.ts'
import { isDeepStrictEqual } from 'node:util'
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
  /**
   * The plan is already what parsePlan returns for these node ids: valid, whole microseconds, in
   * time order. A generator's output, such as the checker's random plans (its tests check that
   * they round-trip unchanged); the run then skips the plan's JSON round trip through the schemas,
   * which was a tenth of a checked run. Only the cheap part is checked (times, action names), so
   * leave it off for plans from files, users or protocol code.
   */
  planIsCanonical?: boolean
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
  /** Keep the clients' history in memory (default true). Off for very long runs: the trace still has every operation. */
  recordHistory?: boolean
  /**
   * Deep-freeze every message at send (default true), so a node that changes a message after
   * sending it, or one it received, fails loudly instead of silently diverging from the trace.
   * Off saves about 100ns a message, for protocols already known to treat messages as values.
   */
  freezeMessages?: boolean
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
  recordHistory: boolean
  freezeMessages: boolean
}

export const DEFAULT_MAX_EVENTS = 50_000_000
export const DEFAULT_CHECKPOINT_EVERY = 5_000
export const MAX_NODES = 1000

export function resolveOptions(o: SimulationOptions): ResolvedOptions {
  const nodeIds = resolveNodeIds(o.nodes ?? 5)
  const workload = resolveWorkload(o.protocol.workload, o.workload)
  const clientIds = Array.from({ length: workload.clients }, (_, i) => `c${i + 1}`)
  if (o.network) checkLinks(o.network, [...nodeIds, ...clientIds])
  return {
    protocol: o.protocol,
    seed: o.seed,
    nodeIds,
    clientIds,
    config: resolveConfig(o.protocol, o.config),
    mutant: resolveMutant(o.protocol, o.mutant ?? null),
    network: o.network ?? defaultNetworkConfig(),
    // A plan given in code goes through the same validation and ordering as a plan file, so
    // the trace header's copy re-runs to the same steps, indexes included.
    plan: o.plan ? checkInvokeSteps(o.planIsCanonical ? checkCanonical(o.plan) : normalisePlan(o.plan, nodeIds), clientIds, workload.scripted ?? 0) : [],
    workload,
    loseUnsyncedWrites: o.loseUnsyncedWrites ?? false,
    trace: o.trace ?? null,
    checkpointEvery: o.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY,
    invariants: o.invariants ?? true,
    maxEvents: o.maxEvents ?? DEFAULT_MAX_EVENTS,
    countBytes: o.countBytes ?? false,
    traceMeta: o.traceMeta ?? {},
    recordHistory: o.recordHistory ?? true,
    freezeMessages: o.freezeMessages ?? true,
  }
}

/** The default ids of an n-node cluster: n1 .. nN. */
export function defaultNodeIds(count: number): NodeId[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) throw new InputError(`bad node count ${count}: expected 1 to ${MAX_NODES}`)
  return Array.from({ length: count }, (_, i) => `n${i + 1}`)
}

/**
 * A plan given in code as parsePlan would read its file: validated for these node ids, in time
 * order (ties as listed). Every problem is one InputError line.
 */
export function normalisePlan(plan: Plan, nodeIds: readonly NodeId[]): Plan {
  let json: unknown[]
  try {
    json = planToJson(plan)
  } catch (err) {
    throw new InputError(`bad plan: ${(err as Error).message} (step times are whole microseconds from 0)`)
  }
  return parsePlan(json, nodeIds, 'plan')
}

/** A plan said to be canonical: its times and actions are checked, the rest is taken as given (a copy of the list, as parsePlan's is). */
function checkCanonical(plan: Plan): Plan {
  let lastUs = 0
  for (const [index, step] of plan.entries()) {
    if (!Number.isSafeInteger(step.at) || step.at < lastUs) throw new InputError(`bad plan: step ${index + 1} at ${String(step.at)}us: a canonical plan has whole microseconds in time order`)
    if (!(ACTION_NAMES as readonly string[]).includes(step.do)) throw new InputError(`bad plan: step ${index + 1}: unknown action '${String(step.do)}'`)
    lastUs = step.at
  }
  return [...plan]
}

/** An invoke step must name one of the run's scripted clients (c1..cK): the others run their own workload. */
function checkInvokeSteps(plan: Plan, clientIds: readonly string[], scripted: number): Plan {
  for (const [index, step] of plan.entries()) {
    if (step.do !== 'invoke') continue
    const position = clientIds.indexOf(step.client)
    if (position >= 0 && position < scripted) continue
    const which = scripted === 0 ? 'this run has no scripted clients (workload.scripted)' : `scripted clients: ${clientIds.slice(0, scripted).join(', ')}`
    throw new InputError(`bad plan: step ${index + 1} invokes on ${step.client}, ${which}`)
  }
  return plan
}

/**
 * Node ids are addresses: letters, digits, '.', '_' and '-' (a Redis node's 40-hex name fits).
 * Not c<number> (client ids) and not a selector word, which plans would read as a choice.
 */
function resolveNodeIds(nodes: number | readonly NodeId[]): NodeId[] {
  if (typeof nodes === 'number') return defaultNodeIds(nodes)
  const ids = [...nodes]
  if (ids.length === 0 || ids.length > MAX_NODES || new Set(ids).size !== ids.length) throw new InputError(`bad node ids ${JSON.stringify(ids)}: expected 1 to ${MAX_NODES} distinct ids`)
  const bad = ids.find((id) => !/^[A-Za-z0-9][\w.-]*$/.test(id) || /^c\d+$/.test(id) || (SELECTOR_WORDS as readonly string[]).includes(id) || id === 'nemesis')
  if (bad !== undefined) throw new InputError(`bad node id '${bad}': use letters, digits, '.', '_' or '-', and not c<number> (clients), 'nemesis' or a selector word (${SELECTOR_WORDS.join(', ')})`)
  return ids
}

/** Per-link overrides must name real endpoints: a typo would otherwise do nothing, silently. */
function checkLinks(network: NetworkConfig, endpoints: readonly string[]): void {
  for (const key of Object.keys(network.links)) {
    const [from, to] = key.split('->')
    const unknown = [from, to].find((id) => id === undefined || !endpoints.includes(id))
    if (unknown !== undefined) throw new InputError(`bad network link '${key}': '${unknown ?? ''}' is not a node or client of this run (${endpoints.join(', ')})`)
  }
}

function resolveConfig(protocol: AnyProtocol, given: unknown): unknown {
  const raw = given === undefined ? undefined : plainJson(given, `${protocol.name} config`)
  if (protocol.parseConfig) return protocol.parseConfig(raw ?? {})
  if (raw === undefined) return protocol.defaultConfig
  if (typeof raw !== 'object' || raw === null) throw new InputError(`bad ${protocol.name} config: expected an object`)
  return { ...(protocol.defaultConfig as object), ...raw }
}

/**
 * The config goes into the trace header as JSON; one that JSON cannot carry exactly (Infinity,
 * NaN, undefined, a function, absurd nesting) would not re-run the same, so it is refused.
 */
function plainJson(value: unknown, what: string): unknown {
  let copy: unknown
  try {
    copy = JSON.parse(JSON.stringify(value) ?? 'null')
  } catch {
    throw new InputError(`bad ${what}: not plain JSON data (too deeply nested, or cyclic)`)
  }
  if (!isDeepStrictEqual(copy, value)) throw new InputError(`bad ${what}: not plain JSON data (it holds a value JSON cannot carry exactly, such as Infinity, NaN or undefined)`)
  return copy
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
