/**
 * Waiting steps (`until`): a step that acts on the first node its selector starts to match in a
 * window, the moment it does. The protocol here leads on a script (node, time, term), so each
 * test knows exactly when a new leader appears.
 */
import { describe, expect, it } from 'vitest'
import type { NodeContext, Protocol } from '../protocol.ts'
import { traced } from '../testing.ts'
import { US_PER_MS, US_PER_S } from '../time.ts'
import type { TraceEvent } from '../trace/events.ts'
import { parsePlan, planToJson } from './plan.ts'
import type { Plan } from './types.ts'

const ms = (n: number) => Math.round(n * US_PER_MS)
const s = (n: number) => n * US_PER_S

/** Each listed node leads in each of its reigns: from `atUs` (until `toUs`, if given) in `term`. */
type Reign = { atUs: number; toUs?: number; term: number }
function scriptedLeaders(script: Record<string, Reign | Reign[]>): Protocol<unknown, object> {
  return {
    name: 'scripted', summary: 'leads on a script', defaultConfig: {}, messageType: () => 'msg',
    createNode: (ctx: NodeContext<unknown>) => {
      let term = 0
      const reigns = [script[ctx.id] ?? []].flat()
      return {
        onStart: () => {
          for (const r of reigns) {
            ctx.setTimer(`win:${r.term}`, r.atUs)
            if (r.toUs !== undefined) ctx.setTimer('lose', r.toUs)
          }
        },
        onMessage() {},
        onTimer: (name: string) => void (term = name === 'lose' ? 0 : Number(name.slice(4))),
        view: () => ({ role: term > 0 ? 'leader' : 'follower', leads: term > 0, term }),
      }
    },
  }
}

const script = { n1: { atUs: ms(100), term: 1 }, n3: { atUs: ms(612.4), term: 2 } }
const nodeEvents = (events: TraceEvent[]) => events.filter((e) => e.type === 'pause' || e.type === 'crash' || e.type === 'restart' || e.type === 'partition')
const notes = (events: TraceEvent[], kind: string) => events.filter((e) => e.type === 'note' && e.kind === kind).map((e) => (e.type === 'note' ? e.data : null))

