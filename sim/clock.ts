/**
 * A node's clock: true simulated time seen through an offset (skew) and a rate error
 * (drift, in parts per million). Changing either rebases the clock so local time stays
 * continuous except for the deliberate jump an offset change makes. A node's timers are
 * set in its local time, so a fast clock fires its timers early in true time.
 */
import type { Micros } from './time.ts'

/** Parts per million: drift is in these. */
export const PPM = 1_000_000

export class NodeClock {
  private baseTrueUs = 0
  private baseLocalUs = 0
  private driftPpm = 0

  /** This node's reading at true time `trueUs`. */
  local(trueUs: Micros): Micros {
    if (this.driftPpm === 0) return this.baseLocalUs + (trueUs - this.baseTrueUs)
    return this.baseLocalUs + Math.floor(((trueUs - this.baseTrueUs) * (PPM + this.driftPpm)) / PPM)
  }

  /** How much true time passes while this clock advances by `localUs`. */
  trueDelay(localUs: Micros): Micros {
    if (this.driftPpm === 0) return localUs
    return Math.ceil((localUs * PPM) / (PPM + this.driftPpm))
  }

  offsetAt(trueUs: Micros): Micros {
    return this.local(trueUs) - trueUs
  }

  get drift(): number {
    return this.driftPpm
  }

  /** Sets the offset from true time (a jump) and/or the drift, as of true time `trueUs`. */
  set(trueUs: Micros, change: { offsetUs?: Micros; driftPpm?: number }): void {
    const localNow = change.offsetUs === undefined ? this.local(trueUs) : trueUs + change.offsetUs
    this.baseTrueUs = trueUs
    this.baseLocalUs = localNow
    if (change.driftPpm !== undefined) {
      if (!(change.driftPpm > -PPM)) throw new RangeError(`drift ${change.driftPpm} ppm would stop or reverse the clock`)
      this.driftPpm = change.driftPpm
    }
  }
}
