/**
 * The flipped form of an expectation: one that must fail on any run where the original holds.
 * The scenario tests check each flipped expectation fails, so an expectation that could never
 * fail (a count of "at least 0", a field that matches anything) is caught as a scenario bug.
 */
import type { Count, Expectation, NodeMatch } from './types.ts'

export function flip(e: Expectation): Expectation {
  const says = `NOT: ${e.says}`
  switch (e.kind) {
    case 'view':
      return { ...e, says, match: flipMatch(e.match) as NodeMatch & { node: string } }
    case 'sequence':
      // The first matches in the opposite order: impossible when the original order held.
      return { ...e, says, steps: [...e.steps].reverse() }
    case 'violation':
      return e.invariant === null ? { says, kind: 'violation', invariant: true } : { says, kind: 'violation', invariant: null }
    default:
      return { ...e, says, count: flipCount(e.count) }
  }
}

/** A count that excludes every number the original allows. */
export function flipCount(c: Count): Count {
  if ('exactly' in c) return c.exactly === 0 ? { atLeast: 1 } : { exactly: c.exactly + 1 }
  if ('atLeast' in c) return { atMost: c.atLeast - 1 }
  if ('atMost' in c) return { atLeast: c.atMost + 1 }
  return { atLeast: c.between[1] + 1 }
}

/** The same match with one expected value changed: its status, else its first view field. */
function flipMatch(m: NodeMatch): NodeMatch {
  if (m.status !== undefined) return { ...m, status: m.status === 'up' ? 'crashed' : 'up' }
  const [key, value] = Object.entries(m.view ?? {})[0] ?? []
  if (key === undefined) return { ...m, status: 'crashed' }
  return { ...m, view: { ...m.view, [key]: otherValue(value) } }
}

function otherValue(value: unknown): unknown {
  if (typeof value === 'number') return value + 1
  if (typeof value === 'boolean') return !value
  if (typeof value === 'string') return `${value}~`
  if (value === null) return 'not null'
  if (Array.isArray(value)) return [...value, 'extra']
  return { ...(value as object), '~': true }
}
