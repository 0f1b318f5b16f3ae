/**
 * Seeds are unsigned integers below 2^53, printed everywhere in one form: lower-case hex
 * with a 0x prefix. Input may be hex (0x...) or decimal.
 */
import { InputError } from './time.ts'

export type Seed = number

export function parseSeed(text: string): Seed {
  const trimmed = text.trim()
  const value = /^0x[0-9a-f]+$/i.test(trimmed)
    ? Number.parseInt(trimmed.slice(2), 16)
    : /^\d+$/.test(trimmed)
      ? Number(trimmed)
      : Number.NaN
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InputError(`bad seed '${text}': expected a non-negative integer below 2^53, in hex (0x1f) or decimal`)
  }
  return value
}

export function formatSeed(seed: Seed): string {
  return `0x${seed.toString(16)}`
}
