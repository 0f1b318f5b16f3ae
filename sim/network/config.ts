/**
 * Network configuration: defaults, per-link overrides, changes made by the nemesis mid-run,
 * and the JSON form used in scenario files and the trace header.
 */
import type { NodeId } from '../protocol.ts'
import { formatDuration, InputError, parseDuration, type Micros } from '../time.ts'
import { formatLatency, parseLatency } from './latency.ts'
import { linkKey, type LinkFaults, type NetworkConfig } from './types.ts'

/**
 * A LAN-like default: uniform 1ms..5ms. Spread (not fixed) latency so messages between
 * different pairs interleave and races show up, but far below typical election timeouts
 * (150ms and up), so latency alone does not cause elections. No loss, duplication or reordering until asked.
 */
export function defaultNetworkConfig(): NetworkConfig {
  return {
    latency: { kind: 'uniform', minUs: 1_000, maxUs: 5_000 },
    loss: 0,
    duplicate: 0,
    reorder: 0,
    reorderWindowUs: 10_000,
    links: {},
  }
}

/**
 * The faults on one directed link: its override merged over the defaults. Without an override
 * this is the config itself (no allocation), so treat the result as read-only.
 */
export function linkFaults(config: NetworkConfig, from: NodeId, to: NodeId): LinkFaults {
  const override = config.links[linkKey(from, to)]
  if (override === undefined) return config
  return {
    latency: override.latency ?? config.latency,
    loss: override.loss ?? config.loss,
    duplicate: override.duplicate ?? config.duplicate,
    reorder: override.reorder ?? config.reorder,
    reorderWindowUs: override.reorderWindowUs ?? config.reorderWindowUs,
  }
}

/** A nemesis 'network' step; latency is a spec string ("uniform:1ms..5ms"). */
export interface NetworkChange {
  latency?: string
  loss?: number
  duplicate?: number
  reorder?: number
  links?: Array<[NodeId, NodeId]>
  /** First restore the starting config (for every link, or only the listed ones); see resetNetwork. */
  reset?: true
}

/**
 * A new config with the change applied. With `links`, the change becomes (or updates) overrides
 * on exactly those directed links (an empty list changes nothing); without, it changes the
 * defaults, and existing per-link overrides keep winning over the new defaults.
 */
export function applyNetworkChange(config: NetworkConfig, change: NetworkChange): NetworkConfig {
  const faults: Partial<LinkFaults> = {}
  if (change.latency !== undefined) faults.latency = parseLatency(change.latency, 'network.latency')
  for (const field of ['loss', 'duplicate', 'reorder'] as const) {
    const p = change[field]
    if (p !== undefined) faults[field] = probability(p, `network.${field}`)
  }
  const links = { ...config.links }
  if (change.links === undefined) return { ...config, ...faults, links }
  for (const [from, to] of change.links) {
    const key = linkKey(from, to)
    links[key] = { ...links[key], ...faults }
  }
  return { ...config, links }
}

/**
 * Undoes network faults: back to `initial` for every link, or, with `links`, only those
 * directed links get their starting override back (or none, if they had none).
 */
export function resetNetwork(config: NetworkConfig, initial: NetworkConfig, links?: ReadonlyArray<[NodeId, NodeId]>): NetworkConfig {
  if (links === undefined) return { ...initial, links: { ...initial.links } }
  const out = { ...config, links: { ...config.links } }
  for (const [from, to] of links) {
    const key = linkKey(from, to)
    if (initial.links[key] === undefined) delete out.links[key]
    else out.links[key] = { ...initial.links[key] }
  }
  return out
}

/** A probability in [0, 1], or a one-line InputError naming the field. */
export function probability(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InputError(`bad ${what} ${JSON.stringify(value) ?? String(value)}: expected a probability between 0 and 1`)
  }
  return value
}

/** The JSON form of one link's faults: latency and reorderWindow as strings. */
export interface LinkFaultsJson {
  latency?: string
  loss?: number
  duplicate?: number
  reorder?: number
  reorderWindow?: string
}

