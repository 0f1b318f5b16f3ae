/**
 * A binary min-heap ordered by (at, seq): simulated time first, then insertion order.
 * The pair is unique per item, so the order is total and a run never depends on how
 * ties happen to fall in the array.
 */
export interface Ordered {
  at: number
  seq: number
}

export class EventHeap<T extends Ordered> {
  private readonly items: T[] = []

  get size(): number {
    return this.items.length
  }

  peek(): T | undefined {
    return this.items[0]
  }

  push(item: T): void {
    const items = this.items
    let i = items.length
    items.push(item)
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = items[parent]!
      if (p.at < item.at || (p.at === item.at && p.seq < item.seq)) break
      items[i] = p
      i = parent
    }
    items[i] = item
  }

  pop(): T | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    const n = items.length
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      let child = left
      let c = items[left]!
      if (right < n) {
        const r = items[right]!
        if (r.at < c.at || (r.at === c.at && r.seq < c.seq)) {
          child = right
          c = r
        }
      }
      if (last.at < c.at || (last.at === c.at && last.seq < c.seq)) break
      items[i] = c
      i = child
    }
    items[i] = last
    return top
  }

  /** Every queued item, in no particular order (for checkpoints and tests). */
  unordered(): readonly T[] {
    return this.items
  }
}
