/** Helpers for tests that run the engine (imported by *.test.ts files only). */
import { Simulation } from './engine.ts'
import type { SimulationOptions } from './options.ts'
import { parseTrace } from './trace/reader.ts'
import { MemoryTraceSink } from './trace/writer.ts'

/** Runs to `untilUs` with an in-memory trace; returns the run, its result and its trace, read back. */
export function traced(options: Omit<SimulationOptions, 'trace'>, untilUs: number) {
  const sink = new MemoryTraceSink()
  const sim = new Simulation({ ...options, trace: sink })
  sim.run({ untilUs })
  const result = sim.finish()
  const text = sink.text()
  const trace = parseTrace(text)
  return { sim, result, text, trace, events: trace.events }
}
