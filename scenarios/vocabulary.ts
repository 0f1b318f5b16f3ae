/**
 * A guard against expectations that hold because they name nothing: a count of 0 notes of kind
 * "vote-granted" holds just as well when the protocol's note is called "vote granted". Every
 * event type and field, message type, note kind, command, operation and view field that a
 * scenario's expectations and captions name must occur in some variant's run of it (or, for
 * types and fields, in the trace format); every node or client named must exist.
 */
import { EVENT_FIELDS } from '../sim/trace/fields.ts'
import type { TraceEvent } from '../sim/trace/events.ts'
import { quote } from '../sim/text.ts'
import type { VariantRun } from './run.ts'
import type { Caption, Expectation, NodeMatch, Scenario } from './types.ts'

interface Seen {
  mtypes: Set<string>
  kinds: Set<string>
  viewFields: Set<string>
  ops: Set<string>
  commands: Set<string>
  actors: Set<string>
}

const EVENT_TYPES = new Set(Object.keys(EVENT_FIELDS))
const COMMON_FIELDS = ['i', 't', 'type']

export function vocabularyProblems(s: Scenario, runs: readonly VariantRun[]): string[] {
  const seen = collect(s, runs)
  const problems: string[] = []
  const expectations = [...s.expect, ...s.variants.flatMap((v) => v.expect)]
  const captions = [...s.captions, ...s.variants.flatMap((v) => v.captions)]
  for (const e of expectations) for (const p of expectationProblems(e, seen)) problems.push(`expectation ${quote(e.says)}: ${p}`)
  for (const c of captions) for (const p of captionProblems(c, seen)) problems.push(`caption ${quote(c.text.slice(0, 40))}: ${p}`)
  return [...new Set(problems)]
}

function collect(s: Scenario, runs: readonly VariantRun[]): Seen {
  const seen: Seen = { mtypes: new Set(), kinds: new Set(), viewFields: new Set(['status']), ops: new Set(), commands: new Set(), actors: new Set(['nemesis', ...s.nodes]) }
  for (const run of runs) {
    for (const id of run.trace.header.clients) seen.actors.add(id)
    for (const e of run.trace.events) see(seen, e)
  }
  return seen
}

function see(seen: Seen, e: TraceEvent): void {
  if ('mtype' in e) seen.mtypes.add(e.mtype)
  if (e.type === 'note') seen.kinds.add(e.kind)
  if (e.type === 'invoke') seen.ops.add(e.f)
  if (e.type === 'command') seen.commands.add(e.command.type)
  if (e.type === 'view') for (const key of Object.keys({ ...e.view, ...e.changes })) seen.viewFields.add(key)
}

function expectationProblems(e: Expectation, seen: Seen): string[] {
  switch (e.kind) {
    case 'view':
    case 'nodes':
    case 'nodesEver':
      return nodeMatchProblems(e.match, seen)
    case 'events':
      return eventMatchProblems(e.match, seen)
    case 'sequence':
      return e.steps.flatMap((step) => eventMatchProblems(step, seen))
    case 'ops': {
      const out: string[] = []
      if (e.match.f !== undefined && !seen.ops.has(e.match.f)) out.push(`no client invokes ${quote(e.match.f)} in any run`)
      if (e.match.client !== undefined && !seen.actors.has(e.match.client)) out.push(`no client ${quote(e.match.client)}`)
      return out
    }
    default:
      return []
  }
}

function captionProblems(c: Caption, seen: Seen): string[] {
  if (c.trigger.kind === 'event') return eventMatchProblems(c.trigger.match, seen)
  if (c.trigger.kind === 'view') return nodeMatchProblems(c.trigger.match, seen)
  return []
}

function nodeMatchProblems(m: NodeMatch, seen: Seen): string[] {
  return Object.keys(m.view ?? {}).filter((key) => !seen.viewFields.has(key)).map((key) => `no node's view has a field ${quote(key)} in any run`)
}

function eventMatchProblems(m: Record<string, unknown>, seen: Seen): string[] {
  const out: string[] = []
  const type = m.type
  if (type !== undefined && (typeof type !== 'string' || !EVENT_TYPES.has(type))) return [`no event type ${quote(type)} (types: ${[...EVENT_TYPES].join(', ')})`]
  const fields = type === undefined ? new Set(Object.values(EVENT_FIELDS).flatMap((t) => Object.keys(t))) : new Set(Object.keys(EVENT_FIELDS[type as keyof typeof EVENT_FIELDS]))
  for (const key of Object.keys(m)) {
    if (COMMON_FIELDS.includes(key) || fields.has(key) || fields.has(`${key}?`)) continue
    out.push(`${type === undefined ? 'no event' : `a ${type} event`} has no field ${quote(key)}`)
  }
  const named = (value: unknown, set: Set<string>, what: string) => {
    if (typeof value === 'string' && !set.has(value)) out.push(`no ${what} ${quote(value)} in any run`)
  }
  named(m.mtype, seen.mtypes, 'message type')
  named(m.kind, seen.kinds, 'note kind')
  named(m.f, seen.ops, 'client operation')
  for (const key of ['node', 'from', 'to', 'client']) named(m[key], seen.actors, 'node or client')
  if (typeof m.command === 'object' && m.command !== null) named((m.command as { type?: unknown }).type, seen.commands, 'command')
  return out
}
