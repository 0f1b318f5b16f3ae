/**
 * Reads a scenario file's JSON into a Scenario (types.ts), refusing a bad file with one line
 * that names the file and the field: "scenarios/raft/x.json: expect[2].count: must be ...".
 * zod checks the shape; the plan goes through the engine's own plan parser, so a scenario's
 * steps obey exactly the rules of a plan file.
 */
import { z } from 'zod'
import { parsePlan } from '../sim/nemesis/plan.ts'
import { placeOf } from '../sim/nemesis/issues.ts'
import { parseNetworkConfig } from '../sim/network/config.ts'
import { parseSeed } from '../sim/seed.ts'
import { InputError } from '../sim/time.ts'
import { quote } from '../sim/text.ts'
import { PROTOCOL_NAMES } from './protocols.ts'
import { captionSchema, durationField, expectationSchema, zodMessage } from './schema-parts.ts'
import type { ClientSetup, Scenario, Variant } from './types.ts'

const NAME = /^[a-z0-9][a-z0-9-]*$/

const duration = (what: string) => durationField(what)

const clientsSchema = z.union([
  z.number().int().min(0).max(100).transform((scripted): ClientSetup => ({ scripted, random: 0 })),
  z
    .strictObject({
      scripted: z.number().int().min(0).max(100).default(0),
      random: z.number().int().min(0).max(100).default(0),
      mix: z.record(z.string(), z.number().min(0)).optional(),
      think: duration('think time').optional(),
      keys: z.number().int().min(1).optional(),
      stopAt: duration('stopAt').optional(),
      opTimeout: duration('opTimeout').optional(),
      requestTimeout: duration('requestTimeout').optional(),
    })
    .transform((c): ClientSetup => ({
      scripted: c.scripted, random: c.random, mix: c.mix, thinkUs: c.think, keys: c.keys, stopAtUs: c.stopAt, opTimeoutUs: c.opTimeout, requestTimeoutUs: c.requestTimeout,
    })),
], { error: 'must be a count of scripted clients, or {"scripted": 2, "random": 3, ...}' })

const variantSchema = z.strictObject({
  label: z.string().min(1),
  mutant: z.string().min(1).nullable().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  expect: z.array(expectationSchema).optional(),
  captions: z.array(captionSchema).optional(),
})

const fileSchema = z.strictObject({
  name: z.string().regex(NAME, { error: 'must be lower-case letters, digits and dashes, like "raft-split-vote"' }),
  protocol: z.enum(PROTOCOL_NAMES),
  claims: z.array(z.number().int().min(1)).default([]),
  summary: z.string().min(1),
  story: z.array(z.string()).default([]),
  seed: z.union([z.string(), z.number().int().min(0)]).default('0x1'),
  nodes: z.union([z.number().int().min(1).max(100), z.array(z.string()).min(1)]).default(5),
  config: z.record(z.string(), z.unknown()).default({}),
  network: z.unknown().optional(),
  loseUnsyncedWrites: z.boolean().default(false),
  mutant: z.string().min(1).nullable().default(null),
  clients: clientsSchema.default({ scripted: 0, random: 0 }),
  duration: duration('duration'),
  steps: z.array(z.unknown()).default([]),
  captions: z.array(captionSchema).default([]),
  expect: z.array(expectationSchema).default([]),
  variants: z.array(variantSchema).min(1).optional(),
})

/** Parses a scenario's JSON; `source` names it in errors (its path). */
export function parseScenario(json: unknown, source: string): Scenario {
  const parsed = fileSchema.safeParse(json, { error: zodMessage })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InputError(`${source}: ${placeOf('', issue.path).replace(/^\./, '') || 'file'}: ${issue.message}`)
  }
  const f = parsed.data
  const nodes = typeof f.nodes === 'number' ? Array.from({ length: f.nodes }, (_, i) => `n${i + 1}`) : f.nodes
  const variants: Variant[] = f.variants?.map((v) => ({ label: v.label, mutant: v.mutant === undefined ? f.mutant : v.mutant, config: v.config ?? {}, expect: v.expect ?? [], captions: v.captions ?? [] })) ?? [
    { label: f.mutant === null ? f.protocol : `mutant ${f.mutant}`, mutant: f.mutant, config: {}, expect: [], captions: [] },
  ]
  const scenario: Scenario = {
    name: f.name, source, protocol: f.protocol, claims: f.claims, summary: f.summary, story: f.story,
    seed: typeof f.seed === 'number' ? f.seed : withSource(source, 'seed', () => parseSeed(f.seed as string)),
    nodes, config: f.config,
    network: f.network === undefined ? null : withSource(source, 'network', () => parseNetworkConfig(f.network)),
    loseUnsyncedWrites: f.loseUnsyncedWrites, mutant: f.mutant, clients: f.clients, durationUs: f.duration,
    plan: withSource(source, null, () => parsePlan(f.steps, nodes, 'steps')),
    captions: f.captions, expect: f.expect, variants, hasVariants: f.variants !== undefined,
  }
  checkCrossFields(scenario)
  return scenario
}

function withSource<T>(source: string, field: string | null, parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    throw new InputError(`${source}: ${field === null ? '' : `${field}: `}${err.message}`)
  }
}

/** What zod checks cannot: node names in matchers, client counts against the plan, every expectation's times within the run. */
function checkCrossFields(s: Scenario): void {
  const fail = (why: string) => {
    throw new InputError(`${s.source}: ${why}`)
  }
  if (s.expect.length === 0 && s.variants.every((v) => v.expect.length === 0)) fail('expect: a scenario needs at least one expectation')
  const labels = new Set<string>()
  for (const v of s.variants) {
    if (labels.has(v.label)) fail(`variants: the label ${quote(v.label)} is used twice`)
    labels.add(v.label)
  }
  const known = (node: string | undefined, where: string) => {
    if (node !== undefined && !s.nodes.includes(node)) fail(`${where}: unknown node ${quote(node)} (nodes: ${s.nodes.join(', ')})`)
  }
  const all = [...s.expect, ...s.variants.flatMap((v) => v.expect)]
  for (const [i, e] of all.entries()) {
    if (e.kind === 'view' || e.kind === 'nodes' || e.kind === 'nodesEver') known(e.match.node, `expectation ${quote(e.says)}`)
    const at = e.kind === 'view' || e.kind === 'nodes' ? e.at : null
    if (typeof at === 'number' && at > s.durationUs) fail(`expectation ${i + 1} (${quote(e.says)}): its moment is after the run's end`)
  }
  const checkWindow = (w: { fromUs: number; toUs: number | null }, where: string) => {
    if (w.toUs !== null && w.fromUs > w.toUs) fail(`${where}: "from" is after "to"`)
    if (w.fromUs > s.durationUs) fail(`${where}: "from" is after the run's end`)
  }
  for (const [i, e] of all.entries()) if ('window' in e) checkWindow(e.window, `expectation ${i + 1} (${quote(e.says)})`)
  for (const c of [...s.captions, ...s.variants.flatMap((v) => v.captions)]) {
    if (c.trigger.kind !== 'at') checkWindow(c.trigger.window, `caption ${quote(c.text.slice(0, 40))}`)
    if (c.trigger.kind === 'view') known(c.trigger.match.node, `caption ${quote(c.text.slice(0, 40))}`)
    if (c.trigger.kind === 'at' && c.trigger.atUs > s.durationUs) fail(`caption ${quote(c.text.slice(0, 40))}: its moment is after the run's end`)
  }
}

