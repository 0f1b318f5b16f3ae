/**
 * A run watched while it is produced (`faultline run --tui` on a terminal). The engine runs
 * in slices of a few milliseconds between screen updates, so keys stay responsive; its trace
 * lines are parsed as they come and, every refresh, a session over the events so far is
 * built for the viewer. The finished run is read back whole and strictly, as `replay` would.
 * Slicing does not change the run: the engine stops and continues between two events, and a
 * test checks the trace's hash is the one of an uninterrupted run.
 */
import { performance } from 'node:perf_hooks'
import type { Simulation } from '../sim/engine.ts'
import type { TraceEvent, TraceHeader } from '../sim/trace/events.ts'
import { parseTrace, type Trace } from '../sim/trace/reader.ts'
import { MemoryTraceSink } from '../sim/trace/writer.ts'
import { Session } from './session.ts'

/** Events the engine runs between checks of the wall clock. */
const EVENTS_PER_STEP = 2_000

/** A memory sink that also hands over the lines written since it was last asked. */
export class LiveTraceSink extends MemoryTraceSink {
  private fresh: Buffer[] = []

  protected override emit(bytes: Buffer): void {
    super.emit(bytes)
    this.fresh.push(bytes)
  }

  /** Whole lines written since the last call (chunks always end at a line's end). */
  takeNewText(): string {
    if (this.isOpen) this.flush()
    const text = Buffer.concat(this.fresh).toString('utf8')
    this.fresh = []
    return text
  }
}

export class LiveRun {
  private readonly events: TraceEvent[] = []
  private header: TraceHeader | null = null
  private final: Trace | null = null
  done = false
  /** Wall time spent in the engine, viewing excluded: what the run's summary reports. */
  engineMs = 0

  constructor(
    readonly sim: Simulation,
    readonly untilUs: number,
    readonly sink: LiveTraceSink,
    private readonly reproduce: string,
    private readonly eventsPerStep = EVENTS_PER_STEP,
  ) {}

  /** Runs for about `sliceMs` of wall time (one step of events at least); true once the run is over (and its trace finished). */
  advance(sliceMs: number): boolean {
    const startMs = performance.now()
    // At least one step, however short the slice.
    do {
      const stop = this.sim.run({ untilUs: this.untilUs, maxEvents: this.eventsPerStep })
      if (stop.reason !== 'events') this.finishRun()
    } while (!this.done && performance.now() - startMs < sliceMs)
    this.engineMs += performance.now() - startMs
    return this.done
  }

  /** Runs what is left at full speed (the viewer was closed early). */
  complete(): void {
    const startMs = performance.now()
    if (!this.done) this.sim.run({ untilUs: this.untilUs })
    this.finishRun()
    this.engineMs += performance.now() - startMs
  }

  /** A session over the run so far: the events written, a stand-in footer while it runs. */
  session(): Session {
    if (this.final !== null) return new Session(this.final, { source: 'this run', reproduce: this.reproduce })
    this.ingest(this.sink.takeNewText())
    const footer = { type: 'footer' as const, events: this.events.length, endTimeUs: this.events.at(-1)?.t ?? 0, stoppedBy: 'time' as const, hash: '' }
    return new Session({ header: this.header!, events: this.events, footer }, { source: 'this run', reproduce: this.reproduce, running: true })
  }

  private finishRun(): void {
    if (this.final !== null) return
    this.done = true
    this.sim.finish()
    this.final = parseTrace(this.sink.text(), 'this run')
  }

  /** Lines straight from the engine's sink: the final trace is checked whole when the run ends. */
  private ingest(text: string): void {
    let start = 0
    while (start < text.length) {
      const end = text.indexOf('\n', start)
      const obj = JSON.parse(text.slice(start, end)) as TraceHeader | TraceEvent
      start = end + 1
      if (obj.type === 'header') this.header = obj
      else this.events.push(obj)
    }
  }
}
