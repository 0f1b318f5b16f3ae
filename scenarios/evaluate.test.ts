import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../sim/trace/events.ts'
import { placeCaptions } from './captions.ts'
import { countHolds, evaluate } from './evaluate.ts'
import { flipCount } from './flip.ts'
import { includes } from './match.ts'
import type { Count } from './types.ts'
import type { RunResult } from '../sim/result.ts'

const ev = (i: number, t: number, rest: Record<string, unknown>) => ({ i, t, ...rest }) as TraceEvent
const events: TraceEvent[] = [
  ev(0, 0, { type: 'view', node: 'n1', view: { role: 'follower', term: 0 } }),
  ev(1, 0, { type: 'view', node: 'n2', view: { role: 'follower', term: 0 } }),
  ev(2, 100, { type: 'view', node: 'n1', changes: { role: 'leader', term: 1 } }),
  ev(3, 200, { type: 'crash', node: 'n1', lostWrites: 0 }),
  ev(4, 300, { type: 'view', node: 'n2', changes: { role: 'leader', term: 2 } }),
  ev(5, 400, { type: 'restart', node: 'n1' }),
  ev(6, 400, { type: 'view', node: 'n1', view: { role: 'follower', term: 1 } }),
]
const result = { history: [], violation: null, reports: [], stoppedBy: 'time', simTimeUs: 1000 } as unknown as RunResult
const run = { nodes: ['n1', 'n2'], events, result }

describe('expectations', () => {
  it('reads views and statuses at a moment, changes merged', () => {
    expect(evaluate({ says: '', kind: 'view', at: 150, match: { node: 'n1', view: { role: 'leader', term: 1 } } }, run).ok).toBe(true)
    expect(evaluate({ says: '', kind: 'view', at: 250, match: { node: 'n1', status: 'crashed' } }, run).ok).toBe(true)
    expect(evaluate({ says: '', kind: 'view', at: 250, match: { node: 'n1', view: { role: 'leader' } } }, run).ok).toBe(false)
    expect(evaluate({ says: '', kind: 'nodes', at: 'end', match: { view: { role: 'leader' } }, count: { exactly: 1 } }, run).detail).toBe('saw 1 (n2); expected 1')
  })

  it('counts distinct nodes that ever matched, within a window', () => {
    const ever = (fromUs: number, toUs: number | null) => evaluate({ says: '', kind: 'nodesEver', window: { fromUs, toUs }, match: { view: { role: 'leader' } }, count: { exactly: 2 } }, run)
    expect(ever(0, null).ok).toBe(true)
    expect(ever(250, null).ok).toBe(false)
  })

  it('checks the order of first matches', () => {
    const seq = (steps: Array<Record<string, unknown>>) => evaluate({ says: '', kind: 'sequence', window: { fromUs: 0, toUs: null }, steps }, run)
    expect(seq([{ type: 'crash' }, { type: 'restart' }]).ok).toBe(true)
    expect(seq([{ type: 'restart' }, { type: 'crash' }]).ok).toBe(false)
    expect(seq([{ type: 'crash' }, { type: 'pause' }]).detail).toBe('first matches 1: #3 at 0.000s, 2: never')
  })

  it('counts events by example', () => {
    expect(evaluate({ says: '', kind: 'events', window: { fromUs: 0, toUs: null }, match: { type: 'view', changes: { role: 'leader' } }, count: { exactly: 2 } }, run).ok).toBe(true)
  })
})

describe('a run stopped by a violation', () => {
  it('fails an expectation about a moment or window after the stop, whatever it asks', () => {
    const stopped = { ...run, result: { ...result, stoppedBy: 'violation', simTimeUs: 250 } as RunResult }
    const late = evaluate({ says: '', kind: 'nodes', at: 300, match: { view: { role: 'leader' } }, count: { exactly: 1 } }, stopped)
    expect(late).toMatchObject({ ok: false, detail: 'the run stopped at 0.000s (violation), before 0.000s' })
    expect(evaluate({ says: '', kind: 'events', window: { fromUs: 300, toUs: null }, match: { type: 'crash' }, count: { exactly: 0 } }, stopped).ok).toBe(false)
    expect(evaluate({ says: '', kind: 'nodes', at: 200, match: { view: { role: 'leader' } }, count: { exactly: 0 } }, stopped).ok).toBe(true)
  })
})

describe('captions', () => {
  it('sit at a time, at a matching event, or where a view starts to match', () => {
    const placed = placeCaptions([
      { text: 'at 250', trigger: { kind: 'at', atUs: 250 } },
      { text: '{node} crashed', trigger: { kind: 'event', window: { fromUs: 0, toUs: null }, match: { type: 'crash' } } },
      { text: '{node} leads', trigger: { kind: 'view', window: { fromUs: 150, toUs: null }, match: { view: { role: 'leader' } } } },
      { text: 'never', trigger: { kind: 'event', window: { fromUs: 0, toUs: null }, match: { type: 'pause' } } },
    ], ['n1', 'n2'], events)
    expect(placed.map((c) => [c.i, c.text])).toEqual([[3, 'n1 crashed'], [4, 'at 250'], [4, 'n2 leads'], [null, 'never']])
  })
})

describe('counts and their flips', () => {
  const counts: Count[] = [{ exactly: 0 }, { exactly: 3 }, { atLeast: 2 }, { atMost: 2 }, { between: [1, 3] }]
  it('a flipped count holds for no number the original holds for', () => {
    for (const c of counts) for (let n = 0; n < 10; n++) expect(countHolds(c, n) && countHolds(flipCount(c), n)).toBe(false)
  })
  it('matches objects as subsets and everything else exactly', () => {
    expect(includes({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true)
    expect(includes({ a: [1, 2] }, { a: [1] })).toBe(false)
    expect(includes({ a: null }, { a: undefined })).toBe(false)
  })
})

describe('the vocabulary guard', () => {
  it('names every type, field, note kind, message type and view field that occurs in no run', async () => {
    const { vocabularyProblems } = await import('./vocabulary.ts')
    const { parseScenario } = await import('./schema.ts')
    const s = parseScenario({
      name: 'v', protocol: 'raft', summary: 's', duration: '1s',
      captions: [{ on: { event: { type: 'note', kind: 'vote-granted' } }, text: 'x' }],
      expect: [
        { says: 'a', events: { type: 'send', mtype: 'PreVoteResp' }, count: 0 },
        { says: 'b', events: { type: 'crash', reason: 'x' }, count: 0 },
        { says: 'c', at: 'end', nodes: { view: { leades: true } }, count: 0 },
        { says: 'd', events: { type: 'note', kind: 'vote granted', node: 'n9' }, count: 0 },
        { says: 'e', events: { type: 'sent' }, count: 0 },
      ],
    }, 'v.json')
    const fakeRun = { trace: { header: { clients: [] }, events: [ev(0, 0, { type: 'note', node: 'n1', kind: 'vote granted' }), ev(1, 0, { type: 'view', node: 'n1', view: { role: 'leader', leads: true } })] } }
    expect(vocabularyProblems(s, [fakeRun as never])).toEqual([
      "expectation 'a': no message type 'PreVoteResp' in any run",
      "expectation 'b': a crash event has no field 'reason'",
      "expectation 'c': no node's view has a field 'leades' in any run",
      "expectation 'd': no node or client 'n9' in any run",
      "expectation 'e': no event type 'sent' (types: send, deliver, drop, duplicate, timer, crash, restart, pause, resume, partition, network, clock, invoke, complete, view, note, command, violation, node-error, checkpoint)",
      "caption 'x': no note kind 'vote-granted' in any run",
    ])
  })
})
