/**
 * Message latency: sampling (the engine's hot path, once per message and copy), and the
 * spec strings users write on the command line and in plans ("uniform:1ms..5ms").
 */
import { TextMemo } from '../text-memo.ts'
import type { RandomStream } from '../random.ts'
import { formatDuration, InputError, parseDuration, type Micros } from '../time.ts'
import type { LatencyDist } from './types.ts'

/** The standard normal's 99th percentile: a log-normal's p99 is median * exp(sigma * Z99). */
const Z99 = 2.326348

/**
 * A longtail draw never exceeds this many times its p99. A log-normal has no upper bound, and
 * one absurd draw (hours) would leave a message in flight long after the run's story is over.
 */
export const LONGTAIL_CAP_P99_MULTIPLE = 100

export const LATENCY_SPEC_HELP = 'expected fixed:1ms, uniform:1ms..5ms, exp:2ms, exp:1ms+2ms or longtail:1ms..50ms'

/** One latency draw in integer microseconds, never negative. Allocation-free: it runs per message. */
export function sampleLatency(dist: LatencyDist, rng: RandomStream): Micros {
  switch (dist.kind) {
    case 'fixed':
      return Math.max(0, Math.round(dist.us))
    case 'uniform':
      return Math.max(0, rng.int(Math.round(dist.minUs), Math.round(dist.maxUs)))
    case 'exponential':
      return Math.max(0, Math.round(dist.minUs + rng.exponential(dist.meanUs)))
    case 'longtail': {
      const sigma = Math.log(dist.p99Us / dist.medianUs) / Z99
      const drawUs = dist.medianUs * Math.exp(sigma * standardNormal(rng))
      const cappedUs = Math.min(drawUs, LONGTAIL_CAP_P99_MULTIPLE * dist.p99Us)
      return Math.max(0, Math.round(Math.max(dist.minUs, cappedUs)))
    }
  }
}

/** Box-Muller, keeping only the cosine half: two draws per sample, but no state kept between calls. */
function standardNormal(rng: RandomStream): number {
  const u1 = 1 - rng.next() // in (0, 1], so the log is finite
  const u2 = rng.next()
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

/** The distribution's mean in microseconds; for longtail the log-normal's mean, ignoring the floor and cap. */
export function meanLatencyUs(dist: LatencyDist): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.us
    case 'uniform':
      return (dist.minUs + dist.maxUs) / 2
    case 'exponential':
      return dist.minUs + dist.meanUs
    case 'longtail': {
      const sigma = Math.log(dist.p99Us / dist.medianUs) / Z99
      return Math.max(dist.minUs, dist.medianUs * Math.exp((sigma * sigma) / 2))
    }
  }
}

/** The spec string parseLatency reads back to an equal distribution. */
export function formatLatency(dist: LatencyDist): string {
  const d = formatDuration
  switch (dist.kind) {
    case 'fixed':
      return `fixed:${d(dist.us)}`
    case 'uniform':
      return `uniform:${d(dist.minUs)}..${d(dist.maxUs)}`
    case 'exponential':
      return dist.minUs === 0 ? `exp:${d(dist.meanUs)}` : `exp:${d(dist.minUs)}+${d(dist.meanUs)}`
    case 'longtail': {
      const min = dist.minUs === 0 ? '' : `${d(dist.minUs)}+`
      return `longtail:${min}${d(dist.medianUs)}..${d(dist.p99Us)}`
    }
  }
}

const DUR = String.raw`(\d+(?:\.\d+)?(?:us|ms|s|m|h))`
const FIXED_RE = new RegExp(`^(?:fixed:)?${DUR}$`)
const UNIFORM_RE = new RegExp(String.raw`^uniform:${DUR}\.\.${DUR}$`)
const EXP_RE = new RegExp(String.raw`^(?:exp|exponential):(?:${DUR}\+)?${DUR}$`)
/** Longtail may take a floor like exp does ("longtail:1ms+5ms..50ms"), so every distribution formats and parses back. */
const LONGTAIL_RE = new RegExp(String.raw`^longtail:(?:${DUR}\+)?${DUR}\.\.${DUR}$`)

/**
 * Reads a latency spec: "fixed:1ms" or "1ms", "uniform:1ms..5ms", "exp:2ms" (mean 2ms),
 * "exp:1ms+2ms" (1ms plus a mean-2ms exponential), "longtail:1ms..50ms" (median..p99), or
 * "longtail:1ms+5ms..50ms" (with a 1ms floor). `what` names the field in the error line.
 */
export function parseLatency(text: string, what = 'latency'): LatencyDist {
  // Frozen: every caller of a spec string gets the same object.
  return parsedLatencies.get(text, () => Object.freeze(readLatency(text, what)))
}

const parsedLatencies = new TextMemo<LatencyDist>()

function readLatency(text: string, what: string): LatencyDist {
  const spec = text.trim()
  const fail = (why: string): never => latencyError(text, what, why)
  let m: RegExpExecArray | null
  if ((m = FIXED_RE.exec(spec))) return { kind: 'fixed', us: tokenUs(m[1], text, what) }
  if ((m = UNIFORM_RE.exec(spec))) {
    const [minUs, maxUs] = [tokenUs(m[1], text, what), tokenUs(m[2], text, what)]
    if (minUs > maxUs) fail(`min ${m[1]} is above max ${m[2]}`)
    return { kind: 'uniform', minUs, maxUs }
  }
  if ((m = EXP_RE.exec(spec))) {
    const [minUs, meanUs] = [tokenUs(m[1], text, what), tokenUs(m[2], text, what)]
    if (meanUs <= 0) fail(`the mean must be above 0`)
    return { kind: 'exponential', minUs, meanUs }
  }
  if ((m = LONGTAIL_RE.exec(spec))) {
    const [minUs, medianUs, p99Us] = [tokenUs(m[1], text, what), tokenUs(m[2], text, what), tokenUs(m[3], text, what)]
    if (medianUs <= 0) fail(`the median must be above 0`)
    if (p99Us < medianUs) fail(`p99 ${m[3]} is below median ${m[2]}`)
    if (minUs > medianUs) fail(`floor ${m[1]} is above median ${m[2]}`)
    return { kind: 'longtail', minUs, medianUs, p99Us }
  }
  return fail(LATENCY_SPEC_HELP)
}

function latencyError(text: string, what: string, why: string): never {
  throw new InputError(`bad ${what} '${text}': ${why}`)
}

/** A duration token of a spec (absent: 0). */
function tokenUs(token: string | undefined, text: string, what: string): Micros {
  if (token === undefined) return 0
  try {
    return parseDuration(token)
  } catch {
    return latencyError(text, what, `${token} is too large`)
  }
}