describe('a waiting step', () => {
  it('acts on the first new leader in its window, the moment it leads', () => {
    const plan: Plan = [{ at: ms(200), until: s(2), do: 'pause', node: 'leader', isolate: true }]
    const { events } = traced({ protocol: scriptedLeaders(script), seed: 1, nodes: 3, plan }, s(3))
    expect(nodeEvents(events).map((e) => [e.type, e.t, 'node' in e ? e.node : e.type === 'partition' ? e.description : ''])).toEqual([
      ['partition', ms(612.4), expect.stringContaining('n3')],
      ['pause', ms(612.4), 'n3'],
    ])
    expect(notes(events, 'waited')).toEqual([{ step: 0, node: 'n3', text: 'isolated and paused n3, the new leader, at 612.4ms' }])
  })

  it('does nothing, and says so at the window\'s end, when no new leader comes', () => {
    const plan: Plan = [{ at: ms(200), until: ms(500), do: 'crash', node: 'leader' }]
    const { events, result } = traced({ protocol: scriptedLeaders(script), seed: 1, nodes: 3, plan }, s(1))
    expect(nodeEvents(events)).toEqual([])
    expect(result.stats.faults).toBe(0)
    const skipped = events.find((e) => e.type === 'note' && e.kind === 'skipped')!
    expect(skipped.t).toBe(ms(500))
    expect(skipped.type === 'note' && skipped.data).toEqual({ step: 0, reason: "no new 'leader' for crash between 200ms and 500ms" })
  })

  it('never acts outside its window: a leader already leading at `at` is not new, one after `until` is too late', () => {
    const before: Plan = [{ at: ms(700), until: s(2), do: 'crash', node: 'leader' }]
    expect(nodeEvents(traced({ protocol: scriptedLeaders(script), seed: 1, nodes: 3, plan: before }, s(3)).events)).toEqual([])
    const after: Plan = [{ at: ms(200), until: ms(612), do: 'crash', node: 'leader' }]
    expect(nodeEvents(traced({ protocol: scriptedLeaders(script), seed: 1, nodes: 3, plan: after }, s(3)).events)).toEqual([])
  })

  it('acts once, on the first new node only', () => {
    const three = { ...script, n2: { atUs: ms(800), term: 3 } }
    const plan: Plan = [{ at: ms(200), until: s(2), do: 'crash', node: 'leader' }]
    const { events } = traced({ protocol: scriptedLeaders(three), seed: 1, nodes: 3, plan }, s(3))
    expect(nodeEvents(events).map((e) => e.type === 'crash' && [e.node, e.t])).toEqual([['n3', ms(612.4)]])
  })

  it('lets later waiting steps see what earlier ones did in the same moment', () => {
    const plan: Plan = [
      { at: ms(200), until: s(2), do: 'crash', node: 'leader' },
      { at: ms(300), until: s(2), do: 'restart', node: 'crashed' },
    ]
    const { events } = traced({ protocol: scriptedLeaders(script), seed: 1, nodes: 3, plan }, s(3))
    expect(nodeEvents(events).map((e) => 'node' in e && [e.type, e.node, e.t])).toEqual([['crash', 'n3', ms(612.4)], ['restart', 'n3', ms(612.4)]])
  })

  it('counts a node that led at `at` as new once it steps down and wins again', () => {
    const again = { n1: [{ atUs: ms(100), toUs: ms(400), term: 1 }, { atUs: ms(500), term: 2 }], n3: { atUs: ms(900), term: 3 } }
    const plan: Plan = [{ at: ms(200), until: s(2), do: 'pause', node: 'leader' }]
    const { events } = traced({ protocol: scriptedLeaders(again), seed: 1, nodes: 3, plan }, s(3))
    expect(nodeEvents(events).map((e) => 'node' in e && [e.node, e.t])).toEqual([['n1', ms(500)]])
  })

  it('waits on when an earlier step of the same moment took its new node away', () => {
    const plan: Plan = [
      { at: ms(200), until: s(2), do: 'pause', node: 'leader' },
      { at: ms(200), until: s(2), do: 'crash', node: 'leader' },
    ]
    const { events } = traced({ protocol: scriptedLeaders({ ...script, n2: { atUs: ms(800), term: 3 } }), seed: 1, nodes: 3, plan }, s(3))
    expect(nodeEvents(events).map((e) => 'node' in e && [e.type, e.node, e.t])).toEqual([['pause', 'n3', ms(612.4)], ['crash', 'n2', ms(800)]])
  })

  it('with when, acts on its own node at the moment the watched word finds a new node', () => {
    const plan: Plan = [
      { at: ms(200), until: s(2), do: 'pause', node: 'leader', isolate: true },
      { at: ms(200), until: s(2), when: 'leader', do: 'crash', node: 'random' },
      { at: ms(200), until: s(2), when: 'leader', do: 'restart', node: 'n2' },
    ]
    const { events } = traced({ protocol: scriptedLeaders(script), seed: 1, nodes: 3, plan }, s(3))
    const acts = nodeEvents(events).filter((e) => e.type !== 'partition').map((e) => 'node' in e && [e.type, e.node, e.t])
    // n3 is paused first, so 'random' (a node up) is n1 or n2; the restart finds n2 crashed only if random picked it.
    expect(acts[0]).toEqual(['pause', 'n3', ms(612.4)])
    expect(acts[1]).toEqual(['crash', expect.stringMatching(/^n[12]$/), ms(612.4)])
    const texts = notes(events, 'waited').map((d) => (d as { text: string }).text)
    expect(texts[1]).toBe('crash random: n3 is the new leader at 612.4ms')
    expect(texts[2]).toBe('restart n2: n3 is the new leader at 612.4ms')
  })

  it('gives the same trace twice, and from its JSON form', () => {
    const plan: Plan = [
      { at: ms(200), until: s(2), do: 'pause', node: 'leader', isolate: true },
      { at: ms(650), do: 'heal' },
      { at: ms(700), do: 'resume', node: 'paused' },
    ]
    const run = (p: Plan) => traced({ protocol: scriptedLeaders(script), seed: 7, nodes: 5, plan: p }, s(3))
    const first = run(plan)
    const again = run(parsePlan(JSON.parse(JSON.stringify({ steps: planToJson(plan) })), ['n1', 'n2', 'n3', 'n4', 'n5']))
    expect(again.text).toBe(first.text)
    expect(first.result.traceHash).not.toBeNull()
  })
})

describe('a waiting step with after', () => {
  it('acts that long after the moment, on the node it saw, even if another leads by then', () => {
    const plan: Plan = [{ at: ms(200), until: s(2), after: ms(300), do: 'crash', node: 'leader' }]
    const later = { ...script, n2: { atUs: ms(700), term: 3 } }
    const { events } = traced({ protocol: scriptedLeaders(later), seed: 1, nodes: 3, plan }, s(3))
    expect(nodeEvents(events).map((e) => 'node' in e && [e.type, e.node, e.t])).toEqual([['crash', 'n3', ms(912.4)]])
    expect(notes(events, 'waited')).toEqual([{ step: 0, node: 'n3', text: 'crashed n3, the new leader, at 612.4ms' }])
  })

  it('reads and writes after as a duration, and needs until', () => {
    const plan = parsePlan([{ at: '1s', until: '3s', after: '900ms', do: 'crash', node: 'leader', isolate: true }], ['n1', 'n2'])
    expect(plan).toEqual([{ at: s(1), until: s(3), after: ms(900), do: 'crash', node: 'leader', isolate: true }])
    expect(planToJson(plan)).toEqual([{ at: '1s', do: 'crash', node: 'leader', isolate: true, until: '3s', after: '900ms' }])
    expect(() => parsePlan([{ at: '1s', after: '900ms', do: 'crash', node: 'leader' }], ['n1'])).toThrow(/^plan steps\[0\]\.after: needs until/)
  })
})
