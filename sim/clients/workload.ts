/**
 * What simulated clients do: each client is one process with at most one operation in
 * flight (as in Jepsen), pausing a random think time between operations. Operations are
 * drawn from the client's own stream ("client/<id>"), so they do not move the network.
 */
import type { ClientOp } from '../protocol.ts'
import type { RandomStream } from '../random.ts'
import { InputError, type Micros, US_PER_MS, US_PER_S } from '../time.ts'
import { withoutUndefined } from '../objects.ts'

export interface WorkloadConfig {
  clients: number
  /**
   * The first `scripted` clients run no random workload: they act only on a plan's `invoke`
   * steps (a scenario's "c1 puts x=X at 3 s"). The rest run the random workload below.
   * Absent means 0 (and stays absent, so the trace headers of runs without it do not change).
   */
  scripted?: number
  /** Mean pause between one operation's end and the next one's start (exponential). */
  thinkUs: Micros
  /** An operation not finished by then is recorded with an unknown outcome ("info"). */
  opTimeoutUs: Micros
  /** One attempt's wait before the default client retries on another node. */
  requestTimeoutUs: Micros
  /** Keys are k0 .. k(keys-1). */
  keys: number
  /** Relative weights of operation names, e.g. { get: 1, put: 1 }. */
  mix: Record<string, number>
  /** Clients invoke nothing new after this time (null: until the run ends). */
  stopAtUs: Micros | null
}

export const DEFAULT_WORKLOAD: WorkloadConfig = {
  clients: 0,
  thinkUs: 100 * US_PER_MS,
  opTimeoutUs: 5 * US_PER_S,
  requestTimeoutUs: 500 * US_PER_MS,
  keys: 5,
  mix: { get: 1, put: 1 },
  stopAtUs: null,
}

export function resolveWorkload(...layers: Array<Partial<WorkloadConfig> | undefined>): WorkloadConfig {
  const out: WorkloadConfig = { ...DEFAULT_WORKLOAD }
  for (const layer of layers) if (layer) Object.assign(out, withoutUndefined({ ...layer }))
  checkWorkload(out)
  return out
}

function checkWorkload(w: WorkloadConfig): void {
  if (!Number.isInteger(w.clients) || w.clients < 0 || w.clients > 1000) throw new InputError(`bad client count ${w.clients}: expected 0 to 1000`)
  if (w.scripted === 0) delete w.scripted
  if (w.scripted !== undefined && (!Number.isInteger(w.scripted) || w.scripted < 0 || w.scripted > w.clients)) {
    throw new InputError(`bad scripted client count ${w.scripted}: expected 0 to the client count (${w.clients})`)
  }
  if (!Number.isInteger(w.keys) || w.keys < 1) throw new InputError(`bad key count ${w.keys}: expected a whole number of at least 1`)
  const weights = Object.values(w.mix)
  if (weights.length === 0 || weights.some((x) => !(x >= 0)) || !weights.some((x) => x > 0)) {
    throw new InputError(`bad operation mix ${JSON.stringify(w.mix)}: expected non-negative weights, one of them positive`)
  }
  for (const [name, us] of [['think time', w.thinkUs], ['operation timeout', w.opTimeoutUs], ['request timeout', w.requestTimeoutUs]] as const) {
    if (!Number.isInteger(us) || us <= 0) throw new InputError(`bad ${name} ${us}us: expected a positive duration`)
  }
}

/** Parses "get:1,put:1,cas:0.5" into a mix. */
export function parseMix(text: string): Record<string, number> {
  const mix: Record<string, number> = {}
  for (const part of text.split(',')) {
    const m = /^\s*([a-z][a-z0-9-]*)(?::(\d+(?:\.\d+)?))?\s*$/i.exec(part)
    if (!m) throw new InputError(`bad operation mix '${text}': expected names with optional weights, like get:2,put:1`)
    mix[m[1]!] = m[2] === undefined ? 1 : Number(m[2])
  }
  return mix
}


export type MakeOp = NonNullable<import('../protocol.ts').AnyProtocol['makeOp']>

/** The default shapes: reads carry no value, cas carries the value last seen and a new one. */
export const defaultOp: MakeOp = ({ f, key, value, lastSeen }) => {
  if (f === 'get' || f === 'read' || f === 'incr') return { f, key }
  if (f === 'cas') return { f, key, expected: lastSeen, value }
  return { f, key, value }
}

/** Draws a client's next operation. Written values are unique per run (clientIndex + clients * n). */
export class OpGenerator {
  private count = 0
  private readonly names: string[]
  private readonly cumulative: number[]
  private readonly lastValue = new Map<string, unknown>()

  constructor(
    private readonly workload: WorkloadConfig,
    private readonly clientIndex: number,
    private readonly rng: RandomStream,
    private readonly makeOp: MakeOp = defaultOp,
  ) {
    this.names = Object.keys(workload.mix).filter((k) => workload.mix[k]! > 0)
    let sum = 0
    this.cumulative = this.names.map((k) => (sum += workload.mix[k]!))
  }

  next(): ClientOp {
    const f = this.pickName()
    const key = `k${this.rng.int(0, this.workload.keys - 1)}`
    const value = this.clientIndex + 1 + this.workload.clients * this.count++
    return this.makeOp({ f, key, value, lastSeen: this.lastValue.get(key) ?? null })
  }

  /** Remembers what the client last saw of a key, so cas has a plausible expected value. */
  observe(key: string | undefined, value: unknown): void {
    if (key !== undefined && value !== undefined) this.lastValue.set(key, value)
  }

  private pickName(): string {
    const total = this.cumulative[this.cumulative.length - 1]!
    const x = this.rng.next() * total
    const i = this.cumulative.findIndex((c) => x < c)
    return this.names[i === -1 ? this.names.length - 1 : i]!
  }
}
