/** Slot sets as ranges, and the even split redis-cli uses at cluster creation. */
import { SLOTS } from './constants.ts'
import type { SlotRange } from './types.ts'

/** The inclusive ranges of slots for which `has(slot)` holds, in order. */
export function rangesWhere(has: (slot: number) => boolean): SlotRange[] {
  const out: SlotRange[] = []
  const slots = SLOTS // a local: a module binding read in a hot loop costs a getter call under tsx
  let start = -1
  for (let s = 0; s <= slots; s++) {
    const inside = s < slots && has(s)
    if (inside && start === -1) start = s
    if (!inside && start !== -1) {
      out.push([start, s - 1])
      start = -1
    }
  }
  return out
}

export function forEachSlot(ranges: readonly SlotRange[], visit: (slot: number) => void): void {
  for (const [first, last] of ranges) for (let s = first; s <= last; s++) visit(s)
}

export function countSlots(ranges: readonly SlotRange[]): number {
  let n = 0
  for (const [first, last] of ranges) n += last - first + 1
  return n
}

/**
 * redis-cli's allocation (clusterManagerCommandCreate): slots_per_node = 16384 / masters as
 * a float; each master takes [first, round(cursor + slots_per_node - 1)], the last takes the rest.
 */
export function evenSplit(masters: number): SlotRange[] {
  const perNode = SLOTS / masters
  const out: SlotRange[] = []
  let first = 0
  let cursor = 0
  for (let i = 0; i < masters; i++) {
    let last = Math.round(cursor + perNode - 1)
    if (last > SLOTS - 1 || i === masters - 1) last = SLOTS - 1
    if (last < first) last = first
    out.push([first, last])
    first = last + 1
    cursor += perNode
  }
  return out
}

/** "0-5460 5462" style, as CLUSTER NODES writes a node's slots. */
export function formatRanges(ranges: readonly SlotRange[]): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(' ')
}
