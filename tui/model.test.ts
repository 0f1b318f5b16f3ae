import { describe, expect, it } from 'vitest'
import { type Action, actionForKey, initialState, PANES, reduce, SPEEDS, type ViewerState } from './model.ts'
import type { Command } from './keys.ts'
import { allEvents, faultyRun, scenarioRun, sessionOf, violatingRun } from './test-support.ts'

const session = sessionOf(faultyRun())
const bad = sessionOf(violatingRun())

const run = (state: ViewerState, ...actions: Action[]) => actions.reduce((s, a) => reduce(s, a, session), state)
const cmd = (command: Command): Action => ({ type: 'command', command })
const at = (index: number): ViewerState => ({ ...initialState(session), index })

describe('stepping and jumping', () => {
  it('opens at the last event, or where asked, clamped to the trace', () => {
    expect(initialState(session).index).toBe(session.length - 1)
    expect(initialState(session, 10).index).toBe(10)
    expect(initialState(session, 10 ** 9).index).toBe(session.length - 1)
  })

  it('steps one event forward and back, and stops at both ends', () => {
    expect(run(at(10), cmd('stepForward')).index).toBe(11)
    expect(run(at(10), cmd('stepBack'), cmd('stepBack')).index).toBe(8)
    expect(run(at(-1), cmd('stepBack')).index).toBe(-1)
    expect(run(at(session.length - 1), cmd('stepForward')).index).toBe(session.length - 1)
    expect(run(at(10), cmd('first')).index).toBe(-1)
    expect(run(at(10), cmd('last')).index).toBe(session.length - 1)
  })

  it('n and N visit the interesting events in order, and say so at the ends', () => {
    const wanted = Array.from(session.interest.indexes)
    const visited: number[] = []
    let s = at(-1)
    for (;;) {
      const next = run(s, cmd('nextInteresting'))
      if (next.index === s.index) {
        expect(next.message).toBe('no later interesting event')
        break
      }
      visited.push(next.index)
      s = next
    }
    expect(visited).toEqual(wanted)
    expect(run(s, cmd('prevInteresting')).index).toBe(wanted.at(-2))
    expect(run(at(0), cmd('prevInteresting')).message).toBe('no earlier interesting event')
  })

  it('jumps to the partition change: the one-way cut is an interesting event', () => {
    const cut = allEvents(session).find((e) => e.type === 'partition')!
    expect(run(at(cut.i - 1), cmd('nextInteresting')).index).toBe(cut.i)
  })

  it('v jumps to the violation, and says when there is none', () => {
    const s = reduce(initialState(bad, 0), cmd('jumpViolation'), bad)
    expect(bad.event(s.index).type).toBe('violation')
    expect(run(at(0), cmd('jumpViolation'))).toMatchObject({ index: 0, message: 'this run has no violation' })
  })
})

