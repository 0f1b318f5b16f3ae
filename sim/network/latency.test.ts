import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { RandomStream } from '../random.ts'
import { InputError } from '../time.ts'
import {
  formatLatency,
  LATENCY_SPEC_HELP,
  LONGTAIL_CAP_P99_MULTIPLE,
  meanLatencyUs,
  parseLatency,
  sampleLatency,
} from './latency.ts'
import type { LatencyDist } from './types.ts'

const stream = (seed: number) => RandomStream.root(seed).fork('net')
const us = fc.integer({ min: 0, max: 10_000_000 })
const positiveUs = fc.integer({ min: 1, max: 10_000_000 })

/** Every valid distribution, with parameters ordered the way parseLatency demands. */
const distArb: fc.Arbitrary<LatencyDist> = fc.oneof(
  us.map((v) => ({ kind: 'fixed' as const, us: v })),
  fc.tuple(us, us).map(([a, b]) => ({ kind: 'uniform' as const, minUs: Math.min(a, b), maxUs: Math.max(a, b) })),
  fc.tuple(us, positiveUs).map(([minUs, meanUs]) => ({ kind: 'exponential' as const, minUs, meanUs })),
  fc.tuple(us, positiveUs, positiveUs).map(([a, b, c]) => {
    const [minUs, medianUs, p99Us] = [a, b, c].sort((x, y) => x - y) as [number, number, number]
    return { kind: 'longtail' as const, minUs, medianUs: Math.max(1, medianUs), p99Us: Math.max(1, p99Us) }
  }),
)

function inRange(dist: LatencyDist, sample: number): boolean {
  switch (dist.kind) {
    case 'fixed':
      return sample === dist.us
    case 'uniform':
      return sample >= dist.minUs && sample <= dist.maxUs
    case 'exponential':
      return sample >= dist.minUs && Number.isFinite(sample)
    case 'longtail':
      return sample >= dist.minUs && sample <= Math.max(dist.minUs, LONGTAIL_CAP_P99_MULTIPLE * dist.p99Us)
  }
}

