/**
 * Raft's detail: term and vote, the log as one cell per entry (index:term) with the
 * committed prefix in green and the rest in yellow, commit and applied indexes, the
 * snapshot that replaced the log's start, and on the leader each peer's next and match index
 * (Raft paper, figure 2: nextIndex[] and matchIndex[] are leader state).
 */
import type { NodeView } from '../../sim/protocol.ts'
import { type Line, seg } from '../text.ts'
import { fieldLines, pair } from './generic.ts'

const SHOWN = new Set(['role', 'leads', 'term', 'votedFor', 'log', 'logOffset', 'commitIndex', 'lastApplied', 'snapshotIndex', 'snapshotTerm', 'nextIndex', 'matchIndex'])

export function raftDetail(view: NodeView, width: number): Line[] {
  const commit = num(view.commitIndex)
  const lines: Line[] = [
    [...pair('term', view.term), ...pair('votedFor', view.votedFor ?? 'none')],
    [...pair('commit', view.commitIndex), ...pair('applied', view.lastApplied), ...pair('snapshot', view.snapshotIndex ?? 0)],
    ...logLines(view, commit, width),
    ...progressLines(view),
    ...fieldLines(view, SHOWN),
  ]
  return lines
}

/** The index of the log's first entry minus one: entries before it live in the snapshot. */
function logStart(view: NodeView): number {
  return num(view.logOffset) ?? num(view.snapshotIndex) ?? 0
}

function logLines(view: NodeView, commit: number | undefined, width: number): Line[] {
  const log = Array.isArray(view.log) ? view.log : []
  const offset = logStart(view)
  const header: Line = [seg('log ', { color: 'gray' }), seg(log.length === 0 ? `empty after index ${offset}` : `${offset + 1}..${offset + log.length}`, { bold: true }), seg(offset > 0 ? `  (1..${offset} in the snapshot)` : '', { color: 'gray' })]
  const cells = log.map((entry, k) => {
    const index = offset + k + 1
    const committed = commit !== undefined && index <= commit
    return seg(`${index}:${termOfEntry(entry)} `, { color: committed ? 'green' : 'yellow' })
  })
  // Newest entries matter most: keep the tail, in rows that fit the pane's width.
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
  const tail = rows.slice(-4)
  if (rows.length > tail.length) tail.unshift([seg(`… ${rows.length - tail.length} more rows of older entries`, { color: 'gray' })])
  return [header, ...tail]
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
