import { describe, expect, it } from 'vitest'
import { Session } from './session.ts'
import { allEvents, faultyRun, violatingRun } from './test-support.ts'

describe('a session opened lazily', () => {
  for (const [name, run] of [['faults, duplicates, checkpoints', faultyRun()], ['a violation', violatingRun()]] as const) {
    it(`indexes what a session over every built event indexes (${name})`, () => {
      const eager = new Session(run.trace, { source: 'x' })
      const lazy = Session.fromText(run.text, { source: 'x' })
      expect(allEvents(lazy)).toEqual(run.trace.events)
      expect(run.trace.events.map((e, i) => lazy.typeAt(i))).toEqual(run.trace.events.map((e) => e.type))
      expect(Array.from(lazy.interest.indexes)).toEqual(Array.from(eager.interest.indexes))
      expect(Array.from(lazy.interest.kinds)).toEqual(Array.from(eager.interest.kinds))
      expect(lazy.problemIndex).toBe(eager.problemIndex)
      expect([...lazy.copies]).toEqual([...eager.copies])
      expect(lazy.timeline.checkpoints).toEqual(eager.timeline.checkpoints)
      for (const index of [-1, 0, 57, 201, 333, lazy.length - 1].filter((i) => i < lazy.length)) {
        expect(lazy.stateAt(index)).toEqual(eager.stateAt(index))
        expect(lazy.timeAt(index)).toBe(eager.timeAt(index))
      }
      expect(lazy.indexAtTime(300_000)).toBe(eager.indexAtTime(300_000))
      expect(lazy.indexAtTime(-1)).toBe(-1)
    })
  }

  it('has checkpoints and copies to compare in the faulty run', () => {
    const lazy = Session.fromText(faultyRun().text, { source: 'x' })
    expect(lazy.timeline.checkpoints.length).toBeGreaterThan(0)
    expect(lazy.copies.size).toBeGreaterThan(0)
  })
})
