/**
 * The seed space: run i of a check with seed S is fast-check's first value under runSeed(S, i).
 * Every run is a pure function of (S, i), so workers and shards split the indices without
 * changing any run, and a report names the run that failed by its index.
 */

/** A 31-bit seed for run `index` (fast-check takes a 32-bit signed seed; keep it positive). */
export function runSeed(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(Math.floor(seed / 2 ** 32) + 1, 0x85ebca6b)
  h = Math.imul(h ^ (index + 1), 0xc2b2ae35)
  h ^= h >>> 15
  h = Math.imul(h, 0x27d4eb2f)
  h ^= h >>> 13
  return h & 0x7fffffff
}

export interface Shard {
  /** 1-based. */
  index: number
  count: number
}

/** The run indices a shard owns, of the first `runs`: i = index-1, index-1+count, ... */
export function shardIndices(runs: number, shard: Shard | null): number[] {
  const out: number[] = []
  const first = shard ? shard.index - 1 : 0
  const step = shard ? shard.count : 1
  for (let i = first; i < runs; i += step) out.push(i)
  return out
}
