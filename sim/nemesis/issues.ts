/**
 * Turns zod issues into the one-line messages users see ("plan steps[3].loss: must be a
 * probability between 0 and 1"). Schemas give their own wording where it matters; this map
 * covers what zod raises by itself (missing fields, wrong types, unknown fields).
 */
import type { z } from 'zod'
import { ACTION_FIELDS } from './schema.ts'
import { quote } from '../text.ts'
import { listWords } from './text.ts'
import type { ActionName } from './types.ts'

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  array: 'a list',
  object: 'an object',
  tuple: 'a list',
  boolean: 'true or false',
}

type RawIssue = z.core.$ZodRawIssue

/** The per-parse error map for a step of `action`; undefined falls back to zod's own wording. */
export function stepErrorMap(action: ActionName): (issue: RawIssue) => string | undefined {
  return (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined ? `required for ${action}` : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`
      case 'unrecognized_keys': {
        const fields = listWords(['at', 'do', ...ACTION_FIELDS[action]], 'and')
        const plural = issue.keys.length > 1 ? 's' : ''
        return `unknown field${plural} ${issue.keys.map(quote).join(', ')} (${action} takes ${fields})`
      }
      case 'too_small':
        return issue.origin === 'array' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`
      case 'too_big':
        return issue.origin === 'array' ? `must have at most ${String(issue.maximum)} items` : `must be at most ${String(issue.maximum)}`
      case 'invalid_value':
        return `must be ${listWords(issue.values.map((v) => JSON.stringify(v) ?? String(v)))}`
      default:
        return undefined
    }
  }
}

/** "steps[2].groups[1][0]" from a base place and a zod path. */
export function placeOf(base: string, path: readonly PropertyKey[]): string {
  let place = base
  for (const key of path) {
    if (typeof key === 'number') place += `[${key}]`
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) place += `.${key}`
    else place += `[${JSON.stringify(String(key))}]`
  }
  return place
}
