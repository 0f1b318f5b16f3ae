import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../sim/trace/events.ts'
import { classifier, InterestIndex } from './interesting.ts'

let i = 0
const ev = (e: Record<string, unknown>): TraceEvent => ({ i: i++, t: 0, ...e }) as TraceEvent

describe('classifier', () => {
  it('calls a role change an election, a leads change a leader change, and a repeat nothing', () => {
    const classify = classifier()
    expect(classify(ev({ type: 'view', node: 'n1', view: { role: 'follower', term: 1 } }))).toBeNull()
    expect(classify(ev({ type: 'view', node: 'n2', view: { role: 'leader', leads: true } }))).toBeNull()
    expect(classify(ev({ type: 'view', node: 'n1', changes: { term: 2 } }))).toBeNull()
    expect(classify(ev({ type: 'view', node: 'n1', changes: { role: 'candidate' } }))).toBe('election')
    expect(classify(ev({ type: 'view', node: 'n1', changes: { role: 'leader', leads: true } }))).toBe('leader')
    expect(classify(ev({ type: 'view', node: 'n1', changes: { leads: true } }))).toBeNull()
    expect(classify(ev({ type: 'view', node: 'n1', changes: { role: 'leader' } }))).toBeNull()
  })

  it('counts a commit on the leader only', () => {
    const classify = classifier()
    classify(ev({ type: 'view', node: 'n1', view: { role: 'leader', leads: true, commitIndex: 0 } }))
    classify(ev({ type: 'view', node: 'n2', view: { role: 'follower', commitIndex: 0 } }))
    expect(classify(ev({ type: 'view', node: 'n1', changes: { commitIndex: 1 } }))).toBe('commit')
    expect(classify(ev({ type: 'view', node: 'n2', changes: { commitIndex: 1 } }))).toBeNull()
  })

  it('reads roles from `role` only (Redis\'s `state` is the cluster\'s), and notes and commands by their kind', () => {
    const classify = classifier()
    classify(ev({ type: 'view', node: 'n1', view: { role: 'looking', state: 'ok' } }))
    expect(classify(ev({ type: 'view', node: 'n1', changes: { state: 'fail' } }))).toBeNull()
    expect(classify(ev({ type: 'view', node: 'n1', changes: { role: 'leading' } }))).toBe('election')
    expect(classify(ev({ type: 'note', node: 'n2', kind: 'takeover' }))).toBe('failover')
    expect(classify(ev({ type: 'note', node: 'n2', kind: 'pfail' }))).toBe('note')
    expect(classify(ev({ type: 'note', node: 'n2', kind: 'failover-auth-granted' }))).toBe('failover')
    expect(classify(ev({ type: 'note', node: 'n2', kind: 'became-leader' }))).toBe('election')
    expect(classify(ev({ type: 'command', node: 'n2', command: { type: 'CLUSTER FAILOVER' } }))).toBe('failover')
    expect(classify(ev({ type: 'note', node: 'n2', kind: 'commit advanced' }))).toBe('commit')
    expect(classify(ev({ type: 'note', node: 'n2', kind: 'snapshot installed' }))).toBe('note')
    expect(classify(ev({ type: 'note', node: 'n2', kind: 'notifications-sent' }))).toBeNull()
    expect(classify(ev({ type: 'note', node: 'nemesis', kind: 'skipped' }))).toBe('fault')
  })

  it('marks faults and problems, and forgets a crashed node\'s role', () => {
    const classify = classifier()
    classify(ev({ type: 'view', node: 'n1', view: { role: 'leader', leads: true } }))
    expect(classify(ev({ type: 'crash', node: 'n1', lostWrites: 0 }))).toBe('crash')
    expect(classify(ev({ type: 'restart', node: 'n1' }))).toBe('restart')
    // The restarted node's first whole view is part of its restart, not a second event.
    expect(classify(ev({ type: 'view', node: 'n1', view: { role: 'follower', leads: false } }))).toBeNull()
    expect(classify(ev({ type: 'partition', description: 'x', groups: null, blocked: [] }))).toBe('partition')
    expect(classify(ev({ type: 'pause', node: 'n1' }))).toBe('fault')
    expect(classify(ev({ type: 'violation', invariant: 'x', message: 'y', cause: 0 }))).toBe('violation')
    expect(classify(ev({ type: 'node-error', node: 'n1', message: 'y', cause: 0 }))).toBe('node-error')
    expect(classify(ev({ type: 'deliver', id: 1, from: 'n1', to: 'n2', mtype: 'x' }))).toBeNull()
  })
})

describe('InterestIndex', () => {
  it('finds the next and previous interesting event and its kind', () => {
    i = 0
    const events = [
      ev({ type: 'timer', node: 'n1', name: 'x', timer: 1 }),
      ev({ type: 'crash', node: 'n1', lostWrites: 0 }),
      ev({ type: 'timer', node: 'n1', name: 'x', timer: 1 }),
      ev({ type: 'restart', node: 'n1' }),
    ]
    const index = InterestIndex.build(events)
    expect(Array.from(index.indexes)).toEqual([1, 3])
    expect([index.next(-1), index.next(1), index.next(3)]).toEqual([1, 3, -1])
    expect([index.previous(4), index.previous(3), index.previous(1)]).toEqual([3, 1, -1])
    expect([index.kindAt(1), index.kindAt(2), index.kindAt(3)]).toEqual(['crash', null, 'restart'])
  })

  it('grows past its first allocation', () => {
    i = 0
    const events = Array.from({ length: 5000 }, () => ev({ type: 'pause', node: 'n1' }))
    const index = InterestIndex.build(events)
    expect(index.count).toBe(5000)
    expect(index.next(2500)).toBe(2501)
  })
})
