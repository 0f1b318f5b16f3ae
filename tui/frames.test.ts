import { describe, expect, it } from 'vitest'
import { focusNode, FRAMES_MAX, frameIndexes, renderFrame, renderFrames, thin } from './frames.ts'
import { screen } from './layout.ts'
import { initialState } from './model.ts'
import { allEvents, faultyRun, sessionOf, violatingRun } from './test-support.ts'
import { lineText } from './text.ts'
import { Session } from './session.ts'

const session = sessionOf(faultyRun())
const events = allEvents(session)
const indexOf = (type: string, nth = 0) => events.filter((e) => e.type === type)[nth]!.i
const frameAt = (index: number, width = 80, height = 23, s = session) => renderFrame(s, { ...initialState(s), index }, width, height).split('\n')

describe('frame specs', () => {
  it('reads times, event indexes, start, end, violation and every:, sorted without repeats', () => {
    expect(frameIndexes('#5,#3,#5,start,end', session)).toEqual([-1, 3, 5, session.length - 1])
    expect(frameIndexes('0.3s', session)).toEqual([session.indexAtTime(300_000)])
    expect(frameIndexes('violation', session)).toEqual([])
    const bad = sessionOf(violatingRun())
    expect(frameIndexes('violation', bad)).toEqual([bad.problemIndex])
    expect(frameIndexes('every:100ms', session)).toHaveLength(6)
  })

  it('interesting gives every interesting event, thinned to the cap', () => {
    expect(frameIndexes('interesting', session)).toEqual(Array.from(session.interest.indexes))
    expect(thin(Array.from({ length: 100 }, (_, k) => k), FRAMES_MAX)).toHaveLength(FRAMES_MAX)
    expect(thin([1, 2, 3], 2)).toEqual([1, 3])
  })

  it('past the cap, keeps every rare event and thins the commits', () => {
    const t = faultyRun().trace
    const events = [
      { i: 0, t: 0, type: 'view', node: 'n1', view: { role: 'leader', leads: true, commitIndex: 0 } },
      ...Array.from({ length: 200 }, (_, k) => ({ i: k + 1, t: k + 1, type: 'view', node: 'n1', changes: { commitIndex: k + 1 } })),
    ] as typeof t.events
    events.splice(100, 0, { i: 0, t: 99, type: 'partition', description: 'isolate n2', groups: [['n1'], ['n2', 'n3']], blocked: [['n1', 'n2'], ['n2', 'n1']] })
    events.forEach((e, k) => (e.i = k))
    const busy = new Session({ header: t.header, events, footer: { ...t.footer, events: events.length } }, { source: 'busy' })
    const frames = frameIndexes('interesting', busy)
    expect(frames).toHaveLength(FRAMES_MAX)
    expect(frames).toContain(100)
    expect(busy.interest.count).toBe(201)
  })

  it('rejects a bad moment with one line', () => {
    expect(() => frameIndexes('soon', session)).toThrow(/bad --frames moment 'soon'/)
    expect(() => frameIndexes(' , ', session)).toThrow(/bad --frames/)
    expect(() => frameIndexes('every:0ms', session)).toThrow(/positive/)
  })
})

describe('whole frames', () => {
  it('fill exactly the screen asked for, at 80x24 and wider', () => {
    for (const [width, height] of [[80, 23], [132, 40]] as const) {
      const lines = screen(session, initialState(session), width, height)
      expect(lines).toHaveLength(height)
      for (const l of lines) expect(lineText(l)).toHaveLength(width)
    }
  })

  it('show a one-way cut with its arrow, and its drops', () => {
    const frame = frameAt(indexOf('partition', 0) + 30).join('\n')
    expect(frame).toContain('partition one-way n1 -> n2')
    expect(frame).toContain('one-way cut n1↛n2')
  })

  it('show an isolation as lettered sides, in the cluster rows too', () => {
    const lines = frameAt(indexOf('partition', 1))
    expect(lines).toContain('sides A{n1} | B{n2 n3}'.padEnd(36) + '│' + lines.find((l) => l.startsWith('sides'))!.slice(37))
    expect(lines.find((l) => l.includes(' n3 '))).toMatch(/ B *│/)
    expect(lines[3]).toContain('[partition]')
  })

  it('show a crashed node in its row and in the detail pane', () => {
    const frame = frameAt(indexOf('crash') , 100, 30).join('\n')
    expect(frame).toMatch(/n2 +crashed +crashed/)
    expect(frame).toContain('n2 CRASHED')
  })

  it('mark network copies in flight', () => {
    const dup = events.find((e) => e.type === 'duplicate')!
    expect(frameAt(dup.i, 120, 40).join('\n')).toContain('⧉dup')
  })

  it('highlight the violation and offer the jump to it before it', () => {
    const bad = sessionOf(violatingRun())
    const before = frameAt(0, 100, 30, bad)
    expect(before[4]).toMatch(/VIOLATION boots-always-increase +\[v\] jump to it at #\d+ /)
    const at = frameAt(bad.problemIndex, 100, 30, bad)
    expect(at[0]).toContain('· violation')
    expect(at.join('\n')).toContain('▶#')
  })

  it('show the help overlay from the key table', () => {
    const lines = screen(session, { ...initialState(session), overlay: 'help' }, 80, 23).map(lineText)
    expect(lines[4]).toContain('Keys (j/k scroll')
    expect(lines[5]).toMatch(/^ {2}q ctrl\+c +quit/)
  })

  it('ask for a bigger window below 80x24', () => {
    const lines = screen(session, initialState(session), 60, 20).map(lineText)
    expect(lines[0]).toContain('needs 80 columns and 24 rows')
    expect(lines).toHaveLength(20)
  })

  it('details the node an event is about, else a leader', () => {
    const crash = indexOf('crash')
    expect(focusNode(session, crash)).toBe(1)
    const partition = indexOf('partition', 1)
    const leader = session.nodes.findIndex((id) => session.stateAt(partition).views[id]?.leads === true)
    expect(focusNode(session, partition)).toBe(leader)
    expect(renderFrames(session, `#${crash}`, 80, 23)[0]).toContain('Node n2 · crashed')
  })

  it('renderFrames gives one frame per moment, each headed by its event', () => {
    const frames = renderFrames(session, 'start,#10', 80, 23)
    expect(frames.map((f) => f.split('\n')[0])).toEqual(['=== test.jsonl · event start ===', `=== test.jsonl · event #10${session.interest.kindAt(10) ? ` · ${session.interest.kindAt(10)}` : ''} ===`])
  })
})
