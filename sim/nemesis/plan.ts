/**
 * The JSON form of a nemesis plan and its validation. A plan file is `{ "steps": [...] }` or a
 * bare list of steps; each step is `{ "at": "2s", "do": "crash", "node": "n1" }`. Parsing turns
 * every problem into one InputError line that names the step and field, and returns the steps
 * in time order (stable for ties), with `at` in microseconds.
 */
import { readFileSync } from 'node:fs'
import { oneLine, quote } from '../text.ts'
import { formatDuration, InputError } from '../time.ts'
import { placeOf, stepErrorMap } from './issues.ts'
import { ACTION_FIELDS, stepSchemas } from './schema.ts'
import { ACTION_NAMES, type ActionName, type Plan, type PlanStep } from './types.ts'

export { describeStep } from './describe.ts'

const STEP_EXAMPLE = '{"at": "2s", "do": "crash", "node": "n1"}'

export function parsePlan(json: unknown, nodes: readonly string[], source = 'plan'): Plan {
  const rawSteps = stepsOf(json, source)
  const schemas = stepSchemas(nodes)
  const steps = rawSteps.map((raw, i) => parseStep(raw, schemas, `${source} steps[${i}]`))
  return sortSteps(steps)
}

/** Steps in time order; Array.prototype.sort is stable, so ties keep their listed order. */
export function sortSteps(steps: readonly PlanStep[]): Plan {
  return [...steps].sort((a, b) => a.at - b.at)
}

function stepsOf(json: unknown, source: string): unknown[] {
  if (Array.isArray(json)) return json
  if (!isPlainObject(json)) {
    fail(`${source}: expected {"steps": [...]} or a list of steps, got ${kindOf(json)}`)
  }
  const extra = Object.keys(json).filter((key) => key !== 'steps')
  if (extra.length > 0) fail(`${source}: unknown field ${quote(extra[0])} (a plan has only "steps")`)
  if (!Array.isArray(json.steps)) {
    const got = json.steps === undefined ? 'nothing' : kindOf(json.steps)
    fail(`${source} steps: must be a list of steps like [${STEP_EXAMPLE}], got ${got}`)
  }
  return json.steps
}

function parseStep(raw: unknown, schemas: ReturnType<typeof stepSchemas>, where: string): PlanStep {
  if (!isPlainObject(raw)) fail(`${where}: must be an object like ${STEP_EXAMPLE}, got ${kindOf(raw)}`)
  const action = raw.do
  const known = `one of ${ACTION_NAMES.join(', ')}`
  if (action === undefined) fail(`${where}.do: required: the action, ${known}`)
  if (!isActionName(action)) fail(`${where}: unknown action ${quote(action)} (expected ${known})`)
  // A valid step parses without the error map: zod's fast path is off for a parse given one
  // (half the time of a step). Only a step that fails is parsed again for the user's wording.
  const valid = schemas[action].safeParse(raw)
  if (valid.success) return valid.data
  const result = schemas[action].safeParse(raw, { error: stepErrorMap(action) })
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  fail(`${placeOf(where, issue.path)}: ${issue.message}`)
}

/** The canonical JSON form: `at` as a duration string, fields in a fixed order. parsePlan reads it back equal. */
export function planToJson(plan: Plan): Array<Record<string, unknown>> {
  return plan.map((step) => {
    const source = step as unknown as Record<string, unknown>
    const json: Record<string, unknown> = { at: formatDuration(step.at), do: step.do }
    for (const field of ACTION_FIELDS[step.do]) {
      if (source[field] === undefined) continue
      json[field] = field === 'until' || field === 'after' ? formatDuration(source[field] as number) : structuredClone(source[field])
    }
    return json
  })
}

/** Reads and parses a plan file; every problem, including a missing file or bad JSON, is one InputError line naming it. */
export function loadPlanFile(path: string, nodes: readonly string[]): Plan {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read it (${code ?? 'error'})`
    fail(`plan file ${path}: ${why}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    fail(`plan file ${path}: not valid JSON (${(error as Error).message})`)
  }
  return parsePlan(json, nodes, path)
}

/** Every message is one line, whatever the source label or an underlying error holds. */
function fail(message: string): never {
  throw new InputError(oneLine(message))
}

function isActionName(value: unknown): value is ActionName {
  return typeof value === 'string' && (ACTION_NAMES as readonly string[]).includes(value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${quote(value)}`
}
