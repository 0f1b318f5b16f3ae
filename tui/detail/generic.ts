/**
 * The fallback detail: every field of a node's view as key and value. Protocol panes use it
 * too, for the fields they do not lay out themselves, so no field of a view is ever hidden.
 */
import type { NodeView } from '../../sim/protocol.ts'
import { compact, type Line, seg } from '../text.ts'

export function fieldLines(view: NodeView, skip: ReadonlySet<string> = new Set(), valueChars = 200): Line[] {
  const keys = Object.keys(view).filter((k) => !skip.has(k))
  const keyWidth = Math.min(18, Math.max(4, ...keys.map((k) => k.length)))
  return keys.map((k) => [seg(`${k.padEnd(keyWidth)} `, { color: 'gray' }), seg(compact(view[k], valueChars))])
}

export function genericDetail(view: NodeView): Line[] {
  return fieldLines(view)
}

/** A label and value pair for a summary line: `term 3`. */
export function pair(label: string, value: unknown): Line {
  return [seg(`${label} `, { color: 'gray' }), seg(value === undefined ? '-' : compact(value, 40), { bold: true }), seg('  ')]
}
