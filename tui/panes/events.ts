/**
 * One line per trace event, for the event log, search and text frames; and the log's
 * filters (by node, by type group, by search text).
 */
import { formatClock } from '../../sim/time.ts'
import type { TraceEvent, TraceEventType } from '../../sim/trace/events.ts'
import { fastFields, noteOrViewFields } from '../../sim/trace/fast-lines.ts'
import { clip, type Color, compact, shortDuration } from '../text.ts'

/** The type groups the `y` key cycles through; null is "all". */
export const TYPE_GROUPS: Record<string, readonly TraceEventType[]> = {
  messages: ['send', 'deliver', 'drop', 'duplicate'],
  timers: ['timer'],
  faults: ['crash', 'restart', 'pause', 'resume', 'partition', 'network', 'clock'],
  views: ['view'],
  notes: ['note', 'command'],
  clients: ['invoke', 'complete'],
  problems: ['violation', 'node-error'],
}
export const TYPE_GROUP_NAMES = Object.keys(TYPE_GROUPS)

export interface LogFilter {
  node: string | null
  typeGroup: string | null
  /** Lowercase search text; empty matches everything. */
  search: string
}

export const NO_FILTER: LogFilter = { node: null, typeGroup: null, search: '' }

export function isFiltered(f: LogFilter): boolean {
  return f.node !== null || f.typeGroup !== null || f.search !== ''
}

export function matches(e: TraceEvent, f: LogFilter): boolean {
  // Checkpoints are bookkeeping for seeking, not something that happened.
  if (e.type === 'checkpoint') return false
  if (f.typeGroup !== null && !TYPE_GROUPS[f.typeGroup]!.includes(e.type)) return false
  if (f.node !== null && !involves(e, f.node)) return false
  return f.search === '' || describeEvent(e).toLowerCase().includes(f.search)
}

function involves(e: TraceEvent, node: string): boolean {
  const fields = e as { node?: string; from?: string; to?: string }
  return fields.node === node || fields.from === node || fields.to === node
}

/** The colour a log line takes from its event type. */
export function eventColor(e: TraceEvent): Color | undefined {
  switch (e.type) {
    case 'drop': return 'red'
    case 'duplicate': return 'magenta'
    case 'crash': case 'violation': case 'node-error': return 'red'
    case 'partition': case 'pause': case 'network': case 'clock': return 'yellow'
    case 'restart': case 'resume': return 'green'
    case 'view': case 'note': case 'command': return 'cyan'
    case 'timer': case 'checkpoint': return 'gray'
    default: return undefined
  }
}

/** `#12 0.004540s n1→n2 ping delivered`: index, time, then what happened. */
export function eventLine(e: TraceEvent): string {
  return `#${e.i} ${formatClock(e.t)} ${describeEvent(e)}`
}

export function describeEvent(e: TraceEvent): string {
  const step = 'step' in e && e.step !== undefined ? ` (plan step ${e.step})` : ''
  switch (e.type) {
    case 'send': return e.due < 0 ? `${e.from}→${e.to} ${e.mtype} sent, lost at once ${compact(e.msg, 40)}` : `${e.from}→${e.to} ${e.mtype} sent, due +${shortDuration(e.due - e.t)} ${compact(e.msg, 40)}`
    case 'deliver': return `${e.from}→${e.to} ${e.mtype} delivered`
    case 'drop': return `✗ ${e.from}→${e.to} ${e.mtype} dropped (${e.reason})`
    case 'duplicate': return `⧉ ${e.from}→${e.to} message ${e.id} duplicated as ${e.copy}`
    case 'timer': return `${e.node} timer ${e.name}`
    case 'crash': return `${e.node} CRASHED${e.lostWrites > 0 ? `, ${e.lostWrites} unsynced writes lost` : ''}${step}`
    case 'restart': return `${e.node} restarted${step}`
    case 'pause': return `${e.node} paused${step}`
    case 'resume': return `${e.node} resumed${step}`
    case 'partition': return e.blocked.length === 0 ? `network healed${step}` : `partition: ${e.description}${step}`
    case 'network': return `network change ${compact(e.change)}${step}`
    case 'clock': return `${e.node} clock offset ${shortDuration(e.offsetUs)} drift ${e.driftPpm}ppm${step}`
    case 'invoke': return `${e.client} invoke ${e.f}${e.key === undefined ? '' : ` ${e.key}`}${e.value === undefined ? '' : `=${compact(e.value, 20)}`} (op ${e.op})`
    case 'complete': return `${e.client} ${e.outcome} ${e.f} (op ${e.op})${e.value === undefined ? '' : ` → ${compact(e.value, 20)}`}${e.error ? ` ${e.error}` : ''}`
    case 'view': return `${e.node} ${e.view ? `view ${compact(e.view, 70)}` : `${compact(e.changes ?? {}, 70)}${e.removed?.length ? ` removed ${e.removed.join(',')}` : ''}`}`
    case 'note': return `${e.node} note ${e.kind}${e.data === undefined ? '' : ` ${compact(e.data, 60)}`}`
    case 'command': return `${e.node} command ${e.command.type}${step}`
    case 'violation': return `VIOLATION ${e.invariant}: ${e.message}`
    case 'node-error': return `NODE ERROR ${e.node}: ${e.message}`
    case 'checkpoint': return 'checkpoint'
  }
}

/**
 * `describeEvent` of the event on a trace line (without its newline), read from the text
 * for the frequent types in the writer's form, so searching a million lines builds no
 * events; null for any other line. A test holds it equal to describeEvent on written lines.
 */
export function describeLine(line: string): string | null {
  const f = fastFields(line)
  if (f === null) return describeNoteOrView(line)
  switch (f.type) {
    case 'deliver': return `${f.a}→${f.b} ${f.c} delivered`
    case 'drop': return `✗ ${f.a}→${f.b} ${f.c} dropped (${f.extra})`
    case 'timer': return `${f.a} timer ${f.b}`
    case 'send':
      // compact() shows a string payload without its quotes: describeEvent does those.
      if (f.extra.startsWith('"')) return null
      return f.due < 0 ? `${f.a}→${f.b} ${f.c} sent, lost at once ${clip(f.extra, 40)}` : `${f.a}→${f.b} ${f.c} sent, due +${shortDuration(f.due - f.t)} ${clip(f.extra, 40)}`
  }
}

/** describeEvent's words for a note, or a view event with a whole view or changes only, from the line. */
function describeNoteOrView(line: string): string | null {
  const f = noteOrViewFields(line)
  if (f === null) return null
  if (f.type === 'note') return `${f.node} note ${f.kind}${f.json === '' ? '' : ` ${clip(f.json, 60)}`}`
  return f.kind === 'view' ? `${f.node} view ${clip(f.json, 70)}` : `${f.node} ${clip(f.json, 70)}`
}