describe('go to and search prompts', () => {
  const type = (text: string): Action[] => [...text].map((c) => ({ type: 'text', text: c }))

  it('goes to an event by #index and to a time', () => {
    expect(run(at(0), cmd('gotoTime'), ...type('#42'), { type: 'submit' }).index).toBe(42)
    const s = run(at(0), cmd('gotoTime'), ...type('0.3s'), { type: 'submit' })
    expect(session.timeAt(s.index)).toBeLessThanOrEqual(300_000)
    expect(session.timeAt(s.index + 1)).toBeGreaterThan(300_000)
  })

  it('a bad moment is a message, the position is kept', () => {
    const s = run(at(5), cmd('gotoTime'), ...type('soon'), { type: 'submit' })
    expect(s.index).toBe(5)
    expect(s.prompt).toBeNull()
    expect(s.message).toMatch(/bad time 'soon'/)
    expect(run(at(5), cmd('gotoTime'), ...type('#999999'), { type: 'submit' }).message).toMatch(/past the end/)
  })

  it('backspace edits and Esc cancels without moving', () => {
    const s = run(at(5), cmd('gotoTime'), ...type('#12x'), { type: 'backspace' })
    expect(s.prompt).toEqual({ kind: 'goto', text: '#12' })
    expect(run(s, cmd('cancel'))).toMatchObject({ prompt: null, index: 5 })
  })

  it('search jumps to the next matching event and filters the log; e and E walk the matches', () => {
    const s = run(at(0), cmd('search'), ...type('CRASHED'), { type: 'submit' })
    const crash = allEvents(session).find((e) => e.type === 'crash')!
    expect(s.index).toBe(crash.i)
    expect(s.filter.search).toBe('crashed')
    expect(run(s, cmd('nextMatch')).message).toBe('no later matching event')
    expect(run({ ...s, index: 0 }, cmd('nextMatch')).index).toBe(crash.i)
    expect(run({ ...s, index: session.length - 1 }, cmd('prevMatch')).index).toBe(crash.i)
  })

  it('a key action is decided by the state it meets: after / the next keys are text', () => {
    const keys = ['/', 'p', 'i', 'n', 'g', 'return'].map((name): Action => ({ type: 'key', name }))
    const s = run(at(0), ...keys)
    expect(s.filter.search).toBe('ping')
    expect(run(at(0), { type: 'key', name: 'l' }).index).toBe(1)
    expect(run(at(0), { type: 'key', name: 'Z' })).toEqual(at(0))
  })

  it('keys type into an open prompt instead of running commands', () => {
    const s = run(at(5), cmd('search'))
    expect(actionForKey(s, 'q')).toEqual({ type: 'text', text: 'q' })
    expect(actionForKey(s, 'space')).toEqual({ type: 'text', text: ' ' })
    expect(actionForKey(s, 'return')).toEqual({ type: 'submit' })
    expect(actionForKey(s, 'escape')).toEqual(cmd('cancel'))
    expect(actionForKey(at(5), 'q')).toEqual(cmd('quit'))
    expect(actionForKey(at(5), 'Z')).toBeNull()
  })
})

describe('filters, panes and selection', () => {
  it('cycles the node filter through every node and back to all, both ways', () => {
    const seen = [1, 2, 3, 4].map((k) => run(at(0), ...Array<Action>(k).fill(cmd('nodeFilter'))).filter.node)
    expect(seen).toEqual(['n1', 'n2', 'n3', null])
    expect(run(at(0), cmd('nodeFilterBack')).filter.node).toBe('n3')
  })

  it('cycles the type filter, and Esc clears every filter', () => {
    const s = run(at(0), cmd('typeFilter'), cmd('nodeFilter'))
    expect(s.filter).toMatchObject({ typeGroup: 'messages', node: 'n1' })
    expect(run(s, cmd('cancel'))).toMatchObject({ filter: { node: null, typeGroup: null, search: '' }, message: 'filters cleared' })
  })

  it('Tab and Shift-Tab cycle the panes', () => {
    expect(run(at(0), ...PANES.map(() => cmd('nextPane'))).pane).toBe('cluster')
    expect(run(at(0), cmd('prevPane')).pane).toBe('log')
  })

  it('j and k select nodes in the cluster pane and scroll the others', () => {
    expect(run(at(0), cmd('down'), cmd('down'), cmd('down')).selected).toBe(2)
    expect(run(at(0), cmd('up')).selected).toBe(0)
    const detail = run(at(0), cmd('nextPane'), cmd('nextPane'), cmd('down'), cmd('down'))
    expect(detail).toMatchObject({ pane: 'detail', scroll: { detail: 2 } })
    const log = run(at(50), cmd('prevPane'), cmd('up'))
    expect(log).toMatchObject({ pane: 'log', scroll: { log: 1 } })
    expect(run(log, cmd('stepForward')).scroll.log).toBe(0)
  })
})

