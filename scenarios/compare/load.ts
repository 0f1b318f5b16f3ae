/**
 * Reads a `<name>.compare.json` file into a Comparison, refusing a bad one with one line that
 * names the file and the field. Beyond the shape, it checks that the comparison is fair: every
 * scenario cuts the network at the stated moment, with each side's clients beside nodes of one
 * group of that cut, and heals it at the stated moment.
 */
import { readFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { z } from 'zod'
import { placeOf } from '../../sim/nemesis/issues.ts'
import type { PlanStep } from '../../sim/nemesis/types.ts'
import { quote } from '../../sim/text.ts'
import { formatDuration, InputError, parseDuration } from '../../sim/time.ts'
import { loadScenarioFile } from '../run.ts'
import { durationField, zodMessage } from '../schema-parts.ts'
import type { Count, Scenario } from '../types.ts'
import { FIGURES, type Comparison, type ComparisonExpectation, type Sides } from './types.ts'

export const COMPARE_SUFFIX = '.compare.json'

const duration = durationField()

const count = z.union(
  [
    z.null(),
    z.number().int().min(0).transform((n): Count => ({ exactly: n })),
    z.strictObject({ atLeast: z.number().int().min(0) }),
    z.strictObject({ atMost: z.number().int().min(0) }),
    z.strictObject({ between: z.tuple([z.number().int().min(0), z.number().int().min(0)]) }),
  ],
  { error: 'must be null (never), a whole number, or {"atLeast": n}, {"atMost": n} or {"between": [a, b]}' },
)

const CLIENT = /^c[1-9][0-9]*$/
const sides = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'side names are lower-case words, like "minority"' }), z.array(z.string().regex(CLIENT, { error: 'must be a client id like "c1"' })).min(1))

const fileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lower-case letters, digits and dashes' }),
  claims: z.array(z.number().int().min(1)).default([]),
  summary: z.string().min(1),
  story: z.array(z.string()).default([]),
  partition: z.strictObject({ from: duration, to: duration }),
  sides,
  scenarios: z.array(z.strictObject({ file: z.string().min(1), label: z.string().min(1), sides: sides.optional() })).min(2, { error: 'a comparison needs at least two scenarios' }),
  expect: z.array(z.strictObject({ says: z.string().min(1), scenario: z.string().min(1), side: z.string().min(1), figure: z.enum(FIGURES), count })).default([]),
})

