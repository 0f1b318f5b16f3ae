import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from './events.ts'
import { parseTrace, type Trace } from './reader.ts'
import { commands, makeHeader, numbered, RunBuilder, writeText, type Body } from './test-support.ts'
import { checkpointMismatches, checkpointOf, Timeline } from './timeline.ts'

function traceOf(bodies: readonly Body[], timesUs?: readonly number[], checkpointEvery = 0): Trace {
  const events = numbered(bodies, timesUs)
  return { header: makeHeader({ checkpointEvery }), events, footer: { type: 'footer', events: events.length, endTimeUs: events.at(-1)?.t ?? 0, stoppedBy: 'time', hash: '' } }
}

/**
 * The same run twice: once with a checkpoint after every `every` events, and once with a
 * note (which changes nothing) in each of those places, so indexes line up. Checkpoint
 * contents come from replaying the note version, which has no checkpoints.
 */
function withAndWithoutCheckpoints(bodies: readonly Body[], timesUs: readonly number[], every: number): { plain: Trace; checkpointed: Trace } {
  const slots: Body[] = []
  const slotTimes: number[] = []
  bodies.forEach((body, k) => {
    slots.push(body)
    slotTimes.push(timesUs[k]!)
    if ((k + 1) % every === 0) {
      slots.push({ type: 'note', node: 'n1', kind: 'checkpoint here' })
      slotTimes.push(timesUs[k]!)
    }
  })
  const plain = traceOf(slots, slotTimes, 0)
  const replay = new Timeline(plain)
  const events = plain.events.map((e): TraceEvent =>
    e.type === 'note' && e.kind === 'checkpoint here' ? { i: e.i, t: e.t, type: 'checkpoint', ...checkpointOf(replay.stateAt(e.i)) } : e,
  )
  const text = writeText(makeHeader({ checkpointEvery: every }), events)
  return { plain, checkpointed: parseTrace(text) }
}

