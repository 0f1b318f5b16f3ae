/**
 * A zxid names a transaction: the epoch of the leader that proposed it in the high 32 bits,
 * a counter within that epoch in the low 32 bits (ZooKeeper's ZxidUtils). JavaScript numbers
 * hold integers exactly up to 2^53, so epochs stay exact below 2^21: far beyond any run.
 */
export type Zxid = number

const TWO_32 = 0x1_0000_0000

export function makeZxid(epoch: number, counter: number): Zxid {
  return epoch * TWO_32 + counter
}

export function epochOf(zxid: Zxid): number {
  return Math.floor(zxid / TWO_32)
}

export function counterOf(zxid: Zxid): number {
  return zxid % TWO_32
}

/** "0x2000000005" reads badly in a trace; "2.5" (epoch.counter) does not. */
export function formatZxid(zxid: Zxid): string {
  return `${epochOf(zxid)}.${counterOf(zxid)}`
}
