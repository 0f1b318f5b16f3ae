/**
 * The zod schemas for one plan step in its JSON form, one per action, built for a given node
 * list (node ids are checked against it). Parsing a step yields the Plan form directly: `at`
 * becomes microseconds and clock offsets take their canonical spelling. Every problem is a
 * zod issue whose message is already user-facing; issues.ts turns the first one into a line.
 */
import { z } from 'zod'
import { parseLatency } from '../network/latency.ts'
import { formatDuration, InputError, parseDuration } from '../time.ts'
import { canonicalOffset } from './offset.ts'
import { isSelectorWord, selectorProblem, type ActionWithNodes } from './selectors.ts'
import { quote } from '../text.ts'
import { SELECTOR_WORDS, type ActionName, type NodeCommand, type PlanStep } from './types.ts'
import type { ClientOp } from '../protocol.ts'

/** The fields after `at` and `do`, per action, in canonical order (planToJson writes them so). */
export const ACTION_FIELDS: Readonly<Record<ActionName, readonly string[]>> = {
  crash: ['node', 'isolate', 'until', 'when', 'after'],
  restart: ['node', 'until', 'when', 'after'],
  pause: ['node', 'isolate', 'until', 'when', 'after'],
  resume: ['node', 'until', 'when', 'after'],
  isolate: ['nodes'],
  halves: [],
  'random-halves': [],
  'majorities-ring': [],
  bridge: [],
  groups: ['groups'],
  'one-way': ['from', 'to'],
  heal: [],
  network: ['reset', 'latency', 'loss', 'duplicate', 'reorder', 'links'],
  clock: ['node', 'offset', 'driftPpm', 'until', 'when', 'after'],
  command: ['node', 'command', 'until', 'when', 'after'],
  invoke: ['client', 'op', 'to'],
}

const PROBABILITY = 'must be a probability between 0 and 1'
/** Drift stays strictly within +-1e6 ppm so a node's clock always moves forward. */
export const MAX_DRIFT_PPM = 999_999
const DRIFT = `must be a number of parts per million between -${MAX_DRIFT_PPM} and ${MAX_DRIFT_PPM}`

/** A schema-level message for a wrong value; a missing one falls through to "required for <action>". */
function typeError(message: string) {
  return (issue: { input?: unknown }): string | undefined => (issue.input === undefined ? undefined : message)
}

/** A transform that converts text with a throwing parser, turning its InputError into an issue. */
function fromText<T>(convert: (text: string) => T) {
  return (text: string, ctx: z.core.$RefinementCtx<string>): T => {
    try {
      return convert(text)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      ctx.addIssue({ code: 'custom', message: error.message })
      return z.NEVER
    }
  }
}

const atField = z.string({ error: typeError('must be a duration string like "2s"') }).transform(fromText((t) => parseDuration(t, 'time')))

const isolateFlag = z.literal(true, { error: 'must be true when given (it cuts the node off before stopping it)' }).optional()

/** The word a waiting step watches: a selector word, any of them (a node may start to lead, be up, crash or pause). */
const whenField = z.enum(SELECTOR_WORDS, { error: `must be a selector word: ${SELECTOR_WORDS.map(quote).join(', ')}` })

/**
 * A waiting step (`until`) watches for a node that its `when` word (by default its node's word)
 * starts to match, so that word must be a selector word, and its window must not be empty.
 */
function checkWait(step: { at: number; until?: number; when?: string; after?: number; node: string }, ctx: z.core.$RefinementCtx<unknown>): void {
  if (step.until === undefined) {
    for (const field of ['when', 'after'] as const) {
      if (step[field] !== undefined) ctx.addIssue({ code: 'custom', message: 'needs until: the end of the window in which the step waits', path: [field] })
    }
    return
  }
  if (step.until <= step.at) {
    ctx.addIssue({ code: 'custom', message: `must be later than at (${formatDuration(step.at)})`, path: ['until'] })
  } else if (step.when === undefined && !isSelectorWord(step.node)) {
    const words = SELECTOR_WORDS.map(quote).join(', ')
    ctx.addIssue({ code: 'custom', message: `a step waits for a node a selector word picks (${words}): node ${quote(step.node)} cannot wait, unless "when" names the word to watch`, path: ['until'] })
  }
}

