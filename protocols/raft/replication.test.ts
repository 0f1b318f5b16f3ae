import { describe, expect, it } from 'vitest'
import { fakeNode, takeSent, type FakeNode } from './fake-context.ts'
import type { Entry, RaftMsg } from './messages.ts'

const entries = (...terms: number[]): Entry[] => terms.map((term, i) => ({ term, command: `e${i}-t${term}` }))

/** A follower in `term` whose log holds entries of the given terms. */
function follower(terms: number[], term = 9): FakeNode {
  const f = fakeNode('n2', { config: { preVote: false, checkQuorum: false } })
  f.node.currentTerm = term
  f.node.log.append(entries(...terms))
  return f
}

function append(f: FakeNode, msg: Partial<Extract<RaftMsg, { type: 'AppendEntries' }>>) {
  f.node.onMessage('n1', { type: 'AppendEntries', term: 9, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, round: 1, ...msg })
  const reply = takeSent(f).find((s) => s.msg.type === 'AppendEntriesReply')!.msg
  return reply as Extract<RaftMsg, { type: 'AppendEntriesReply' }>
}

describe('the consistency check (follower side)', () => {
  it('accepts entries after a matching previous entry, and reports what matches', () => {
    const f = follower([1, 1])
    expect(append(f, { prevLogIndex: 2, prevLogTerm: 1, entries: entries(2, 2) })).toMatchObject({ success: true, matchIndex: 4 })
    expect(f.node.log.lastIndex).toBe(4)
  })
  it('a log too short: the conflict index is just past its end, with no conflicting term', () => {
    const f = follower([1, 1])
    expect(append(f, { prevLogIndex: 5, prevLogTerm: 3 })).toMatchObject({ success: false, conflictTerm: 0, conflictIndex: 3 })
  })
  it('a different term at prevLogIndex: names that term and its first index in the follower log', () => {
    const f = follower([1, 2, 2, 2])
    expect(append(f, { prevLogIndex: 4, prevLogTerm: 3 })).toMatchObject({ success: false, conflictTerm: 2, conflictIndex: 2 })
  })
  it('truncates a conflicting suffix, and only at a real conflict', () => {
    const f = follower([1, 2, 2, 2])
    expect(append(f, { prevLogIndex: 1, prevLogTerm: 1, entries: entries(3) })).toMatchObject({ success: true, matchIndex: 2 })
    expect(f.node.entries().map((e) => e.term)).toEqual([1, 3])
    // A stale, shorter message that matches drops nothing.
    const g = follower([1, 2, 2, 2])
    expect(append(g, { prevLogIndex: 1, prevLogTerm: 1, entries: [{ term: 2, command: 'e1-t2' }] })).toMatchObject({ success: true, matchIndex: 2 })
    expect(g.node.log.lastIndex).toBe(4)
  })
  it('advances the commit index to min(leaderCommit, last new entry) and applies', () => {
    const f = follower([1, 1])
    append(f, { prevLogIndex: 2, prevLogTerm: 1, entries: entries(2), leaderCommit: 10 })
    expect(f.node.commitIndex).toBe(3)
    expect(f.node.lastApplied).toBe(3)
    expect(f.node.applied.map((a) => a.index)).toEqual([1, 2, 3])
  })
  it('refuses a stale leader with its own term', () => {
    const f = follower([1], 9)
    f.node.onMessage('n1', { type: 'AppendEntries', term: 4, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, round: 1 })
    expect(takeSent(f)[0]!.msg).toMatchObject({ type: 'AppendEntriesReply', term: 9, success: false })
  })
  it('persists the new entries before replying', () => {
    const f = follower([1])
    append(f, { prevLogIndex: 1, prevLogTerm: 1, entries: entries(9, 9) })
    expect(f.restart().node.entries().map((e) => e.term)).toEqual([1, 9, 9])
  })
})

