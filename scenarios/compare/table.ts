/** The comparison table: one row per protocol and side, columns aligned, times in ms. */
import type { Row } from './figures.ts'

export interface TableRow {
  label: string
  side: string
  clients: string[]
  row: Row
}

const HEADER = ['protocol', 'side', 'clients', 'writes', 'accepted', 'refused', 'unknown', 'lost', 'first ok after cut', 'first ok after heal']
/** Columns after the first three are figures: right-aligned. */
const TEXT_COLUMNS = 3

export function renderTable(rows: readonly TableRow[]): string[] {
  const cells = rows.map((r) => [
    r.label, r.side, r.clients.join(' '),
    String(r.row.writes), String(r.row.accepted), String(r.row.refused), String(r.row.unknown), String(r.row.lost),
    msText(r.row.firstOkAfterCutMs), msText(r.row.firstOkAfterHealMs),
  ])
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((x, i) => (i < TEXT_COLUMNS ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd()
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)]
}

export function msText(ms: number | null): string {
  return ms === null ? 'never' : `${ms} ms`
}