/** Normalises -0 to 0 so a parsed plan equals its round trip as data. */
const probability = z
  .number({ error: typeError(PROBABILITY) })
  .min(0, { error: PROBABILITY })
  .max(1, { error: PROBABILITY })
  .transform((p) => p + 0)

const driftField = z
  .number({ error: typeError(DRIFT) })
  .min(-MAX_DRIFT_PPM, { error: DRIFT })
  .max(MAX_DRIFT_PPM, { error: DRIFT })
  .transform((ppm) => ppm + 0)

const offsetField = z
  .string({ error: typeError('must be a signed duration string like "-200ms"') })
  .transform(fromText((t) => canonicalOffset(t)))

const latencyField = z.string({ error: typeError('must be a latency spec string like "uniform:1ms..5ms"') }).superRefine((text, ctx) => {
  try {
    parseLatency(text)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    ctx.addIssue({ code: 'custom', message: error.message })
  }
})

function nodeField(nodes: readonly string[], action: ActionWithNodes) {
  return z.string({ error: typeError('must be a string naming a node') }).superRefine((value, ctx) => {
    const problem = selectorProblem(value, nodes, action)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })
}

/** Reports the first repeated entry (by key), at its own index, so the error points at it. */
function firstRepeat<T>(items: readonly T[], key: (item: T) => string): number {
  const seen = new Set<string>()
  for (const [i, item] of items.entries()) {
    if (seen.has(key(item))) return i
    seen.add(key(item))
  }
  return -1
}

function nodeList(nodes: readonly string[], action: ActionWithNodes) {
  return z
    .array(nodeField(nodes, action), { error: typeError('must be a list of nodes like ["n1", "n2"]') })
    .min(1, { error: 'must list at least one node' })
    .superRefine((list, ctx) => {
      const i = firstRepeat(list, (id) => id)
      if (i >= 0) ctx.addIssue({ code: 'custom', message: `node ${quote(list[i])} is listed twice`, path: [i] })
    })
}

function groupsField(nodes: readonly string[]) {
  const group = z
    .array(nodeField(nodes, 'groups'), { error: typeError('each group must be a list of node ids') })
    .min(1, { error: 'a group must not be empty' })
  return z
    .array(group, { error: typeError('must be a list of groups like [["n1", "n2"], ["n3"]]') })
    .min(1, { error: 'must list at least one group' })
    .superRefine((groups, ctx) => {
      const flat = groups.flatMap((g, gi) => g.map((id, ni) => ({ id, path: [gi, ni] })))
      const i = firstRepeat(flat, (entry) => entry.id)
      if (i < 0) return
      const { id, path } = flat[i]!
      ctx.addIssue({ code: 'custom', message: `node ${quote(id)} appears more than once (each node may be in one group)`, path })
    })
}

function linksField(nodes: readonly string[]) {
  const link = z.tuple([nodeField(nodes, 'network'), nodeField(nodes, 'network')], {
    error: typeError('each link must be a pair of node ids like ["n1", "n2"]'),
  })
  return z
    .array(link, { error: typeError('must be a list of directed links like [["n1", "n2"]]') })
    .min(1, { error: 'must list at least one link' })
    .superRefine((links, ctx) => {
      const self = links.findIndex(([from, to]) => from === to)
      if (self >= 0) ctx.addIssue({ code: 'custom', message: 'a link must join two different nodes', path: [self] })
      const i = firstRepeat(links, ([from, to]) => `${from}->${to}`)
      if (i >= 0) ctx.addIssue({ code: 'custom', message: `link ${links[i]!.join('->')} is listed twice`, path: [i] })
    })
}

const nodeless = <A extends 'halves' | 'random-halves' | 'majorities-ring' | 'bridge' | 'heal'>(name: A) => z.strictObject({ at: atField, do: z.literal(name) })

