/**
 * Raft's detail: term and vote, the log as one cell per entry (index:term) with the
 * committed prefix in green and the rest in yellow, commit and applied indexes, the
 * snapshot that replaced the log's start, and on the leader each peer's next and match index
 * (Raft paper, figure 2: nextIndex[] and matchIndex[] are leader state).
 */
import type { NodeView } from '../../sim/protocol.ts'
import { type Line, seg } from '../text.ts'
import { fieldLines, pair } from './generic.ts'

const SHOWN = new Set(['role', 'leads', 'term', 'votedFor', 'leader', 'log', 'logOffset', 'logFrom', 'logTerms', 'lastIndex', 'commitIndex', 'lastApplied', 'snapshotIndex', 'snapshotTerm', 'nextIndex', 'matchIndex'])

export function raftDetail(view: NodeView, width: number): Line[] {
  const commit = num(view.commitIndex)
  const lines: Line[] = [
    [...pair('term', view.term), ...pair('votedFor', view.votedFor ?? 'none'), ...pair('leader', view.leader ?? 'none')],
    [...pair('commit', view.commitIndex), ...pair('applied', view.lastApplied), ...pair('snapshot', view.snapshotIndex ?? 0)],
    ...logLines(view, commit, width),
    ...progressLines(view),
    ...fieldLines(view, SHOWN),
  ]
  return lines
}

/**
 * The log as the view gives it: our Raft shows the terms of its newest entries (`logTerms`,
 * the first at index `logFrom`, `lastIndex` the newest); a log of entries (`log`, after
 * `logOffset` or `snapshotIndex`) is read too.
 */
function logOf(view: NodeView): { terms: unknown[]; first: number; last: number; snapshot: number } {
  const snapshot = num(view.snapshotIndex) ?? 0
  if (Array.isArray(view.logTerms)) {
    const first = num(view.logFrom) ?? snapshot + 1
    return { terms: view.logTerms, first, last: num(view.lastIndex) ?? first + view.logTerms.length - 1, snapshot }
  }
  const entries = Array.isArray(view.log) ? view.log : []
  const first = (num(view.logOffset) ?? snapshot) + 1
  return { terms: entries, first, last: first + entries.length - 1, snapshot }
}

function logLines(view: NodeView, commit: number | undefined, width: number): Line[] {
  const { terms, first, last, snapshot } = logOf(view)
  const hidden = first - snapshot - 1
  const header: Line = [
    seg('log ', { color: 'gray' }),
    seg(last < first ? `empty after index ${last}` : `${first}..${last}`, { bold: true }),
    seg(`${snapshot > 0 ? `  (1..${snapshot} in the snapshot)` : ''}${hidden > 0 ? `  (${hidden} older not shown)` : ''}`, { color: 'gray' }),
  ]
  const cells = terms.map((entry, k) => {
    const index = first + k
    const committed = commit !== undefined && index <= commit
    return seg(`${index}:${termOfEntry(entry)} `, { color: committed ? 'green' : 'yellow' })
  })
  // Newest entries matter most: keep the tail, in rows that fit the pane's width.
  const rows = wrapCells(cells, width)
  const tail = rows.slice(-4)
  if (rows.length > tail.length) tail.unshift([seg(`… ${rows.length - tail.length} more rows of older entries`, { color: 'gray' })])
  return [header, ...tail]
}

function wrapCells(cells: Line, width: number): Line[] {
  const rows: Line[] = []
  let row: Line = []
  let used = 0
  for (const cell of cells) {
    if (used + cell.text.length > width && row.length > 0) {
      rows.push(row)
      row = []
      used = 0
    }
    row.push(cell)
    used += cell.text.length
  }
  if (row.length > 0) rows.push(row)
  return rows
}

export function termOfEntry(entry: unknown): string {
  if (typeof entry === 'number') return String(entry)
  if (typeof entry === 'object' && entry !== null && 'term' in entry) return String((entry as { term: unknown }).term)
  return '?'
}

function progressLines(view: NodeView): Line[] {
  const next = record(view.nextIndex)
  const match = record(view.matchIndex)
  const peers = [...new Set([...Object.keys(next), ...Object.keys(match)])].sort()
  if (peers.length === 0) return []
  return [
    [seg('peer      next   match', { color: 'gray' })],
    ...peers.map((p) => [seg(`${p.padEnd(8)} ${String(next[p] ?? '-').padStart(5)}  ${String(match[p] ?? '-').padStart(6)}`)]),
  ]
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}
