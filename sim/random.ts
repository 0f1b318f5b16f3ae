/**
 * Named, forkable random streams. Every draw in a run comes from a stream forked from the
 * run's seed by name ("net", "nemesis", "node/n3", "client/c1"), so a protocol that draws one
 * more number never moves the network's schedule or the nemesis's choices.
 */
import { formatSeed, type Seed } from './seed.ts'

/**
 * Johannes Baagøe's Alea generator, as seedrandom's `alea` (which made every stream before)
 * seeds and steps it, draw for draw (random.test.ts checks it against seedrandom): fast,
 * well-distributed, seedable from a string. Held in the stream's own fields, so a draw is no
 * call through seedrandom's closure, and a fork (a dozen per run) makes no closures.
 */
export class RandomStream {
  readonly name: string
  private readonly seedKey: string
  private s0: number
  private s1: number
  private s2: number
  private c = 1

  private constructor(seedKey: string, name: string) {
    this.seedKey = seedKey
    this.name = name
    const mash = new Mash()
    const seed = `${seedKey}|${name}`
    this.s0 = mash.hash(' ')
    this.s1 = mash.hash(' ')
    this.s2 = mash.hash(' ')
    this.s0 -= mash.hash(seed)
    if (this.s0 < 0) this.s0 += 1
    this.s1 -= mash.hash(seed)
    if (this.s1 < 0) this.s1 += 1
    this.s2 -= mash.hash(seed)
    if (this.s2 < 0) this.s2 += 1
  }

  /** Uniform in [0, 1): Alea's step. */
  private next01(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10 // 2^-32
    this.s0 = this.s1
    this.s1 = this.s2
    this.c = t | 0
    return (this.s2 = t - this.c)
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

/** Baagøe's Mash: a string hash whose state carries over between calls (Alea's seeding hashes the seed three times). */
class Mash {
  private n = 0xefc8249d

  hash(data: string): number {
    let n = this.n
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i)
      let h = 0.02519603282416938 * n
      n = h >>> 0
      h -= n
      h *= n
      n = h >>> 0
      h -= n
      n += h * 0x100000000 // 2^32
    }
    this.n = n
    return (n >>> 0) * 2.3283064365386963e-10 // 2^-32
  }
}
