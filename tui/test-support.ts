/** Traces and sessions for the viewer's tests (imported by *.test.ts files only). */
import { pingpong } from '../sim/builtin/pingpong.ts'
import type { PlanStep } from '../sim/nemesis/types.ts'
import { applyNetworkChange, defaultNetworkConfig } from '../sim/network/config.ts'
import { traced } from '../sim/testing.ts'
import { US_PER_MS } from '../sim/time.ts'
import type { TraceEvent } from '../sim/trace/events.ts'
import { Session } from './session.ts'

/** A 3-node pingpong run: a one-way cut, an isolation, a crash and restart, a duplicate-prone network. */
export function faultyRun(seed = 0x2a) {
  const plan: PlanStep[] = [
    { at: 100 * US_PER_MS, do: 'one-way', from: ['n1'], to: ['n2'] },
    { at: 200 * US_PER_MS, do: 'isolate', nodes: ['n1'] },
    { at: 300 * US_PER_MS, do: 'heal' },
    { at: 350 * US_PER_MS, do: 'crash', node: 'n2' },
    { at: 450 * US_PER_MS, do: 'restart', node: 'n2' },
  ]
  return traced({ protocol: pingpong, seed, nodes: 3, plan, network: applyNetworkChange(defaultNetworkConfig(), { duplicate: 0.05 }), workload: { clients: 1 }, checkpointEvery: 200 }, 600 * US_PER_MS)
}

/** pingpong's skip-sync mutant losing its boot counter at a crash: a run that ends in a violation. */
export function violatingRun(seed = 0x2a) {
  const plan: PlanStep[] = [
    { at: 100 * US_PER_MS, do: 'crash', node: 'n1' },
    { at: 150 * US_PER_MS, do: 'restart', node: 'n1' },
  ]
  return traced({ protocol: pingpong, seed, nodes: 3, plan, mutant: 'skip-sync', loseUnsyncedWrites: true, workload: { clients: 0 } }, 400 * US_PER_MS)
}

/** Opened from the run's text as `replay` opens a file: events parsed when asked for. */
export function sessionOf(run: ReturnType<typeof faultyRun>, source = 'test.jsonl'): Session {
  return Session.fromText(run.text, { source })
}

/** Every event of a session, in order. */
export function allEvents(session: Session): TraceEvent[] {
  return Array.from({ length: session.length }, (_, i) => session.event(i))
}