describe('help and playback', () => {
  it('help opens with ?, scrolls with j, and any other key closes it without acting', () => {
    const open = run(at(5), cmd('help'))
    expect(open.overlay).toBe('help')
    expect(run(open, cmd('down')).overlayScroll).toBe(1)
    expect(run(open, cmd('stepForward'))).toMatchObject({ overlay: null, index: 5 })
    expect(run(open, cmd('quit')).quit).toBe(true)
  })

  it('plays forward in simulated time at the chosen speed, at least one event a tick', () => {
    const playing = run(at(10), cmd('playPause'))
    expect(playing.playing).toBe(true)
    const after = run(playing, { type: 'tick', elapsedMs: 100 })
    const targetUs = session.timeAt(10) + 100 * 1000 * SPEEDS[playing.speed]!
    expect(after.index).toBe(Math.max(11, session.indexAtTime(targetUs)))
    expect(run(playing, cmd('faster')).speed).toBe(playing.speed + 1)
    expect(run(at(0), ...Array<Action>(20).fill(cmd('slower'))).speed).toBe(0)
    expect(run(playing, cmd('playPause')).playing).toBe(false)
  })

  it('stops at the end, and space at the end plays from the start', () => {
    const fast = { ...at(0), playing: true, speed: SPEEDS.length - 1 }
    const end = run(fast, { type: 'tick', elapsedMs: 10_000 })
    expect(end).toMatchObject({ index: session.length - 1, playing: false, message: 'end of the trace' })
    expect(run(end, cmd('playPause'))).toMatchObject({ index: -1, playing: true })
    expect(run(at(3), { type: 'tick', elapsedMs: 100 }).index).toBe(3)
  })
})

describe('scenario captions', () => {
  const scenario = sessionOf(scenarioRun())
  const captionEvents = scenario.scenario!.captions.map((c) => c.i)
  const runS = (state: ViewerState, ...actions: Action[]) => actions.reduce((s, a) => reduce(s, a, scenario), state)
  const atS = (index: number): ViewerState => ({ ...initialState(scenario), index })

  it('c visits every caption event in order from the start, then says there is none later', () => {
    const visited: number[] = []
    let s = atS(-1)
    for (let k = 0; k <= captionEvents.length; k++) {
      s = runS(s, { type: 'key', name: 'c' })
      if (s.message !== null) break
      visited.push(s.index)
    }
    expect(visited).toEqual(captionEvents)
    expect(s).toMatchObject({ index: captionEvents.at(-1), message: 'no later caption' })
  })

  it('C goes back to the latest caption before the cursor, then to the one before', () => {
    const [first, second, third] = captionEvents as [number, number, number]
    expect(runS(atS(third + 5), { type: 'key', name: 'C' }).index).toBe(third)
    expect(runS(atS(third), { type: 'key', name: 'C' }).index).toBe(second)
    expect(runS(atS(first), { type: 'key', name: 'C' })).toMatchObject({ index: first, message: 'no earlier caption' })
  })

  it('jumping to a caption stops playback', () => {
    expect(runS({ ...atS(0), playing: true }, cmd('nextCaption'))).toMatchObject({ playing: false, index: captionEvents[0] })
  })

  it('s opens the scenario overlay, which scrolls and closes like help', () => {
    const open = runS(atS(5), { type: 'key', name: 's' })
    expect(open).toMatchObject({ overlay: 'scenario', overlayScroll: 0 })
    expect(runS(open, cmd('pageDown')).overlayScroll).toBe(10)
    expect(runS(open, { type: 'key', name: 's' })).toMatchObject({ overlay: null, index: 5 })
  })

  it('a trace that is not a scenario run says so for c, C and s', () => {
    for (const name of ['c', 'C', 's']) {
      expect(run(at(5), { type: 'key', name })).toMatchObject({ index: 5, overlay: null, message: 'this trace is not a scenario run: it has no captions' })
    }
  })
})
