/**
 * Checks that a JSON value starts at a position of a text, without building it: the open of
 * a large trace proves each message payload is valid JSON this way, about twice as fast as
 * JSON.parse and with nothing to collect afterwards (the payload is parsed when shown).
 * Follows RFC 8259's grammar exactly; no whitespace is skipped before the value.
 */

/** Nesting deeper than this is refused (JSON.parse would take it; no trace payload comes near). */
const DEPTH_MAX = 256

const QUOTE = 0x22
const BACKSLASH = 0x5c
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39
const COMMA = 0x2c
const COLON = 0x3a

/** The index just past the JSON value starting at `pos`, or -1 when no valid value starts there. */
export function skipJsonValue(text: string, pos: number): number {
  return skipValue(text, pos, 0)
}

function skipValue(text: string, pos: number, depth: number): number {
  const c = text.charCodeAt(pos)
  if (c === QUOTE) return skipString(text, pos)
  if (c === 0x7b) return skipObject(text, pos, depth)
  if (c === 0x5b) return skipArray(text, pos, depth)
  if (c === MINUS || isDigit(c)) return skipNumber(text, pos)
  if (c === 0x74) return text.startsWith('true', pos) ? pos + 4 : -1
  if (c === 0x66) return text.startsWith('false', pos) ? pos + 5 : -1
  if (c === 0x6e) return text.startsWith('null', pos) ? pos + 4 : -1
  return -1
}

/** A string from its opening quote: no raw control characters, only JSON's escapes. */
function skipString(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== QUOTE) return -1
  for (let p = pos + 1; p < text.length; p++) {
    const c = text.charCodeAt(p)
    if (c === QUOTE) return p + 1
    if (c < 0x20) return -1
    if (c !== BACKSLASH) continue
    const e = text.charCodeAt(++p)
    if (e === 0x75) {
      for (let k = 1; k <= 4; k++) if (!isHex(text.charCodeAt(p + k))) return -1
      p += 4
    } else if (!isEscape(e)) return -1
  }
  return -1
}

function skipNumber(text: string, pos: number): number {
  let p = text.charCodeAt(pos) === MINUS ? pos + 1 : pos
  const first = text.charCodeAt(p)
  if (first === ZERO) p++
  else if (isDigit(first)) p = skipDigits(text, p)
  else return -1
  if (text.charCodeAt(p) === DOT) {
    if (!isDigit(text.charCodeAt(p + 1))) return -1
    p = skipDigits(text, p + 1)
  }
  const e = text.charCodeAt(p)
  if (e === 0x65 || e === 0x45) {
    p++
    const sign = text.charCodeAt(p)
    if (sign === PLUS || sign === MINUS) p++
    if (!isDigit(text.charCodeAt(p))) return -1
    p = skipDigits(text, p)
  }
  return p
}

function skipObject(text: string, pos: number, depth: number): number {
  if (depth >= DEPTH_MAX) return -1
  let p = skipSpace(text, pos + 1)
  if (text.charCodeAt(p) === 0x7d) return p + 1
  for (;;) {
    p = skipString(text, p)
    if (p < 0) return -1
    p = skipSpace(text, p)
    if (text.charCodeAt(p) !== COLON) return -1
    p = skipValue(text, skipSpace(text, p + 1), depth + 1)
    if (p < 0) return -1
    p = skipSpace(text, p)
    const c = text.charCodeAt(p)
    if (c === 0x7d) return p + 1
    if (c !== COMMA) return -1
    p = skipSpace(text, p + 1)
  }
}

function skipArray(text: string, pos: number, depth: number): number {
  if (depth >= DEPTH_MAX) return -1
  let p = skipSpace(text, pos + 1)
  if (text.charCodeAt(p) === 0x5d) return p + 1
  for (;;) {
    p = skipValue(text, p, depth + 1)
    if (p < 0) return -1
    p = skipSpace(text, p)
    const c = text.charCodeAt(p)
    if (c === 0x5d) return p + 1
    if (c !== COMMA) return -1
    p = skipSpace(text, p + 1)
  }
}

function skipDigits(text: string, p: number): number {
  while (isDigit(text.charCodeAt(p))) p++
  return p
}

function skipSpace(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p)
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return p
    p++
  }
}

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
/** The characters allowed after a backslash, other than u: " \ / b f n r t. */
const isEscape = (c: number): boolean => c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74
