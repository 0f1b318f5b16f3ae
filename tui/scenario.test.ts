import { describe, expect, it } from 'vitest'
import type { TraceHeader } from '../sim/trace/events.ts'
import { TraceError } from '../sim/trace/errors.ts'
import { type Caption, captionIndexAt, nextCaptionEvent, previousCaptionEvent, scenarioOf } from './scenario.ts'
import { faultyRun, scenarioRun, sessionOf } from './test-support.ts'

const header = (scenario: unknown): TraceHeader => ({ config: scenario === undefined ? {} : { scenario } }) as unknown as TraceHeader
const caption = (i: number, text = `at ${i}`): Caption => ({ i, t: Math.max(0, i * 10), text })

describe('scenarioOf', () => {
  it('is null for a trace that is not a scenario run', () => {
    expect(scenarioOf(header(undefined), 'x')).toBeNull()
    expect(sessionOf(faultyRun()).scenario).toBeNull()
  })

  it('reads the runner header, captions in event order, captions of one event joined', () => {
    const s = scenarioOf(header({
      name: 'demo', summary: 'S', claims: [2], variant: 'correct Raft',
      captions: [caption(30, 'late'), caption(5, 'first'), caption(30, 'again'), caption(-1, 'before anything')],
      expect: [{ says: 'two candidates', ok: true, detail: 'saw 2', i: 7 }, { says: 'no violation', ok: false, detail: 'one', i: null }],
    }), 'x')!
    expect(s.captions.map((c) => [c.i, c.text])).toEqual([[-1, 'before anything'], [5, 'first'], [30, 'late again']])
    expect(s).toMatchObject({ name: 'demo', summary: 'S', claims: [2], variant: 'correct Raft' })
    expect(s.expect).toEqual([{ says: 'two candidates', ok: true, detail: 'saw 2', i: 7 }, { says: 'no violation', ok: false, detail: 'one', i: null }])
  })

  it('defaults what a scenario may leave out', () => {
    expect(scenarioOf(header({ name: 'bare' }), 'x')).toEqual({ name: 'bare', summary: '', claims: [], variant: null, captions: [], expect: [] })
  })

  it('refuses a malformed scenario with one line naming the field', () => {
    const bad = (scenario: unknown) => () => scenarioOf(header(scenario), 'run.jsonl')
    expect(bad('raft')).toThrow(new TraceError('run.jsonl', 1, 'header config.scenario: must be an object'))
    expect(bad({ summary: 'no name' })).toThrow('trace run.jsonl line 1: header config.scenario: name must be a string')
    expect(bad({ name: 'x', captions: [{ i: 1.5, t: 0, text: 'a' }] })).toThrow('captions[0].i must be an event index')
    expect(bad({ name: 'x', captions: [{ i: 1, t: -3, text: 'a' }] })).toThrow('captions[0].t must be a time in microseconds')
    expect(bad({ name: 'x', captions: [caption(1), { i: 2, t: 0 }] })).toThrow('captions[1].text must be a string')
    expect(bad({ name: 'x', expect: [{ says: 'a', ok: 'yes' }] })).toThrow('expect[0].ok must be true or false')
    expect(bad({ name: 'x', claims: 'two' })).toThrow('claims must be a list')
  })

  it('a session of a scenario run carries it', () => {
    const run = scenarioRun()
    const session = sessionOf(run)
    expect(session.scenario?.name).toBe('raft-isolated-leader')
    // Two captions share the election's event: one entry.
    expect(session.scenario?.captions).toHaveLength(run.scenario.captions.length - 1)
    for (const c of session.scenario!.captions) expect(session.event(c.i)).toMatchObject({ i: c.i, t: c.t })
  })
})

describe('caption navigation', () => {
  const captions = [caption(-1), caption(10), caption(20), caption(40)]

  it('finds the latest caption at or before an event', () => {
    expect(captionIndexAt([], 5)).toBe(-1)
    expect(captionIndexAt(captions.slice(1), 9)).toBe(-1)
    expect([-1, 0, 9, 10, 11, 20, 39, 40, 1000].map((i) => captionIndexAt(captions, i))).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3])
  })

  it('next: the following caption event, none past the last or past the events so far', () => {
    expect(nextCaptionEvent(captions, -1, 100)).toBe(10)
    expect(nextCaptionEvent(captions, 10, 100)).toBe(20)
    expect(nextCaptionEvent(captions, 25, 100)).toBe(40)
    expect(nextCaptionEvent(captions, 40, 100)).toBe(-1)
    // A live run that has not reached the caption's event yet.
    expect(nextCaptionEvent(captions, 25, 40)).toBe(-1)
  })

  it('previous: the latest caption event before the cursor, -1 being a real one', () => {
    expect(previousCaptionEvent(captions, 40)).toBe(20)
    expect(previousCaptionEvent(captions, 25)).toBe(20)
    expect(previousCaptionEvent(captions, 10)).toBe(-1)
    expect(previousCaptionEvent(captions, -1)).toBeNull()
    expect(previousCaptionEvent(captions.slice(1), 10)).toBeNull()
  })
})
