/**
 * The checker's view of a history: one operation per invoke, with its completion folded in.
 * Positions (`call`, `ret`) are places in the history's order, not clock times: a history
 * lists events in the order they happened, which is all real-time order needs.
 */

export interface Operation {
  /** Dense index from 0 within the list handed to the checker. */
  id: number
  process: string
  f: string
  /** The key for key-value models; undefined for a single register. */
  key: string | undefined
  /** What the invoke carried (the value written, [expected, new] for cas). */
  input: unknown
  /** What an ok completion returned; undefined when the outcome is unknown. */
  output: unknown
  /** False for an operation whose outcome is unknown (info, or never completed): it may take effect any time after `call`, or never. */
  known: boolean
  /** Position of the invoke in the history. */
  call: number
  /** Position of the completion; Infinity when the outcome is unknown. */
  ret: number
}

const READS = new Set(['get', 'read', 'sync-get'])

/** One line for explanations: "c2 put k1 7", "c3 get k1 -> 7", "c1 cas k0 [3,4] (unknown)". */
export function describeOperation(op: Operation): string {
  const parts = [op.process, op.f]
  if (op.key !== undefined) parts.push(op.key)
  const read = READS.has(op.f)
  if (op.input !== undefined && !read) parts.push(JSON.stringify(op.input))
  if (!op.known) parts.push('(unknown outcome)')
  else if (read) parts.push('->', JSON.stringify(op.output ?? null))
  return parts.join(' ')
}

/**
 * A value equal (by Map's SameValueZero) for deep-equal values: primitives stand for
 * themselves, undefined is null, and arrays and objects become a canonical JSON string
 * (behind a NUL, so none equals a plain string value).
 */
export function valueKey(value: unknown): unknown {
  if (value === undefined) return null
  if (value === null || typeof value !== 'object') return value
  return `\u0000${JSON.stringify(sortKeys(value))}`
}

/** Deep equality of JSON values, fast for primitives. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  return valueKey(a) === valueKey(b)
}

/** A canonical string for a value, so equal values (deep) compare equal cheaply. */
export function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return `n${value}`
  if (typeof value === 'string') return `s${value}`
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k])
    return out
  }
  return value
}
