import { describe, expect, it } from 'vitest'
import { pingpong } from '../sim/builtin/pingpong.ts'
import { Simulation } from '../sim/engine.ts'
import type { SimulationOptions } from '../sim/options.ts'
import { US_PER_MS } from '../sim/time.ts'
import { MemoryTraceSink } from '../sim/trace/writer.ts'
import { LiveRun, LiveTraceSink } from './live.ts'
import { initialState, reduce } from './model.ts'

const UNTIL_US = 800 * US_PER_MS
const options: Omit<SimulationOptions, 'trace'> = {
  protocol: pingpong, seed: 0x11, nodes: 3, workload: { clients: 2 }, checkpointEvery: 500,
  plan: [{ at: 300 * US_PER_MS, do: 'isolate', nodes: ['leader'] }, { at: 600 * US_PER_MS, do: 'heal' }],
}

function liveRun(): LiveRun {
  const sink = new LiveTraceSink()
  // Small steps, so this short run takes many slices.
  return new LiveRun(new Simulation({ ...options, trace: sink }), UNTIL_US, sink, 'faultline run pingpong --seed 0x11', 50)
}

function wholeRunHash(): string {
  const sim = new Simulation({ ...options, trace: new MemoryTraceSink() })
  sim.run({ untilUs: UNTIL_US })
  return sim.finish().traceHash!
}

describe('a live run', () => {
  it('grows its session slice by slice, then ends with the strictly read trace of an uninterrupted run', () => {
    const live = liveRun()
    const lengths: number[] = []
    for (let k = 0; k < 10_000 && !live.advance(0); k++) {
      const session = live.session()
      expect(session.running).toBe(true)
      lengths.push(session.length)
    }
    expect(lengths.length).toBeGreaterThan(2)
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b))
    const final = live.session()
    expect(final.running).toBe(false)
    expect(final.footer.hash).toBe(wholeRunHash())
    expect(final.reproduce).toBe('faultline run pingpong --seed 0x11')
  })

  it('a partial session is usable: states, the partition, seeking back', () => {
    const live = liveRun()
    while (live.sim.now() < 400 * US_PER_MS) live.advance(0)
    const session = live.session()
    expect(session.stateAt(session.length - 1).partition?.description).toMatch(/^isolate/)
    expect(session.stateAt(10).index).toBe(10)
  })

  it('completes at full speed when the viewer closes early', () => {
    const live = liveRun()
    live.advance(0)
    live.complete()
    expect(live.done).toBe(true)
    expect(live.engineMs).toBeGreaterThan(0)
    expect(live.session().footer.hash).toBe(wholeRunHash())
  })

  it('a viewer at the last event follows the run; one that looked back stays', () => {
    const live = liveRun()
    live.advance(0)
    const session = live.session()
    const atEnd = initialState(session)
    const follow = { type: 'follow' as const, lastIndex: session.length - 1, newLastIndex: session.length + 99 }
    expect(reduce(atEnd, follow, session).index).toBe(session.length + 99)
    const back = { ...atEnd, index: 3 }
    expect(reduce(back, follow, session).index).toBe(3)
  })
})