function oneWaySchema(nodes: readonly string[]) {
  return z
    .strictObject({ at: atField, do: z.literal('one-way'), from: nodeList(nodes, 'one-way'), to: nodeList(nodes, 'one-way') })
    .superRefine((step, ctx) => {
      const j = step.to.findIndex((id) => step.from.includes(id))
      if (j >= 0) ctx.addIssue({ code: 'custom', message: `node ${quote(step.to[j])} is in both from and to`, path: ['to', j] })
    })
}

function networkSchema(nodes: readonly string[]) {
  const knobs = ['reset', 'latency', 'loss', 'duplicate', 'reorder'] as const
  return z
    .strictObject({
      at: atField,
      do: z.literal('network'),
      reset: z.literal(true, { error: 'must be true when given (it restores the starting network)' }).optional(),
      latency: latencyField.optional(),
      loss: probability.optional(),
      duplicate: probability.optional(),
      reorder: probability.optional(),
      links: linksField(nodes).optional(),
    })
    .superRefine((step, ctx) => {
      if (knobs.some((knob) => step[knob] !== undefined)) return
      ctx.addIssue({ code: 'custom', message: `network needs at least one of ${knobs.join(', ')}` })
    })
}

function clockSchema(nodes: readonly string[]) {
  return z
    .strictObject({
      at: atField,
      do: z.literal('clock'),
      node: nodeField(nodes, 'clock'),
      offset: offsetField.optional(),
      driftPpm: driftField.optional(),
      until: atField.optional(),
      when: whenField.optional(),
      after: atField.optional(),
    })
    .superRefine((step, ctx) => {
      if (step.offset === undefined && step.driftPpm === undefined) {
        ctx.addIssue({ code: 'custom', message: 'clock needs an offset, a driftPpm or both' })
      }
      checkWait(step, ctx)
    })
}

const COMMAND = "expected an object with a string field 'type'"
const JSON_DATA = 'must be JSON data (text, a finite number, true, false, null, a list or an object)'
/** Deeper than any sensible command, shallow enough that checking one never overflows the stack. */
export const MAX_COMMAND_DEPTH = 32

/**
 * A plain object with a non-empty string field `name` (a command's `type`, an operation's `f`)
 * and otherwise any JSON data; `shape` reports anything else wrong with it, as [message, path].
 * The output is a fresh copy (the plan never shares objects with its input), with keys whose
 * value is undefined dropped and -0 written as 0, just as a trip through JSON text would leave it.
 */
function namedJsonObject<T>(name: string, required: string, bad: string, shape: (value: Record<string, unknown>) => [string, string[]] | null = () => null) {
  return z.unknown().transform((value, ctx): T => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: required })
      return z.NEVER
    }
    if (!isPlainObject(value) || typeof value[name] !== 'string') {
      ctx.addIssue({ code: 'custom', message: bad })
      return z.NEVER
    }
    const problem: { message: string; path: PropertyKey[] } | null =
      (value[name] as string).trim() === '' ? { message: 'must not be empty', path: [name] } : shapeProblem(shape(value)) ?? jsonProblem(value, [], 0)
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path })
      return z.NEVER
    }
    return jsonCopy(value) as T
  })
}

function shapeProblem(found: [string, string[]] | null): { message: string; path: PropertyKey[] } | null {
  return found === null ? null : { message: found[0], path: found[1] }
}

const commandField = namedJsonObject<NodeCommand>('type', `required for command: an object with a string field 'type', like {"type": "cluster-failover"}`, COMMAND)

const clientField = z.string({ error: typeError('must name a client, like "c1"') }).regex(/^c[1-9][0-9]*$/, { error: 'must name a client, like "c1"' })

const OP = 'must be an operation object with a string field \'f\', like {"f": "put", "key": "x", "value": 1}'