describe('Timeline', () => {
  it('gives the same state at every index with and without checkpoints, in any order of seeking', () => {
    const run = fc.tuple(commands, fc.integer({ min: 1, max: 25 }))
    fc.assert(
      fc.property(run, fc.array(fc.nat(), { maxLength: 30 }), ([cmds, every], jumps) => {
        const bodies = RunBuilder.build(cmds)
        const { plain, checkpointed } = withAndWithoutCheckpoints(bodies, bodies.timesUs, every)
        const a = new Timeline(plain)
        const b = new Timeline(checkpointed)
        expect(b.length).toBe(a.length)
        expect(checkpointMismatches(checkpointed)).toEqual([])
        for (let i = -1; i < a.length; i++) expect(b.stateAt(i)).toEqual(a.stateAt(i))
        // Backward and scattered jumps start from checkpoints rather than the cursor.
        for (const jump of jumps) {
          const i = a.length === 0 ? -1 : jump % a.length
          expect(b.stateAt(i)).toEqual(new Timeline(plain).stateAt(i))
        }
      }),
      { numRuns: 150 },
    )
  })

  it('starts with every node up, without views, partitions, messages or operations', () => {
    const state = new Timeline(traceOf([])).stateAt(-1)
    expect(state).toEqual({
      index: -1,
      time: 0,
      status: { n1: 'up', n2: 'up', n3: 'up' },
      views: { n1: null, n2: null, n3: null },
      partition: null,
      inFlight: [],
      clock: { n1: { offsetUs: 0, driftPpm: 0 }, n2: { offsetUs: 0, driftPpm: 0 }, n3: { offsetUs: 0, driftPpm: 0 } },
      pendingOps: [],
      violation: null,
    })
  })

  it('follows crashes, restarts, pauses and views', () => {
    const timeline = new Timeline(
      traceOf([
        { type: 'view', node: 'n1', view: { role: 'follower', term: 1, leader: 'n2', extra: 1 } },
        { type: 'view', node: 'n1', changes: { term: 2, leader: null }, removed: ['extra'] },
        { type: 'pause', node: 'n2' },
        { type: 'crash', node: 'n1', lostWrites: 0 },
        { type: 'resume', node: 'n2' },
        { type: 'restart', node: 'n1' },
      ]),
    )
    expect(timeline.stateAt(0).views.n1).toEqual({ role: 'follower', term: 1, leader: 'n2', extra: 1 })
    expect(timeline.stateAt(1).views.n1).toEqual({ role: 'follower', term: 2, leader: null })
    expect(timeline.stateAt(2).status).toEqual({ n1: 'up', n2: 'paused', n3: 'up' })
    expect(timeline.stateAt(3).status.n1).toBe('crashed')
    expect(timeline.stateAt(3).views.n1).toBeNull()
    expect(timeline.stateAt(4).status.n2).toBe('up')
    expect(timeline.stateAt(5).status.n1).toBe('up')
    expect(timeline.stateAt(5).views.n1).toBeNull()
    expect(timeline.stateAt(5).time).toBe(50)
  })

  it('follows messages through send, duplicate, deliver and drop', () => {
    const timeline = new Timeline(
      traceOf([
        { type: 'send', id: 7, from: 'n1', to: 'n2', mtype: 'Ping', msg: {}, due: 100 },
        { type: 'duplicate', id: 7, copy: 8, from: 'n1', to: 'n2', due: 150 },
        { type: 'send', id: 3, from: 'c1', to: 'n1', mtype: 'Request', msg: {}, due: 90 },
        { type: 'deliver', id: 7, from: 'n1', to: 'n2', mtype: 'Ping' },
        { type: 'drop', id: 8, from: 'n1', to: 'n2', mtype: 'Ping', reason: 'node-down' },
      ]),
    )
    expect(timeline.stateAt(2).inFlight).toEqual([
      { id: 3, from: 'c1', to: 'n1', mtype: 'Request', due: 90 },
      { id: 7, from: 'n1', to: 'n2', mtype: 'Ping', due: 100 },
      { id: 8, from: 'n1', to: 'n2', mtype: 'Ping', due: 150 },
    ])
    expect(timeline.stateAt(4).inFlight.map((m) => m.id)).toEqual([3])
  })

  it('follows partitions, clocks, client operations and the first violation', () => {
    const cut = { description: 'isolate n1', groups: [['n1'], ['n2', 'n3']], blocked: [['n1', 'n2'], ['n2', 'n1']] as Array<[string, string]> }
    const timeline = new Timeline(
      traceOf([
        { type: 'partition', ...cut, step: 0 },
        { type: 'clock', node: 'n2', offsetUs: -200, driftPpm: 50 },
        { type: 'invoke', client: 'c1', op: 0, f: 'put', key: 'x', value: 1 },
        { type: 'invoke', client: 'c2', op: 0, f: 'get', key: 'x' },
        { type: 'complete', client: 'c1', op: 0, f: 'put', outcome: 'ok' },
        { type: 'violation', invariant: 'one-leader', message: 'two leaders', cause: 3 },
        { type: 'violation', invariant: 'other', message: 'later', cause: 4 },
        { type: 'partition', description: 'healed', groups: null, blocked: [] },
      ]),
    )
    expect(timeline.stateAt(0).partition).toEqual(cut)
    expect(timeline.stateAt(1).clock.n2).toEqual({ offsetUs: -200, driftPpm: 50 })
    expect(timeline.stateAt(3).pendingOps).toEqual([
      { client: 'c1', op: 0, f: 'put', key: 'x', value: 1, invokedAtUs: 20, invokeIndex: 2 },
      { client: 'c2', op: 0, f: 'get', key: 'x', invokedAtUs: 30, invokeIndex: 3 },
    ])
    expect(timeline.stateAt(4).pendingOps.map((p) => p.client)).toEqual(['c2'])
    expect(timeline.stateAt(4).violation).toBeNull()
    expect(timeline.stateAt(6).violation?.invariant).toBe('one-leader')
    expect(timeline.stateAt(7).partition).toBeNull()
  })

  it('seeks from checkpoints, and passing over one adopts it just like jumping to it', () => {
    const bodies: Body[] = [
      { type: 'send', id: 1, from: 'n1', to: 'n2', mtype: 'Ping', msg: {}, due: 100 },
      // A checkpoint that disagrees with the events before it: it wins either way.
      { type: 'checkpoint', status: { n1: 'up', n2: 'crashed', n3: 'up' }, views: { n1: { role: 'leader' }, n2: null, n3: null }, partition: null, inFlight: [] },
      { type: 'note', node: 'n1', kind: 'x' },
    ]
    const trace = traceOf(bodies)
    const stepped = new Timeline(trace)
    for (let i = -1; i < 2; i++) stepped.stateAt(i)
    const jumped = new Timeline(trace)
    expect(jumped.stateAt(2)).toEqual(stepped.stateAt(2))
    expect(jumped.stateAt(2).status.n2).toBe('crashed')
    expect(jumped.stateAt(2).inFlight).toEqual([])
    expect(jumped.checkpoints).toEqual([1])
    expect(checkpointMismatches(trace)).toEqual([1])
  })

  it('returns states the caller owns', () => {
    const timeline = new Timeline(traceOf([{ type: 'view', node: 'n1', view: { role: 'leader', log: [1, 2] } }]))
    const state = timeline.stateAt(0)
    ;(state.views.n1!.log as number[]).push(3)
    state.status.n1 = 'crashed'
    expect(timeline.stateAt(0).views.n1).toEqual({ role: 'leader', log: [1, 2] })
    expect(timeline.stateAt(0).status.n1).toBe('up')
    expect(timeline.events.event(0)).toMatchObject({ view: { log: [1, 2] } })
  })

  it('refuses an index outside the trace', () => {
    const timeline = new Timeline(traceOf([{ type: 'note', node: 'n1', kind: 'x' }]))
    expect(() => timeline.stateAt(1)).toThrow(RangeError)
    expect(() => timeline.stateAt(-2)).toThrow(RangeError)
    expect(() => timeline.stateAt(0.5)).toThrow(RangeError)
  })
})
