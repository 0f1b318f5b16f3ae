/**
 * Styled text lines: the one currency between the pure selectors and both renderers. The
 * ink app paints each segment with its colour; the frames renderer keeps only the text.
 * Widths count UTF-16 units; every glyph the viewer uses is one terminal column wide.
 */
export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'white'

export interface Segment {
  text: string
  color?: Color
  bold?: boolean
  inverse?: boolean
}

export type Line = Segment[]
export type Style = Omit<Segment, 'text'>

export const seg = (text: string, style: Style = {}): Segment => ({ text, ...style })
export const line = (text: string, style: Style = {}): Line => [seg(text, style)]

export function lineText(l: Line): string {
  let text = ''
  for (const s of l) text += s.text
  return text
}

/** Cuts the line to exactly `width` columns: an ellipsis marks a cut, spaces pad a short line. */
export function fit(l: Line, width: number): Line {
  const out: Line = []
  let used = 0
  const total = l.reduce((n, s) => n + s.text.length, 0)
  const room = total > width ? width - 1 : width
  for (const s of l) {
    if (used >= room) break
    const text = s.text.slice(0, room - used)
    if (text.length > 0) out.push({ ...s, text })
    used += text.length
  }
  if (total > width && width > 0) out.push(seg('…', { color: 'gray' }))
  else if (used < width) out.push(seg(' '.repeat(width - used)))
  return out
}

/** Exactly `height` lines: the first ones, then blank ones. */
export function block(lines: Line[], height: number): Line[] {
  const out = lines.slice(0, Math.max(0, height))
  while (out.length < height) out.push([])
  return out
}

/** Two columns side by side, each fitted to its width, with a separator between them. */
export function sideBySide(left: Line[], leftWidth: number, right: Line[], rightWidth: number, height: number): Line[] {
  const l = block(left, height)
  const r = block(right, height)
  return l.map((row, i) => [...fit(row, leftWidth), seg('│', { color: 'gray' }), ...fit(r[i]!, rightWidth)])
}

/** A pane title rule: `── Cluster ─────`, inverse when the pane has the focus. */
export function title(name: string, width: number, focused: boolean, extra = ''): Line {
  const label = ` ${name}${extra ? ` · ${extra}` : ''} `
  const rest = Math.max(0, width - label.length - 2)
  return [seg('──', { color: 'gray' }), seg(label, focused ? { inverse: true, bold: true } : { bold: true }), seg('─'.repeat(rest), { color: 'gray' })]
}

/** Shows `rows` lines starting near `offset`, clamped so the window stays inside the content. */
export function windowAt<T>(items: readonly T[], offset: number, rows: number): { items: T[]; offset: number } {
  const max = Math.max(0, items.length - rows)
  const start = Math.min(Math.max(0, offset), max)
  return { items: items.slice(start, start + rows), offset: start }
}

/** Microseconds as a short human duration: 850us, 4.5ms, 1.25s. */
export function shortDuration(us: number): string {
  const abs = Math.abs(us)
  if (abs < 1000) return `${us}us`
  if (abs < 1_000_000) return `${trim(us / 1000)}ms`
  return `${trim(us / 1_000_000)}s`
}

function trim(x: number): string {
  return String(Number(x.toFixed(x >= 100 || x <= -100 ? 0 : 2)))
}

/** A compact rendering of any JSON value, for key/value panes and log lines. */
export function compact(value: unknown, maxChars = 60): string {
  return clip(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value), maxChars)
}

/** The text, cut to `maxChars` with an ellipsis when longer. */
export function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text
}

/**
 * Word-wrapped lines of `text`: the first `firstWidth` columns wide, the others `width`. A
 * word longer than a line is cut across lines. Runs of white space count as one space.
 */
export function wrapText(text: string, firstWidth: number, width: number): string[] {
  const lines: string[] = []
  let current = ''
  const room = () => Math.max(1, lines.length === 0 ? firstWidth : width)
  for (let word of text.split(/\s+/).filter((w) => w !== '')) {
    for (;;) {
      const joined = current === '' ? word : `${current} ${word}`
      if (joined.length <= room()) {
        current = joined
        break
      }
      if (current !== '') {
        lines.push(current)
        current = ''
        continue
      }
      // A word wider than a whole line: as much as fits, the rest on the next line.
      const cut = room()
      lines.push(word.slice(0, cut))
      word = word.slice(cut)
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current)
  return lines
}

/** At most `max` lines, the last ending in an ellipsis when some were left off (it stays within `lastWidth`). */
export function firstLines(lines: string[], max: number, lastWidth: number): string[] {
  if (lines.length <= max) return lines
  const kept = lines.slice(0, max)
  kept[max - 1] = `${kept[max - 1]!.slice(0, Math.max(0, lastWidth - 1))}…`
  return kept
}
