/**
 * Named, forkable random streams. Every draw in a run comes from a stream forked from the
 * run's seed by name ("net", "nemesis", "node/n3", "client/c1"), so a protocol that draws one
 * more number never moves the network's schedule or the nemesis's choices.
 */
import seedrandom from 'seedrandom'
import { formatSeed, type Seed } from './seed.ts'

export class RandomStream {
  readonly name: string
  private readonly seedKey: string
  private readonly next01: () => number

  private constructor(seedKey: string, name: string) {
    this.seedKey = seedKey
    this.name = name
    // alea: fast, well-distributed, and seedable from a string; seedrandom keeps it stable.
    this.next01 = seedrandom.alea(`${seedKey}|${name}`)
  }

  /** A stream for the whole run; fork it by name for each consumer. */
  static root(seed: Seed): RandomStream {
    return new RandomStream(formatSeed(seed), 'root')
  }

  /** A child stream whose draws are independent of this one's. */
  fork(name: string): RandomStream {
    return new RandomStream(this.seedKey, `${this.name}/${name}`)
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next01()
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next01() * (hi - lo + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next01() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`pick from an empty list (stream ${this.name})`)
    return items[Math.floor(this.next01() * items.length)]!
  }

  /** A new array with the items in a random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next01() * (i + 1))
      const tmp = out[i]!
      out[i] = out[j]!
      out[j] = tmp
    }
    return out
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next01())
  }

}
