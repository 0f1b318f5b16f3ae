/**
 * The two wording helpers every user-facing message goes through. The CLI promises one line per
 * error: `quote` shows a value the user wrote (short, escaped, never spanning lines) and
 * `oneLine` flattens a whole message that may carry a path or an underlying error's text.
 */

const MAX_QUOTED_CHARS = 40

/**
 * Characters a terminal would not show as themselves: C0 and C1 controls, DEL, line and
 * paragraph separators, zero-width and bidirectional formatting marks, the BOM. JSON.stringify
 * escapes only the C0 controls, so the rest are escaped here.
 */
const INVISIBLE = /[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/**
 * A value as a message shows it: `'n9'` for a short plain string (printable ASCII), JSON for
 * anything else (`5`, `"a\nb"`, `{"type":"x"}`), `undefined` and the like as themselves.
 * Invisible characters are escaped and anything longer than 40 characters is cut with "...",
 * so the result is always one short line. It never throws (BigInt, cycles, odd objects).
 */
export function quote(value: unknown): string {
  const text = typeof value === 'string' && /^[\x20-\x7e]*$/.test(value) ? `'${value}'` : jsonOf(value)
  const visible = text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return visible.length > MAX_QUOTED_CHARS ? `${cutAt(visible, MAX_QUOTED_CHARS)}...` : visible
}

/** The JSON text, else String(value), else its tag: JSON.stringify throws on BigInt and cycles. */
function jsonOf(value: unknown): string {
  try {
    const json = JSON.stringify(value) as string | undefined
    if (json !== undefined) return json
  } catch {
    // fall through to String
  }
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** The first `max` UTF-16 units, one fewer when that would split a surrogate pair. */
function cutAt(text: string, max: number): string {
  const last = text.charCodeAt(max - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max)
}

/**
 * The text on one line: every run of line breaks (CR, LF, VT, FF, NEL, U+2028, U+2029), with the
 * whitespace around it, becomes a single space. Other text is left exactly as it was.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\n\v\f\r\x85\u2028\u2029]+\s*/g, ' ')
}