export function loadComparisonFile(path: string): Comparison {
  const fail = (why: string): never => {
    throw new InputError(`${path}: ${why}`)
  }
  let text = ''
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    fail(code === 'ENOENT' ? 'no such comparison file' : `cannot read it (${(err as Error).message})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    fail(`not valid JSON (${(err as Error).message})`)
  }
  const parsed = fileSchema.safeParse(json, { error: zodMessage })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    fail(`${placeOf('', issue.path).replace(/^\./, '') || 'file'}: ${issue.message}`)
  }
  const f = parsed.data!
  if (!basename(path).endsWith(COMPARE_SUFFIX) || basename(path, COMPARE_SUFFIX) !== f.name) fail(`name ${quote(f.name)} must equal the file name without ${COMPARE_SUFFIX}`)
  if (f.partition.to <= f.partition.from) fail(`partition.to (${formatDuration(f.partition.to)}) must be later than partition.from (${formatDuration(f.partition.from)})`)
  const scenarios = f.scenarios.map((entry, i) => {
    const where = `scenarios[${i}]`
    const scenario = loadScenarioOf(resolve(dirname(path), entry.file), fail, where)
    const own = entry.sides ?? f.sides
    checkSides(own, fail, `${where}${entry.sides ? '.sides' : ' (with the top-level sides)'}`)
    const why = unfairness(scenario, own, f.partition.from, f.partition.to)
    if (why !== null) fail(`${where} (${scenario.name}): ${why}`)
    return { label: entry.label, scenario, sides: own }
  })
  const names = scenarios.map((s) => s.scenario.name)
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice !== undefined) fail(`scenarios: ${quote(twice)} is listed twice`)
  f.expect.forEach((e, i) => checkExpectation(e, scenarios, fail, `expect[${i}]`))
  return {
    name: f.name, source: path, claims: f.claims, summary: f.summary, story: f.story,
    partition: { fromUs: f.partition.from, toUs: f.partition.to }, scenarios, expect: f.expect as ComparisonExpectation[],
  }
}

function loadScenarioOf(file: string, fail: (why: string) => never, where: string): Scenario {
  try {
    return loadScenarioFile(file)
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    return fail(`${where}: ${err.message}`)
  }
}

function checkSides(sides: Sides, fail: (why: string) => never, where: string): void {
  const names = Object.keys(sides)
  if (names.length < 2) fail(`${where}: needs at least two sides`)
  const seen = new Map<string, string>()
  for (const [side, clients] of Object.entries(sides)) {
    for (const c of clients) {
      if (seen.has(c)) fail(`${where}: client ${c} is on two sides (${seen.get(c)} and ${side})`)
      seen.set(c, side)
    }
  }
}

/** Why this scenario does not run the stated partition with these sides, or null when it does. */
export function unfairness(s: Scenario, sides: Sides, fromUs: number, toUs: number): string | null {
  const clients = s.clients.scripted + s.clients.random
  const homeOf = (c: string) => s.nodes[(Number(c.slice(1)) - 1) % s.nodes.length]!
  for (const list of Object.values(sides)) {
    const unknown = list.find((c) => Number(c.slice(1)) > clients)
    if (unknown !== undefined) return `client ${unknown} does not exist (the scenario has ${clients} clients)`
  }
  const steps = s.plan.filter(changesPartition)
  const cut = steps.find((p) => p.at === fromUs)
  if (cut === undefined) return `no partition step at ${formatDuration(fromUs)} (partition.from)`
  if (!steps.some((p) => p.at === toUs && p.do === 'heal')) return `no heal step at ${formatDuration(toUs)} (partition.to)`
  if (steps.some((p) => p.at > fromUs && p.at < toUs)) return `the partition changes between ${formatDuration(fromUs)} and ${formatDuration(toUs)}: compare one partition`
  const groupOf = groupsOf(cut, s.nodes)
  if (typeof groupOf === 'string') return groupOf
  const groupOfSide = new Map<string, number>()
  for (const [side, list] of Object.entries(sides)) {
    for (const c of list) {
      const g = groupOf.get(homeOf(c))!
      const first = groupOfSide.get(side)
      if (first === undefined) groupOfSide.set(side, g)
      else if (first !== g) return `the ${side} side's clients sit on both sides of the cut (${c} is beside ${homeOf(c)})`
    }
  }
  const groups = [...groupOfSide.values()]
  if (new Set(groups).size !== groups.length) return 'two sides are on the same side of the cut'
  return null
}

const PARTITION_ACTIONS: ReadonlySet<string> = new Set(['isolate', 'groups', 'halves', 'random-halves', 'majorities-ring', 'bridge', 'one-way', 'heal'])

/** A step that replaces or removes the partition (a crash or pause with isolate cuts too). */
function changesPartition(p: PlanStep): boolean {
  return PARTITION_ACTIONS.has(p.do) || ((p.do === 'crash' || p.do === 'pause') && p.isolate === true)
}

/** Node -> group index of a cut the comparison can read without running it (groups, isolate of ids). */
function groupsOf(step: PlanStep, nodes: readonly string[]): Map<string, number> | string {
  const a = step
  const out = new Map<string, number>()
  if (a.do === 'groups') a.groups.forEach((g, i) => g.forEach((n) => out.set(n, i)))
  else if (a.do === 'isolate' && a.nodes.every((n) => nodes.includes(n))) a.nodes.forEach((n) => out.set(n, 0))
  else return `the partition at ${formatDuration(step.at)} must be a "groups" step, or an "isolate" of node ids, so that its sides are known`
  const rest = a.do === 'groups' ? a.groups.length : 1
  for (const n of nodes) if (!out.has(n)) out.set(n, rest) // unlisted nodes form one more group
  return out
}

function checkExpectation(e: { scenario: string; side: string }, scenarios: Comparison['scenarios'], fail: (why: string) => never, where: string): void {
  const s = scenarios.find((x) => x.scenario.name === e.scenario)
  if (!s) fail(`${where}.scenario: unknown scenario ${quote(e.scenario)} (scenarios: ${scenarios.map((x) => x.scenario.name).join(', ')})`)
  if (!(e.side in s!.sides)) fail(`${where}.side: unknown side ${quote(e.side)} (sides: ${Object.keys(s!.sides).join(', ')})`)
}

