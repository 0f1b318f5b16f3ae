/**
 * What a well-formed trace line holds: for the header, the footer and each event type, the
 * required (and optional, marked "name?") fields and the kind of value each must have.
 * A table of tiny checks rather than a schema library, because a million-event trace must
 * parse in well under a second or two. The tables are typed against events.ts, so a field
 * added there does not compile until it is described here too.
 */
import { quote } from './errors.ts'
import type { DropReason, EventOf, NodeStatus, StopReason, TraceEventType, TraceFooter, TraceHeader } from './events.ts'

/** What the checks may consult: the header's nodes and clients. */
export interface CheckContext {
  nodes: ReadonlySet<string>
  clients: ReadonlySet<string>
}

export interface Kind {
  /** For messages: "field 'id' must be <what>". */
  readonly what: string
  test(value: unknown, ctx: CheckContext): boolean
}

/** For kinds that do not look at the header. */
const NO_CONTEXT: CheckContext = { nodes: new Set(), clients: new Set() }

const kind = (what: string, test: (value: unknown, ctx: CheckContext) => boolean): Kind => ({ what, test })

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isStringPair = (v: unknown): boolean => Array.isArray(v) && v.length === 2 && isString(v[0]) && isString(v[1])
const isView = (v: unknown): boolean => isObject(v) && isString(v.role)

export const INT = kind('an integer', (v) => Number.isSafeInteger(v))
const COUNT = kind('an integer >= 0', (v) => Number.isSafeInteger(v) && (v as number) >= 0)
const NUM = kind('a finite number', (v) => typeof v === 'number' && Number.isFinite(v))
const STR = kind('a string', isString)
const STR_OR_NULL = kind('a string or null', (v) => v === null || isString(v))
const OBJ = kind('an object', isObject)
const ARR = kind('an array', Array.isArray)
const ANY = kind('a JSON value', () => true)
const NODE = kind('a node id from the header', (v, ctx) => isString(v) && ctx.nodes.has(v))
/** Who acted, where no node state hangs on it: a node, a client, or the engine's 'nemesis'. */
const ACTOR = STR
const CLIENT = kind('a client id from the header', (v, ctx) => isString(v) && ctx.clients.has(v))
const VIEW = kind("a view (an object with a string 'role')", isView)
const STRINGS = kind('a list of strings', (v) => Array.isArray(v) && v.every(isString))
const GROUPS = kind('null or a list of lists of node ids', (v) => v === null || (Array.isArray(v) && v.every((g) => Array.isArray(g) && g.every(isString))))
const LINKS = kind('a list of [from, to] pairs', (v) => Array.isArray(v) && v.every(isStringPair))
const HASH = kind("'sha256:' and 64 hex digits", (v) => isString(v) && /^sha256:[0-9a-f]{64}$/.test(v))

/** Node ids key records in the viewer and the timeline, so they must be distinct plain names. */
const NODE_IDS = kind('a list of distinct, non-empty node ids', (v) => distinctNames(v))
const CLIENT_IDS = kind('a list of distinct, non-empty client ids', (v) => distinctNames(v))

function distinctNames(v: unknown): boolean {
  if (!Array.isArray(v) || !v.every((id) => isString(id) && id !== '' && id !== '__proto__')) return false
  return new Set(v).size === v.length
}

/** Checks exhaustiveness at compile time: a Record over the union must name every member. */
function oneOf<T extends string>(members: Record<T, true>): Kind {
  const names = Object.keys(members)
  return kind(`one of ${names.join(', ')}`, (v) => isString(v) && Object.hasOwn(members, v))
}

export const DROP_REASONS: Record<DropReason, true> = { loss: true, partition: true, 'node-down': true, restarted: true }
export const STOP_REASONS: Record<StopReason, true> = { time: true, events: true, predicate: true, violation: true, 'node-error': true, budget: true, idle: true }
export const NODE_STATUSES: Record<NodeStatus, true> = { up: true, crashed: true, paused: true }
const STATUS = oneOf(NODE_STATUSES)

/** Every header node, and no other, maps to a value of the given kind. */
const perNode = (what: string, test: (v: unknown) => boolean): Kind =>
  kind(`an object giving every node ${what}`, (v, ctx) => {
    if (!isObject(v)) return false
    const keys = Object.keys(v)
    return keys.length === ctx.nodes.size && keys.every((node) => ctx.nodes.has(node) && test(v[node]))
  })

