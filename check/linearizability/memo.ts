/**
 * The memo of Lowe's search: a set of (linearized set, state id) pairs, kept in typed arrays
 * with open addressing, so remembering a configuration allocates nothing in the common case
 * (a Map of small typed arrays spent most of its time in the garbage collector).
 */
export class ConfigurationMemo {
  private readonly stride: number
  private pool: Uint32Array
  private hashes: Int32Array
  private table: Int32Array
  private mask: number
  private count = 0

  /**
   * `expected`: about how many configurations the search will add (it grows past that as
   * needed). The checker sizes it by the operations searched: most parts of a checked run's
   * history are a few dozen operations, and a 1024-entry start cost more than their search.
   */
  constructor(private readonly words: number, expected = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, expected)))
    this.stride = words + 1
    this.pool = new Uint32Array(capacity * this.stride)
    this.hashes = new Int32Array(capacity)
    this.table = new Int32Array(2 * capacity).fill(-1)
    this.mask = 2 * capacity - 1
  }

  get size(): number {
    return this.count
  }

  /** Adds the pair; false when it was already there. `hash` must be a hash of both parts. */
  add(bits: Uint32Array, stateId: number, hash: number): boolean {
    const { words, stride, pool, hashes, table, mask } = this
    let slot = hash & mask
    for (let e = table[slot]!; e !== -1; e = table[slot]!) {
      if (hashes[e] === hash && pool[e * stride + words] === stateId && this.sameBits(e * stride, bits)) return false
      slot = (slot + 1) & mask
    }
    if (this.count * stride + stride > pool.length) this.growPool()
    const base = this.count * stride
    this.pool.set(bits, base)
    this.pool[base + words] = stateId
    this.hashes[this.count] = hash
    table[slot] = this.count++
    if (this.count * 2 > table.length) this.growTable()
    return true
  }

  private sameBits(base: number, bits: Uint32Array): boolean {
    for (let i = 0; i < bits.length; i++) if (this.pool[base + i] !== bits[i]) return false
    return true
  }

  private growPool(): void {
    const pool = new Uint32Array(this.pool.length * 2)
    pool.set(this.pool)
    this.pool = pool
    const hashes = new Int32Array(this.hashes.length * 2)
    hashes.set(this.hashes)
    this.hashes = hashes
  }

  private growTable(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1)
    const mask = table.length - 1
    for (let e = 0; e < this.count; e++) {
      let slot = this.hashes[e]! & mask
      while (table[slot] !== -1) slot = (slot + 1) & mask
      table[slot] = e
    }
    this.table = table
    this.mask = mask
  }
}