describe('fast backup (leader side)', () => {
  /** A 3-node leader in term 6 whose log holds the given terms (its no-op appended after them). */
  function leader(terms: number[]): FakeNode {
    const f = fakeNode('n1', { nodes: ['n1', 'n2', 'n3'], config: { preVote: false, checkQuorum: false } })
    f.node.log.append(entries(...terms))
    f.node.currentTerm = 6
    f.node.becomeLeader()
    takeSent(f)
    return f
  }
  const reject = (f: FakeNode, conflictTerm: number, conflictIndex: number) => {
    f.node.onMessage('n2', { type: 'AppendEntriesReply', term: 6, success: false, matchIndex: 0, conflictTerm, conflictIndex, rejectedIndex: f.node.nextIndex.get('n2')! - 1, round: 1 })
    const next = takeSent(f).find((s) => s.to === 'n2')!.msg as Extract<RaftMsg, { type: 'AppendEntries' }>
    return next.prevLogIndex + 1
  }

  it('follower log too short: retries from the follower\'s end', () => {
    expect(reject(leader([1, 4, 4, 5]), 0, 3)).toBe(3)
  })
  it('leader has the conflicting term: retries just past its own last entry of that term', () => {
    expect(reject(leader([1, 4, 4, 4, 5]), 4, 2)).toBe(5)
  })
  it('leader lacks the conflicting term: retries from the follower\'s first index of it', () => {
    expect(reject(leader([1, 4, 4, 5]), 2, 2)).toBe(2)
  })
  it('ignores a stale rejection (of an index it no longer sends from)', () => {
    const f = leader([1, 1])
    f.node.onMessage('n2', { type: 'AppendEntriesReply', term: 6, success: true, matchIndex: 3, conflictTerm: 0, conflictIndex: 0, rejectedIndex: 0, round: 1 })
    takeSent(f)
    f.node.onMessage('n2', { type: 'AppendEntriesReply', term: 6, success: false, matchIndex: 0, conflictTerm: 0, conflictIndex: 2, rejectedIndex: 1, round: 1 })
    expect(takeSent(f)).toEqual([])
    expect(f.node.nextIndex.get('n2')).toBe(4)
  })
  it('a duplicated rejection moves nextIndex and sends once, not twice', () => {
    const f = leader([1, 4, 4, 5])
    const rejection = { type: 'AppendEntriesReply' as const, term: 6, success: false, matchIndex: 0, conflictTerm: 0, conflictIndex: 3, rejectedIndex: 4, round: 1 }
    f.node.onMessage('n2', rejection)
    f.node.onMessage('n2', rejection)
    expect(takeSent(f).filter((s) => s.to === 'n2')).toHaveLength(1)
  })
  it('refuses a command JSON cannot hold before its log or storage takes it', () => {
    const f = leader([1])
    const lastIndex = f.node.log.lastIndex
    expect(() => f.node.propose({ type: 'kv', n: 1n } as never)).toThrow()
    expect(f.node.log.lastIndex).toBe(lastIndex)
    expect(takeSent(f)).toEqual([])
  })
  it('sends no new entries to a follower with a batch in flight; a heartbeat to it is bare', () => {
    const f = leader([1])
    f.node.propose('more')
    expect(takeSent(f)).toEqual([]) // the no-op batch is still unanswered everywhere
    f.node.onTimer('heartbeat')
    const beats = takeSent(f).map((s) => s.msg as Extract<RaftMsg, { type: 'AppendEntries' }>)
    expect(beats).toHaveLength(2)
    for (const b of beats) expect(b.entries).toEqual([])
  })
})

describe('the commit rule (Figure 8)', () => {
  function leaderWithOldEntry(mutant: string | null) {
    const f = fakeNode('n1', { nodes: ['n1', 'n2', 'n3'], mutant, config: { preVote: false, checkQuorum: false } })
    f.node.log.append(entries(2)) // index 1, from an older term
    f.node.currentTerm = 4
    f.node.becomeLeader() // no-op at index 2, term 4
    takeSent(f)
    // n2 acknowledges the old entry only (as if the no-op were still on its way).
    f.node.onMessage('n2', { type: 'AppendEntriesReply', term: 4, success: true, matchIndex: 1, conflictTerm: 0, conflictIndex: 0, rejectedIndex: 0, round: 1 })
    return f
  }
  it('does not commit an older term\'s entry by counting replicas', () => {
    expect(leaderWithOldEntry(null).node.commitIndex).toBe(0)
  })
  it('commits it together with an entry of its own term', () => {
    const f = leaderWithOldEntry(null)
    f.node.onMessage('n2', { type: 'AppendEntriesReply', term: 4, success: true, matchIndex: 2, conflictTerm: 0, conflictIndex: 0, rejectedIndex: 0, round: 1 })
    expect(f.node.commitIndex).toBe(2)
  })
  it('the commit-previous-term mutant commits it by counting', () => {
    expect(leaderWithOldEntry('commit-previous-term').node.commitIndex).toBe(1)
  })
})
