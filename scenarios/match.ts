/**
 * Matching by example: an expected object matches when every field it names matches
 * (recursively: objects as subsets, everything else by deep equality), so a scenario names
 * only the fields its claim is about (`{ "role": "leader", "term": 2 }`).
 */
import { isDeepStrictEqual } from 'node:util'
import type { NodeStatus } from '../sim/trace/events.ts'
import type { NodeView } from '../sim/protocol.ts'
import type { NodeMatch } from './types.ts'

export function includes(actual: unknown, expected: unknown): boolean {
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false
    for (const [key, value] of Object.entries(expected)) if (!includes(actual[key], value)) return false
    return true
  }
  return isDeepStrictEqual(actual, expected)
}

/** Whether node `id`, with this view and status, is one `match` describes. */
export function nodeMatches(match: NodeMatch, id: string, view: NodeView | null, status: NodeStatus): boolean {
  if (match.node !== undefined && match.node !== id) return false
  if (match.status !== undefined && match.status !== status) return false
  if (match.view !== undefined && (view === null || !includes(view, match.view))) return false
  return true
}

/** The fields of `view` that `expected` names, for "saw role=follower, term=3". */
export function shownFields(view: NodeView | null, expected: Record<string, unknown> | undefined): string {
  if (view === null) return 'no view (down, or not started)'
  if (expected === undefined) return ''
  return Object.keys(expected).map((key) => `${key}=${JSON.stringify(view[key]) ?? 'absent'}`).join(', ')
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
