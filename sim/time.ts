/**
 * Simulated time. All engine time is an integer count of microseconds so that
 * ordering never suffers from float drift; helpers here turn human durations
 * ("500ms", "10s", "2m") into microseconds and back, losslessly.
 */
export type Micros = number

export const US_PER_MS = 1_000
export const US_PER_S = 1_000_000

const UNIT_US: Record<string, number> = {
  us: 1,
  ms: US_PER_MS,
  s: US_PER_S,
  m: 60 * US_PER_S,
  h: 3600 * US_PER_S,
}

const DURATION_RE = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/

/** Thrown for any malformed user input; the CLI turns it into one line and exit code 2. */
export class InputError extends Error {
  override name = 'InputError'
}

/** Parses "250us", "500ms", "1.5s", "2m", "1h" into integer microseconds. */
export function parseDuration(text: string, what = 'duration'): Micros {
  const match = DURATION_RE.exec(text.trim())
  if (!match) {
    throw new InputError(`bad ${what} '${text}': expected a number with a unit (us, ms, s, m, h), like 500ms or 10s`)
  }
  const us = Number(match[1]) * UNIT_US[match[2]!]!
  if (!Number.isFinite(us) || us > Number.MAX_SAFE_INTEGER) {
    throw new InputError(`bad ${what} '${text}': too large`)
  }
  return Math.round(us)
}

/** Formats microseconds with the largest unit that keeps it exact: 2_000_000 -> "2s", 1500 -> "1500us" is never produced: 1500 -> "1.5ms". */
export function formatDuration(us: Micros): string {
  if (!Number.isInteger(us) || us < 0) throw new RangeError(`not a duration in microseconds: ${us}`)
  if (us === 0) return '0ms'
  for (const unit of ['h', 'm', 's', 'ms'] as const) {
    const size = UNIT_US[unit]!
    if (us % size === 0) return `${us / size}${unit}`
  }
  // Not a whole number of milliseconds: keep three decimals of ms (exact, since us is an integer).
  return `${(us / US_PER_MS).toFixed(3).replace(/0+$/, '')}ms`
}

/** Human-readable time of day in the simulation: "12.345678s". */
export function formatClock(us: Micros): string {
  const sign = us < 0 ? '-' : ''
  const abs = Math.abs(us)
  return `${sign}${Math.floor(abs / US_PER_S)}.${String(abs % US_PER_S).padStart(6, '0')}s`
}