/** A client operation: JSON, with a non-empty `f` naming it and, if present, a string `key`. */
const opField = namedJsonObject<ClientOp>('f', `required for invoke: ${OP.slice('must be '.length)}`, OP, (value) =>
  value.key !== undefined && typeof value.key !== 'string' ? ['must be a string', ['key']] : null)

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The first place in `value` that is not JSON data (a function, NaN, a Date, a hole in a list, ...), or null. */
function jsonProblem(value: unknown, path: PropertyKey[], depth: number): { path: PropertyKey[]; message: string } | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, message: JSON_DATA }
  if (depth >= MAX_COMMAND_DEPTH) return { path, message: `nests too deeply (at most ${MAX_COMMAND_DEPTH} levels)` }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = i in value ? jsonProblem(value[i], [...path, i], depth + 1) : { path: [...path, i], message: JSON_DATA }
      if (problem !== null) return problem
    }
    return null
  }
  if (!isPlainObject(value)) return { path, message: JSON_DATA }
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue
    const problem = jsonProblem(field, [...path, key], depth + 1)
    if (problem !== null) return problem
  }
  return null
}

/** A deep copy of checked JSON data; Object.fromEntries keeps a "__proto__" key as a plain field. */
function jsonCopy(value: unknown): unknown {
  if (typeof value === 'number') return value + 0
  if (Array.isArray(value)) return value.map(jsonCopy)
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value).filter(([, field]) => field !== undefined)
  return Object.fromEntries(entries.map(([key, field]) => [key, jsonCopy(field)]))
}

type StepSchemas = Record<ActionName, z.ZodType<PlanStep>>

/**
 * The schemas for one node list, built once: zod compiles a schema on its first parse, and a
 * check validates a plan per run on the same few clusters (building them per plan was a
 * quarter of a check run's time). Bounded: a process seeing many node lists starts afresh.
 */
const schemaCache = new Map<string, StepSchemas>()
const SCHEMA_CACHE_LIMIT = 64

export function stepSchemas(nodes: readonly string[]): StepSchemas {
  const key = nodes.join('\u0000')
  const cached = schemaCache.get(key)
  if (cached) return cached
  if (schemaCache.size >= SCHEMA_CACHE_LIMIT) schemaCache.clear()
  const made = buildStepSchemas([...nodes]) // a copy: the schemas keep it
  schemaCache.set(key, made)
  return made
}

/** One schema per action; the return type makes TypeScript check each output against PlanStep. */
function buildStepSchemas(nodes: readonly string[]): StepSchemas {
  const single = <A extends 'restart' | 'resume'>(name: A) =>
    z.strictObject({ at: atField, do: z.literal(name), node: nodeField(nodes, name), until: atField.optional(), when: whenField.optional(), after: atField.optional() }).superRefine(checkWait)
  const stop = <A extends 'crash' | 'pause'>(name: A) =>
    z
      .strictObject({ at: atField, do: z.literal(name), node: nodeField(nodes, name), isolate: isolateFlag, until: atField.optional(), when: whenField.optional(), after: atField.optional() })
      .superRefine(checkWait)
  return {
    crash: stop('crash'),
    restart: single('restart'),
    pause: stop('pause'),
    resume: single('resume'),
    isolate: z.strictObject({ at: atField, do: z.literal('isolate'), nodes: nodeList(nodes, 'isolate') }),
    halves: nodeless('halves'),
    'random-halves': nodeless('random-halves'),
    'majorities-ring': nodeless('majorities-ring'),
    bridge: nodeless('bridge'),
    groups: z.strictObject({ at: atField, do: z.literal('groups'), groups: groupsField(nodes) }),
    'one-way': oneWaySchema(nodes),
    heal: nodeless('heal'),
    network: networkSchema(nodes),
    clock: clockSchema(nodes),
    command: z
      .strictObject({ at: atField, do: z.literal('command'), node: nodeField(nodes, 'command'), command: commandField, until: atField.optional(), when: whenField.optional(), after: atField.optional() })
      .superRefine(checkWait),
    invoke: z.strictObject({ at: atField, do: z.literal('invoke'), client: clientField, op: opField, to: nodeField(nodes, 'invoke').optional() }),
  }
}
