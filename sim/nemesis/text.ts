/**
 * Small wording helpers for one-line error messages and step descriptions. Every value a user
 * wrote is quoted through `quote` (in sim/text.ts, shared with the trace code), so a stray
 * newline or a huge string can never break the "one line per error" promise the CLI makes.
 */

/** "a", "a or b", "a, b or c". */
export function listWords(words: readonly string[], last = 'or'): string {
  if (words.length <= 1) return words.join('')
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`
}

const MAX_LISTED_NODES = 12

/** "n1..n5" when the ids are a numbered run, else the ids themselves: short enough for an error line. */
export function describeNodes(nodes: readonly string[]): string {
  if (nodes.length === 0) return 'none'
  if (isNumberedRun(nodes)) return `${nodes[0]}..${nodes[nodes.length - 1]}`
  if (nodes.length <= MAX_LISTED_NODES) return nodes.join(', ')
  return `${nodes.slice(0, MAX_LISTED_NODES).join(', ')}, ... (${nodes.length} in all)`
}

function isNumberedRun(nodes: readonly string[]): boolean {
  if (nodes.length < 3) return false
  const parts = nodes.map((id) => /^(.*?)(0|[1-9]\d*)$/.exec(id))
  const prefix = parts[0]?.[1]
  return parts.every((m, i) => m !== null && m[1] === prefix && Number(m[2]) === Number(parts[0]![2]) + i)
}