function draws(dist: LatencyDist, count: number, seed = 7): number[] {
  const rng = stream(seed)
  return Array.from({ length: count }, () => sampleLatency(dist, rng))
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const quantile = (xs: number[], q: number) => xs.slice().sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!

describe('sampleLatency', () => {
  it('draws non-negative integers inside each kind’s range, for any parameters and seed', () => {
    fc.assert(
      fc.property(distArb, fc.integer({ min: 0, max: 2 ** 32 }), (dist, seed) => {
        for (const sample of draws(dist, 50, seed)) {
          expect(Number.isInteger(sample)).toBe(true)
          expect(sample).toBeGreaterThanOrEqual(0)
          expect(inRange(dist, sample)).toBe(true)
        }
      }),
    )
  })

  it('caps longtail draws at 100 x p99 even for an absurd spread', () => {
    const dist: LatencyDist = { kind: 'longtail', minUs: 0, medianUs: 1, p99Us: 1_000_000 }
    const samples = draws(dist, 20_000)
    expect(Math.max(...samples)).toBeLessThanOrEqual(100_000_000)
    expect(samples.filter((s) => s === 100_000_000).length).toBeGreaterThan(0)
  })

  it('has roughly the right mean and median over 20k draws', () => {
    const n = 20_000
    expect(draws({ kind: 'fixed', us: 1234 }, 100)).toEqual(Array(100).fill(1234))
    expect(mean(draws({ kind: 'uniform', minUs: 1000, maxUs: 5000 }, n))).toBeCloseTo(3000, -2)
    const exp = draws({ kind: 'exponential', minUs: 1000, meanUs: 2000 }, n)
    expect(mean(exp)).toBeGreaterThan(2900)
    expect(mean(exp)).toBeLessThan(3100)
    expect(quantile(exp, 0.5)).toBeCloseTo(1000 + 2000 * Math.LN2, -2)
    const tail = draws({ kind: 'longtail', minUs: 0, medianUs: 1000, p99Us: 50_000 }, n)
    expect(quantile(tail, 0.5)).toBeGreaterThan(950)
    expect(quantile(tail, 0.5)).toBeLessThan(1050)
    expect(quantile(tail, 0.99)).toBeGreaterThan(40_000)
    expect(quantile(tail, 0.99)).toBeLessThan(62_000)
  })

  it('uniform covers both ends', () => {
    const samples = draws({ kind: 'uniform', minUs: 10, maxUs: 13 }, 1000)
    expect(new Set(samples)).toEqual(new Set([10, 11, 12, 13]))
  })

  it('is deterministic for a seed and differs across seeds', () => {
    const dist: LatencyDist = { kind: 'longtail', minUs: 100, medianUs: 1000, p99Us: 20_000 }
    expect(draws(dist, 200, 42)).toEqual(draws(dist, 200, 42))
    expect(draws(dist, 200, 42)).not.toEqual(draws(dist, 200, 43))
  })
})

describe('meanLatencyUs', () => {
  it('gives the mean of each kind (log-normal mean for longtail)', () => {
    expect(meanLatencyUs({ kind: 'fixed', us: 5 })).toBe(5)
    expect(meanLatencyUs({ kind: 'uniform', minUs: 1000, maxUs: 5000 })).toBe(3000)
    expect(meanLatencyUs({ kind: 'exponential', minUs: 1000, meanUs: 2000 })).toBe(3000)
    expect(meanLatencyUs({ kind: 'longtail', minUs: 0, medianUs: 1000, p99Us: 1000 })).toBeCloseTo(1000)
    const tail: LatencyDist = { kind: 'longtail', minUs: 0, medianUs: 1000, p99Us: 20_000 }
    const empirical = mean(draws(tail, 20_000))
    expect(empirical / meanLatencyUs(tail)).toBeGreaterThan(0.8)
    expect(empirical / meanLatencyUs(tail)).toBeLessThan(1.2)
  })
})

describe('parseLatency / formatLatency', () => {
  it('reads every spec form', () => {
    expect(parseLatency('fixed:1ms')).toEqual({ kind: 'fixed', us: 1000 })
    expect(parseLatency('250us')).toEqual({ kind: 'fixed', us: 250 })
    expect(parseLatency(' uniform:1ms..5ms ')).toEqual({ kind: 'uniform', minUs: 1000, maxUs: 5000 })
    expect(parseLatency('exp:2ms')).toEqual({ kind: 'exponential', minUs: 0, meanUs: 2000 })
    expect(parseLatency('exponential:2ms')).toEqual({ kind: 'exponential', minUs: 0, meanUs: 2000 })
    expect(parseLatency('exp:1ms+2ms')).toEqual({ kind: 'exponential', minUs: 1000, meanUs: 2000 })
    expect(parseLatency('longtail:1ms..50ms')).toEqual({ kind: 'longtail', minUs: 0, medianUs: 1000, p99Us: 50_000 })
    expect(parseLatency('longtail:500us+1.5ms..1s')).toEqual({ kind: 'longtail', minUs: 500, medianUs: 1500, p99Us: 1_000_000 })
    expect(parseLatency('uniform:0ms..0ms')).toEqual({ kind: 'uniform', minUs: 0, maxUs: 0 })
  })

  it('formats the documented forms', () => {
    expect(formatLatency({ kind: 'fixed', us: 1000 })).toBe('fixed:1ms')
    expect(formatLatency({ kind: 'uniform', minUs: 1000, maxUs: 5000 })).toBe('uniform:1ms..5ms')
    expect(formatLatency({ kind: 'exponential', minUs: 0, meanUs: 2000 })).toBe('exp:2ms')
    expect(formatLatency({ kind: 'exponential', minUs: 1000, meanUs: 2000 })).toBe('exp:1ms+2ms')
    expect(formatLatency({ kind: 'longtail', minUs: 0, medianUs: 1000, p99Us: 50_000 })).toBe('longtail:1ms..50ms')
    expect(formatLatency({ kind: 'longtail', minUs: 1500, medianUs: 2000, p99Us: 50_000 })).toBe('longtail:1.5ms+2ms..50ms')
  })

  it('round-trips every valid distribution', () => {
    fc.assert(
      fc.property(distArb, (dist) => {
        expect(parseLatency(formatLatency(dist))).toEqual(dist)
      }),
    )
  })

  const generic = (text: string) => `bad latency '${text}': ${LATENCY_SPEC_HELP}`
  it.each([
    ['', generic('')],
    ['xyz', generic('xyz')],
    ['1', generic('1')],
    ['fixed:', generic('fixed:')],
    ['fixed:-1ms', generic('fixed:-1ms')],
    ['uniform:1ms', generic('uniform:1ms')],
    ['uniform:1ms..', generic('uniform:1ms..')],
    ['uniform:1ms-5ms', generic('uniform:1ms-5ms')],
    ['exp:', generic('exp:')],
    ['exp:1ms+', generic('exp:1ms+')],
    ['longtail:1ms', generic('longtail:1ms')],
    ['gauss:1ms..2ms', generic('gauss:1ms..2ms')],
    ['Fixed:1ms', generic('Fixed:1ms')],
    ['uniform:5ms..1ms', "bad latency 'uniform:5ms..1ms': min 5ms is above max 1ms"],
    ['exp:0ms', "bad latency 'exp:0ms': the mean must be above 0"],
    ['exp:1ms+0us', "bad latency 'exp:1ms+0us': the mean must be above 0"],
    ['longtail:0ms..5ms', "bad latency 'longtail:0ms..5ms': the median must be above 0"],
    ['longtail:50ms..1ms', "bad latency 'longtail:50ms..1ms': p99 1ms is below median 50ms"],
    ['longtail:5ms+1ms..50ms', "bad latency 'longtail:5ms+1ms..50ms': floor 5ms is above median 1ms"],
    ['fixed:99999999999999h', "bad latency 'fixed:99999999999999h': 99999999999999h is too large"],
  ])('rejects %j with one precise line', (text, message) => {
    expect(() => parseLatency(text)).toThrow(InputError)
    expect(() => parseLatency(text)).toThrow(message)
    try {
      parseLatency(text)
    } catch (e) {
      expect((e as Error).message).toBe(message)
      expect((e as Error).message).not.toContain('\n')
    }
  })

  it('names the field when asked', () => {
    expect(() => parseLatency('nope', 'network.latency')).toThrow(`bad network.latency 'nope': ${LATENCY_SPEC_HELP}`)
  })
})
