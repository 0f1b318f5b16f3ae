/**
 * The network at run time: decides, for each message, whether it is lost and when it
 * arrives, and whether a partition cuts its link. Endpoints are nodes (0..n-1) and clients
 * (n..); a client shares its home node's side of every partition and always reaches home.
 * All draws come from the "net" stream in a fixed order per message: loss, latency,
 * reorder, duplicate (and the copy's latency).
 */
import type { RandomStream } from '../random.ts'
import type { Micros } from '../time.ts'
import { applyNetworkChange, linkFaults, resetNetwork } from './config.ts'
import { sampleLatency } from './latency.ts'
import { blockedMatrix } from './shapes.ts'
import type { Cut, LinkFaults, NetworkConfig } from './types.ts'

export type NetworkChange = Parameters<typeof applyNetworkChange>[1]

export interface Route {
  lost: boolean
  delayUs: Micros
  /** The duplicate's own delay, or -1 when the message is not duplicated. */
  copyDelayUs: Micros
}

export class Network {
  private blocked: Uint8Array | null = null
  private cut: Cut | null = null
  /** Each link's faults, made on first use since the last change (only while some link has an override). */
  private faults: Array<LinkFaults | undefined>
  private hasOverrides: boolean
  private readonly initialHasOverrides: boolean
  private readonly route: Route = { lost: false, delayUs: 0, copyDelayUs: -1 }
  /** The run's starting config, which a `reset` change restores. */
  private readonly initial: NetworkConfig

  constructor(
    private config: NetworkConfig,
    private readonly endpoints: readonly string[],
    /** For each endpoint, the node index whose side of a partition it is on. */
    private readonly sideOf: readonly number[],
    private readonly nodeCount: number,
    private readonly rng: RandomStream,
  ) {
    this.initial = config
    this.initialHasOverrides = hasLinks(config)
    this.hasOverrides = this.initialHasOverrides
    this.faults = new Array(endpoints.length * endpoints.length)
  }

  get currentCut(): Cut | null {
    return this.cut
  }

  /** True when a partition cuts the link from endpoint `from` to endpoint `to`. */
  isCut(from: number, to: number): boolean {
    if (this.blocked === null) return false
    const a = this.sideOf[from]!
    const b = this.sideOf[to]!
    return a !== b && this.blocked[a * this.nodeCount + b] === 1
  }

  setCut(cut: Cut | null): void {
    this.cut = cut && cut.blocked.length > 0 ? cut : null
    if (this.cut === null) {
      this.blocked = null
      return
    }
    const index = new Map<string, number>()
    for (let i = 0; i < this.nodeCount; i++) index.set(this.endpoints[i]!, i)
    this.blocked = blockedMatrix(this.cut, index, this.nodeCount)
  }

  change(change: NetworkChange): void {
    const { reset, ...rest } = change
    // Configs are never changed in place (each change makes a new one), so a whole reset can share the initial one.
    const wholeReset = reset === true && rest.links === undefined
    const base = wholeReset ? this.initial : reset ? resetNetwork(this.config, this.initial, rest.links) : this.config
    const changesFaults = rest.latency !== undefined || rest.loss !== undefined || rest.duplicate !== undefined || rest.reorder !== undefined
    this.config = changesFaults ? applyNetworkChange(base, rest) : base
    // Only a change that names links can add or remove overrides.
    this.hasOverrides = rest.links !== undefined ? hasLinks(this.config) : wholeReset ? this.initialHasOverrides : this.hasOverrides
    if (this.hasOverrides) this.faults = new Array(this.endpoints.length * this.endpoints.length)
  }

  /**
   * Draws the fate of one message on a link that is not cut. The returned object is reused:
   * read it before the next call.
   */
  draw(from: number, to: number): Route {
    const f = this.linkOf(from, to)
    const r = this.route
    r.lost = this.rng.chance(f.loss)
    if (r.lost) return r
    r.delayUs = sampleLatency(f.latency, this.rng)
    if (this.rng.chance(f.reorder)) r.delayUs += this.rng.int(0, f.reorderWindowUs)
    r.copyDelayUs = this.rng.chance(f.duplicate) ? sampleLatency(f.latency, this.rng) : -1
    return r
  }

  private linkOf(from: number, to: number): LinkFaults {
    // Without per-link overrides every link has the config's faults: no key to build and look up.
    if (!this.hasOverrides) return this.config
    const slot = from * this.endpoints.length + to
    let f = this.faults[slot]
    if (f === undefined) {
      f = linkFaults(this.config, this.endpoints[from]!, this.endpoints[to]!)
      this.faults[slot] = f
    }
    return f
  }
}

function hasLinks(config: NetworkConfig): boolean {
  return Object.keys(config.links).length > 0
}
