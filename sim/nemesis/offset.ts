/**
 * Clock offsets are signed durations ("-200ms", "+50ms", "0ms"). Plans keep them as strings
 * (so a plan file reads naturally), always in the canonical form formatOffset gives, so two
 * equal plans are equal as data.
 */
import { TextMemo } from '../text-memo.ts'
import { formatDuration, InputError, parseDuration, type Micros } from '../time.ts'
import { quote } from '../text.ts'

const SIGNED_RE = /^([+-]?)([\s\S]*)$/

/** "-200ms" -> -200_000. Throws a one-line InputError. */
export function parseOffset(text: string, what = 'offset'): Micros {
  return parsedOffsets.get(text, () => readOffset(text, what))
}

const parsedOffsets = new TextMemo<Micros>()

function readOffset(text: string, what: string): Micros {
  const [, sign, rest] = SIGNED_RE.exec(text.trim())!
  let magnitudeUs: Micros
  try {
    magnitudeUs = parseDuration(rest!, what)
  } catch {
    throw new InputError(`bad ${what} ${quote(text)}: expected a signed duration like -200ms, +50ms or 0ms`)
  }
  return sign === '-' && magnitudeUs !== 0 ? -magnitudeUs : magnitudeUs
}

/** -200_000 -> "-200ms", 50_000 -> "+50ms", 0 -> "0ms". */
export function formatOffset(us: Micros): string {
  if (us === 0) return '0ms'
  return us < 0 ? `-${formatDuration(-us)}` : `+${formatDuration(us)}`
}

/** The canonical spelling of an offset string. */
export function canonicalOffset(text: string, what = 'offset'): string {
  return formatOffset(parseOffset(text, what))
}
