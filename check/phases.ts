/**
 * Where a checked run's time goes (`npm run bench`, check/README.md): wall milliseconds per
 * phase, summed over runs. Only the bench asks for it; it is never part of a report, since wall
 * time is not a function of the seed.
 */
import { performance } from 'node:perf_hooks'

export const PHASES = ['spec', 'setup', 'faults', 'liveness', 'finish', 'history'] as const
export type Phase = (typeof PHASES)[number]
export type PhaseTimes = Record<Phase, number>

export const PHASE_NAMES: Readonly<Record<Phase, string>> = {
  spec: 'spec generation (fast-check)',
  setup: 'engine setup (Simulation: options, nodes, clients)',
  faults: 'fault phase (boot, 10 s simulated with invariants)',
  liveness: 'liveness phase (heal, run until progress)',
  finish: 'finish (end-of-run reports)',
  history: 'history check (linearizability)',
}

export function newPhaseTimes(): PhaseTimes {
  return { spec: 0, setup: 0, faults: 0, liveness: 0, finish: 0, history: 0 }
}

/** A stopwatch over `times`: lap(phase) adds the time since the last lap to that phase. Null times cost nothing. */
export function phaseClock(times: PhaseTimes | null): (phase: Phase) => void {
  if (times === null) return () => {}
  let markMs = performance.now()
  return (phase) => {
    const nowMs = performance.now()
    times[phase] += nowMs - markMs
    markMs = nowMs
  }
}
