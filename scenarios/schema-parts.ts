/**
 * The schemas of one expectation and one caption. Each expectation names its kind by the one
 * kind field it has (`view`, `nodes`, `nodesEver`, `events`, `ops`, `violation`, `report`);
 * a kind is then parsed by its own strict schema, so an unknown or misplaced field is named.
 */
import { z } from 'zod'
import { InputError, parseDuration } from '../sim/time.ts'
import { quote } from '../sim/text.ts'
import type { Caption, Count, Expectation, Moment, NodeMatch, Window } from './types.ts'

export const EXPECTATION_KINDS = ['view', 'nodes', 'nodesEver', 'events', 'sequence', 'ops', 'violation', 'report'] as const

/** A duration string ("2s", "500ms") as microseconds; `what` names it in the error. */
export const durationField = (what = 'time') =>
  z.string({ error: 'must be a duration string like "2s"' }).transform((text, ctx) => {
    try {
      return parseDuration(text, what)
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      ctx.addIssue({ code: 'custom', message: err.message })
      return z.NEVER
    }
  })

const durationText = durationField()

/** zod's own issues (missing fields, wrong types, unknown fields) in the words the plan parser uses. */
export function zodMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(quote).join(', ')}`
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${String(issue.minimum)} item(s)` : issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`
    case 'invalid_union':
      return 'is not one of the accepted forms (see scenarios/README.md)'
    case 'invalid_format':
      return 'has the wrong format'
    default:
      return undefined
  }
}

const moment = z.union([z.literal('end'), durationText], { error: 'must be a duration like "2s", or "end"' }).transform((m): Moment => m)

const countSchema = z
  .union(
    [
      z.number().int().min(0).transform((n): Count => ({ exactly: n })),
      z.strictObject({ atLeast: z.number().int().min(1, { error: 'at least 0 always holds: an expectation must be able to fail' }) }),
      z.strictObject({ atMost: z.number().int().min(0) }),
      z.strictObject({ between: z.tuple([z.number().int().min(0), z.number().int().min(0)]) }).refine((c) => c.between[0] <= c.between[1], 'between needs [low, high] with low <= high'),
    ],
    { error: 'must be a whole number, or {"atLeast": n}, {"atMost": n} or {"between": [a, b]}' },
  )
  .transform((c): Count => c)

const AT_LEAST_ONE: Count = { atLeast: 1 }

const record = z.record(z.string(), z.unknown(), { error: 'must be an object' })
const status = z.enum(['up', 'crashed', 'paused'])
const nodeMatch = z.strictObject({ node: z.string().optional(), view: record.optional(), status: status.optional() })
const window = { from: durationText.optional(), to: durationText.optional() }
const toWindow = (w: { from?: number; to?: number }): Window => ({ fromUs: w.from ?? 0, toUs: w.to ?? null })

const says = z.string({ error: 'every expectation needs "says": the line the narration prints' }).min(1)

const KIND_SCHEMAS = {
  view: z
    .strictObject({ says, at: moment, node: z.string(), view: record.optional(), status: status.optional() })
    .refine((e) => e.view !== undefined || e.status !== undefined, 'a view expectation needs "view" or "status"')
    .transform((e): Expectation => ({ says: e.says, kind: 'view', at: e.at, match: withoutUndefined({ node: e.node, view: e.view, status: e.status }) as NodeMatch & { node: string } })),
  nodes: z
    .strictObject({ says, at: moment, nodes: nodeMatch, count: countSchema })
    .transform((e): Expectation => ({ says: e.says, kind: 'nodes', at: e.at, match: withoutUndefined(e.nodes), count: e.count })),
  nodesEver: z
    .strictObject({ says, nodesEver: nodeMatch, count: countSchema.optional(), ...window })
    .transform((e): Expectation => ({ says: e.says, kind: 'nodesEver', window: toWindow(e), match: withoutUndefined(e.nodesEver), count: e.count ?? AT_LEAST_ONE })),
  events: z
    .strictObject({ says, events: record, count: countSchema.optional(), ...window })
    .transform((e): Expectation => ({ says: e.says, kind: 'events', window: toWindow(e), match: e.events, count: e.count ?? AT_LEAST_ONE })),
  sequence: z
    .strictObject({ says, sequence: z.array(record).min(2, { error: 'a sequence needs at least two steps' }), ...window })
    .transform((e): Expectation => ({ says: e.says, kind: 'sequence', window: toWindow(e), steps: e.sequence })),
  ops: z
    .strictObject({
      says,
      ops: z.strictObject({ client: z.string().optional(), f: z.string().optional(), key: z.string().optional(), outcome: z.enum(['ok', 'fail', 'info']).optional(), value: z.unknown().optional(), result: z.unknown().optional(), error: z.string().optional() }),
      count: countSchema.optional(),
      ...window,
    })
    .transform((e): Expectation => ({ says: e.says, kind: 'ops', window: toWindow(e), match: withoutUndefined(e.ops), count: e.count ?? AT_LEAST_ONE })),
  violation: z
    .strictObject({ says, violation: z.union([z.string().min(1), z.null(), z.literal(true)], { error: 'must be an invariant name, null (none) or true (any)' }), message: z.string().optional() })
    .refine((e) => e.violation !== null || e.message === undefined, { error: '"message" needs a violation to read: not with "violation": null', path: ['message'] })
    .transform((e): Expectation => ({ says: e.says, kind: 'violation', invariant: e.violation, ...(e.message === undefined ? {} : { message: e.message }) })),
  report: z
    .strictObject({ says, report: z.string().min(1), figure: z.string().optional(), detail: z.string().optional(), count: countSchema })
    .superRefine((e, ctx) => {
      if ((e.figure === undefined) === (e.detail === undefined)) ctx.addIssue({ code: 'custom', message: 'a report expectation takes exactly one of "figure" and "detail"' })
    })
    .transform((e): Expectation =>
      e.figure !== undefined
        ? { says: e.says, kind: 'report', report: e.report, figure: e.figure, count: e.count }
        : { says: e.says, kind: 'reportDetail', report: e.report, detail: e.detail!, count: e.count }),
} satisfies Record<(typeof EXPECTATION_KINDS)[number], z.ZodType<Expectation>>

export const expectationSchema = z.unknown().transform((raw, ctx): Expectation => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object like {"says": "...", "at": "end", "nodes": {...}, "count": 1}' })
    return z.NEVER
  }
  const kinds = EXPECTATION_KINDS.filter((k) => k in raw)
  if (kinds.length !== 1) {
    const had = kinds.length === 0 ? 'it has none' : `it has ${kinds.join(' and ')}`
    ctx.addIssue({ code: 'custom', message: `needs exactly one kind field of ${EXPECTATION_KINDS.join(', ')} (${had})` })
    return z.NEVER
  }
  const parsed = KIND_SCHEMAS[kinds[0]!].safeParse(raw, { error: zodMessage })
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as never)
  return z.NEVER
})

// `from` and `to` may sit inside `on` or beside it on the caption.
const matchTrigger = z.union([
  z.strictObject({ event: record, ...window }),
  z.strictObject({ view: record.optional(), node: z.string().optional(), status: status.optional(), ...window }).refine((m) => m.view !== undefined || m.status !== undefined, 'needs "view" or "status"'),
], { error: 'must be {"event": {...}} or {"view": {...}, "node": "n1"}, with optional "from" and "to"' })

export const captionSchema = z
  .strictObject({ text: z.string().min(1), at: durationText.optional(), on: matchTrigger.optional(), ...window })
  .superRefine((c, ctx) => {
    if ((c.at === undefined) === (c.on === undefined)) ctx.addIssue({ code: 'custom', message: 'a caption takes exactly one of "at" and "on"' })
    if (c.at !== undefined && (c.from !== undefined || c.to !== undefined)) ctx.addIssue({ code: 'custom', message: '"from" and "to" go with "on", not "at"' })
  })
  .transform((c): Caption => {
    if (c.at !== undefined) return { text: c.text, trigger: { kind: 'at', atUs: c.at } }
    const { from, to, ...on } = c.on!
    const w = toWindow({ from: from ?? c.from, to: to ?? c.to })
    if ('event' in on) return { text: c.text, trigger: { kind: 'event', window: w, match: on.event } }
    return { text: c.text, trigger: { kind: 'view', window: w, match: withoutUndefined(on) } }
  })

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