export interface NetworkConfigJson extends Required<LinkFaultsJson> {
  links: Record<string, LinkFaultsJson>
}

/** The JSON form: parseNetworkConfig(networkConfigToJson(c)) equals c. */
export function networkConfigToJson(config: NetworkConfig): NetworkConfigJson {
  const links: Record<string, LinkFaultsJson> = {}
  for (const [key, override] of Object.entries(config.links)) links[key] = faultsToJson(override)
  return {
    latency: formatLatency(config.latency),
    loss: config.loss,
    duplicate: config.duplicate,
    reorder: config.reorder,
    reorderWindow: formatDuration(config.reorderWindowUs),
    links,
  }
}

function faultsToJson(faults: Partial<LinkFaults>): LinkFaultsJson {
  const out: LinkFaultsJson = {}
  if (faults.latency !== undefined) out.latency = formatLatency(faults.latency)
  if (faults.loss !== undefined) out.loss = faults.loss
  if (faults.duplicate !== undefined) out.duplicate = faults.duplicate
  if (faults.reorder !== undefined) out.reorder = faults.reorder
  if (faults.reorderWindowUs !== undefined) out.reorderWindow = formatDuration(faults.reorderWindowUs)
  return out
}

const FAULT_FIELDS = ['latency', 'loss', 'duplicate', 'reorder', 'reorderWindow'] as const
const CONFIG_EXAMPLE = '{ "latency": "uniform:1ms..5ms", "loss": 0.01, "links": { "n1->n2": { "loss": 0.5 } } }'

/**
 * Reads the JSON form. Every field is optional and falls back to defaultNetworkConfig();
 * `undefined` (no network section at all) is the default config. Unknown fields are errors,
 * so a typo ("los") fails loudly instead of silently running without loss.
 */
export function parseNetworkConfig(raw: unknown): NetworkConfig {
  if (raw === undefined) return defaultNetworkConfig()
  const obj = record(raw, 'network', CONFIG_EXAMPLE)
  onlyFields(obj, [...FAULT_FIELDS, 'links'], 'network')
  const config: NetworkConfig = { ...defaultNetworkConfig(), ...parseFaults(obj, 'network') }
  if (obj.links === undefined) return config
  const rawLinks = record(obj.links, 'network.links', '{ "n1->n2": { "loss": 0.5 } }')
  for (const [key, value] of Object.entries(rawLinks)) {
    const what = `network.links["${key}"]`
    const parts = key.split('->')
    if (parts.length !== 2 || parts.some((id) => id.length === 0 || id.trim() !== id)) {
      throw new InputError(`bad network.links key '${key}': expected a directed link like "n1->n2"`)
    }
    const override = record(value, what, '{ "loss": 0.5 }')
    onlyFields(override, FAULT_FIELDS, what)
    config.links[key] = parseFaults(override, what)
  }
  return config
}

function parseFaults(obj: Record<string, unknown>, what: string): Partial<LinkFaults> {
  const out: Partial<LinkFaults> = {}
  if (obj.latency !== undefined) {
    out.latency = parseLatency(text(obj.latency, `${what}.latency`, 'a latency spec like "uniform:1ms..5ms"'), `${what}.latency`)
  }
  for (const field of ['loss', 'duplicate', 'reorder'] as const) {
    if (obj[field] !== undefined) out[field] = probability(obj[field], `${what}.${field}`)
  }
  if (obj.reorderWindow !== undefined) {
    const field = `${what}.reorderWindow`
    out.reorderWindowUs = parseDuration(text(obj.reorderWindow, field, 'a duration like "10ms"'), field) satisfies Micros
  }
  return out
}

function record(value: unknown, what: string, example: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`bad ${what}: expected an object like ${example}`)
  }
  return value as Record<string, unknown>
}

function onlyFields(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new InputError(`bad ${what}: unknown field '${key}' (known: ${allowed.join(', ')})`)
  }
}

function text(value: unknown, what: string, expected: string): string {
  if (typeof value !== 'string') throw new InputError(`bad ${what} ${JSON.stringify(value) ?? String(value)}: expected ${expected}`)
  return value
}