const STATUS_MAP = perNode('its status (up, crashed, paused)', (s) => STATUS.test(s, NO_CONTEXT))
const VIEW_MAP = perNode('a view or null', (view) => view === null || isView(view))
const CUT = kind('null or { description, groups, blocked }', (v) => v === null || (isObject(v) && isString(v.description) && GROUPS.test(v.groups, NO_CONTEXT) && LINKS.test(v.blocked, NO_CONTEXT)))
const IN_FLIGHT = kind('a list of { id, from, to, mtype, due }', (v) => Array.isArray(v) && v.every(isInFlight))

function isInFlight(m: unknown): boolean {
  return isObject(m) && Number.isSafeInteger(m.id) && isString(m.from) && isString(m.to) && isString(m.mtype) && Number.isSafeInteger(m.due)
}

/** A field table for one line type: its own keys (optional ones as "name?") to kinds. */
type Table<T> = {
  [F in Exclude<keyof T, 'type' | 'i' | 't'> & string as {} extends Pick<T, F> ? `${F}?` : F]-?: Kind
}

export const HEADER_FIELDS: Table<TraceHeader> = {
  format: STR,
  version: INT,
  seed: STR,
  protocol: STR,
  mutant: STR_OR_NULL,
  nodes: NODE_IDS,
  clients: CLIENT_IDS,
  config: OBJ,
  plan: ARR,
  checkpointEvery: COUNT,
}

export const FOOTER_FIELDS: Table<TraceFooter> = {
  events: COUNT,
  endTimeUs: COUNT,
  stoppedBy: oneOf(STOP_REASONS),
  hash: HASH,
}

const STEP = { 'step?': INT }

export const EVENT_FIELDS: { [K in TraceEventType]: Table<EventOf<K>> } = {
  send: { id: INT, from: STR, to: STR, mtype: STR, msg: ANY, due: INT },
  deliver: { id: INT, from: STR, to: STR, mtype: STR },
  drop: { id: INT, from: STR, to: STR, mtype: STR, reason: oneOf(DROP_REASONS) },
  duplicate: { id: INT, copy: INT, from: STR, to: STR, due: INT },
  timer: { node: ACTOR, name: STR, timer: INT },
  crash: { node: NODE, lostWrites: COUNT, ...STEP },
  restart: { node: NODE, ...STEP },
  pause: { node: NODE, ...STEP },
  resume: { node: NODE, ...STEP },
  partition: { description: STR, groups: GROUPS, blocked: LINKS, ...STEP },
  network: { change: OBJ, ...STEP },
  clock: { node: NODE, offsetUs: INT, driftPpm: NUM, ...STEP },
  invoke: { client: CLIENT, op: INT, f: STR, 'key?': STR, 'value?': ANY },
  complete: { client: CLIENT, op: INT, f: STR, outcome: oneOf({ ok: true, fail: true, info: true }), 'value?': ANY, 'error?': STR },
  view: { node: NODE, 'view?': VIEW, 'changes?': OBJ, 'removed?': STRINGS },
  note: { node: ACTOR, kind: STR, 'data?': OBJ },
  command: { node: NODE, command: OBJ, ...STEP },
  violation: { invariant: STR, message: STR, cause: INT },
  'node-error': { node: ACTOR, message: STR, cause: INT },
  checkpoint: { status: STATUS_MAP, views: VIEW_MAP, partition: CUT, inFlight: IN_FLIGHT },
}

export interface Field {
  name: string
  optional: boolean
  kind: Kind
}

/** The tables as arrays, built once, so checking a line is a plain loop. */
export function compile(table: Record<string, Kind>): Field[] {
  return Object.entries(table).map(([key, k]) => {
    const optional = key.endsWith('?')
    return { name: optional ? key.slice(0, -1) : key, optional, kind: k }
  })
}

/** Null when `obj` has every field of `fields` with the right kind, else what is wrong. */
export function fieldProblem(obj: Record<string, unknown>, fields: readonly Field[], what: string, ctx: CheckContext): string | null {
  for (const field of fields) {
    const value = obj[field.name]
    if (value === undefined) {
      if (field.optional) continue
      return `${what} is missing field '${field.name}'`
    }
    if (!field.kind.test(value, ctx)) return `${what} field '${field.name}' must be ${field.kind.what}, got ${describe(value)}`
  }
  return null
}

/** A value as a message shows it: strings and numbers themselves, larger things by kind. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'string') return quote(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
