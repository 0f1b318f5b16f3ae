/**
 * Turns `faultline run` flags into engine options, and back into the one command line
 * that reproduces the run. Every flag that shapes a run is listed once, in RUN_FLAGS, so
 * the reproduction line can never forget one.
 */
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseMix } from '../sim/clients/workload.ts'
import { loadPlanFile } from '../sim/nemesis/plan.ts'
import { presetPlan } from '../sim/nemesis/presets.ts'
import type { Plan } from '../sim/nemesis/types.ts'
import { applyNetworkChange, defaultNetworkConfig, parseNetworkConfig, probability } from '../sim/network/config.ts'
import { defaultNodeIds, MAX_NODES, type SimulationOptions } from '../sim/options.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { RandomStream } from '../sim/random.ts'
import { formatSeed, parseSeed, type Seed } from '../sim/seed.ts'
import { InputError, type Micros, parseDuration } from '../sim/time.ts'

/** The raw strings commander collects for `run` (and later `check` and `scenario`). */
export interface RunFlags {
  seed?: string
  nodes?: string
  duration?: string
  plan?: string
  nemesis?: string
  clients?: string
  mix?: string
  latency?: string
  loss?: string
  duplicate?: string
  reorder?: string
  network?: string
  config?: string
  mutant?: string
  loseUnsynced?: boolean
  maxEvents?: string
  invariants?: boolean
  checkHistory?: boolean
}

/** Flags that change what a run does, in the order the reproduction line prints them. */
const RUN_FLAGS: Array<[keyof RunFlags, string]> = [
  ['nodes', '--nodes'], ['duration', '--duration'], ['plan', '--plan'], ['nemesis', '--nemesis'],
  ['clients', '--clients'], ['mix', '--mix'], ['latency', '--latency'], ['loss', '--loss'],
  ['duplicate', '--duplicate'], ['reorder', '--reorder'], ['network', '--network'], ['config', '--config'],
  ['mutant', '--mutant'], ['loseUnsynced', '--lose-unsynced'], ['maxEvents', '--max-events'],
  ['checkHistory', '--check-history'],
]

export const DEFAULT_DURATION = '10s'
export const DEFAULT_NODES = 5

export interface RunPlan {
  options: Omit<SimulationOptions, 'trace'>
  seed: Seed
  durationUs: Micros
  /** The preset's name, or the plan file, or 'none'. */
  faults: string
}

export function planRun(protocol: AnyProtocol, flags: RunFlags): RunPlan {
  if (flags.plan !== undefined && flags.nemesis !== undefined) throw new InputError('give --plan or --nemesis, not both')
  const seed = flags.seed === undefined ? randomInt(0, 2 ** 32) : parseSeed(flags.seed)
  const nodeCount = wholeNumber(flags.nodes ?? String(DEFAULT_NODES), '--nodes', 1, MAX_NODES)
  const nodes = defaultNodeIds(nodeCount)
  const durationUs = parseDuration(flags.duration ?? DEFAULT_DURATION, '--duration')
  const plan = makePlan(flags, nodes, durationUs, seed)
  const options: Omit<SimulationOptions, 'trace'> = {
    protocol, seed, nodes: nodeCount, plan,
    network: makeNetwork(flags),
    config: flags.config === undefined ? undefined : readJson(flags.config, '--config'),
    mutant: flags.mutant ?? null,
    workload: makeWorkload(flags),
    loseUnsyncedWrites: flags.loseUnsynced ?? false,
    invariants: flags.invariants ?? true,
    traceMeta: { durationUs },
  }
  if (flags.maxEvents !== undefined) options.maxEvents = wholeNumber(flags.maxEvents, '--max-events', 1, Number.MAX_SAFE_INTEGER)
  return { options, seed, durationUs, faults: flags.plan ?? flags.nemesis ?? 'none' }
}

function makePlan(flags: RunFlags, nodes: string[], durationUs: Micros, seed: Seed): Plan {
  if (flags.plan !== undefined) return loadPlanFile(flags.plan, nodes)
  const rng = RandomStream.root(seed).fork('plan')
  return presetPlan(flags.nemesis ?? 'none', { nodes, durationUs, rng })
}

function makeNetwork(flags: RunFlags) {
  let network = flags.network === undefined ? defaultNetworkConfig() : parseNetworkConfig(readJson(flags.network, '--network'))
  const change: Parameters<typeof applyNetworkChange>[1] = {}
  if (flags.latency !== undefined) change.latency = flags.latency
  if (flags.loss !== undefined) change.loss = probabilityFlag(flags.loss, '--loss')
  if (flags.duplicate !== undefined) change.duplicate = probabilityFlag(flags.duplicate, '--duplicate')
  if (flags.reorder !== undefined) change.reorder = probabilityFlag(flags.reorder, '--reorder')
  if (Object.keys(change).length > 0) network = applyNetworkChange(network, change)
  return network
}

function makeWorkload(flags: RunFlags): SimulationOptions['workload'] {
  const workload: SimulationOptions['workload'] = {}
  if (flags.clients !== undefined) workload.clients = wholeNumber(flags.clients, '--clients', 0, 1000)
  if (flags.mix !== undefined) workload.mix = parseMix(flags.mix)
  return workload
}

/** The command line that reproduces this run exactly (output flags such as --trace left out). */
export function reproduceCommand(command: string, protocol: string, seed: Seed, flags: RunFlags): string {
  const parts = ['faultline', command, protocol, '--seed', formatSeed(seed)]
  for (const [key, flag] of RUN_FLAGS) {
    const value = flags[key]
    if (value === undefined || value === false) continue
    parts.push(...(value === true ? [flag] : [flag, shellQuote(String(value))]))
  }
  if (flags.invariants === false) parts.push('--no-invariants')
  if (flags.duration === undefined) parts.push('--duration', DEFAULT_DURATION)
  return parts.join(' ')
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

export function wholeNumber(text: string, what: string, min: number, max: number): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InputError(`bad ${what} '${text}': expected a whole number from ${min} to ${max}`)
  return n
}

/** A probability flag: a decimal number from 0 to 1 (the network's own check says what is wrong). */
function probabilityFlag(text: string, what: string): number {
  return probability(/^\d*\.?\d+$/.test(text.trim()) ? Number(text) : text, what)
}

export function readJson(path: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new InputError(`${what}: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new InputError(`${what}: '${path}' is not valid JSON (${(err as Error).message.split('\n')[0]})`)
  }
}

