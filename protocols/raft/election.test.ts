import { describe, expect, it } from 'vitest'
import { Simulation } from '../../sim/engine.ts'
import { US_PER_MS, US_PER_S } from '../../sim/time.ts'
import { fakeNode, takeSent } from './fake-context.ts'
import { raft } from './index.ts'
import type { RaftNode } from './node.ts'

const leaders = (sim: Simulation): RaftNode[] => sim.nodeIds.map((id) => sim.node<RaftNode>(id)).filter((n): n is RaftNode => n?.isLeader === true)

describe('leader election', () => {
  it('elects exactly one leader, and every node follows it', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const sim = new Simulation({ protocol: raft, seed, nodes: 5 })
      sim.run({ untilUs: 3 * US_PER_S })
      const [leader, ...more] = leaders(sim)
      expect(more).toEqual([])
      for (const id of sim.nodeIds) expect(sim.node<RaftNode>(id)!.leaderId).toBe(leader!.id)
    }
  })

  it('elects a new leader within 5 s of isolating the old one, and the old one steps down (CheckQuorum)', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const sim = new Simulation({ protocol: raft, seed, nodes: 5 })
      sim.run({ untilUs: 2 * US_PER_S })
      const old = leaders(sim)[0]!
      sim.apply({ do: 'isolate', nodes: [old.id] })
      const isolatedAtUs = sim.now()
      sim.run({ stopWhen: (s) => leaders(s).some((l) => l.id !== old.id), untilUs: isolatedAtUs + 5 * US_PER_S })
      expect(sim.now() - isolatedAtUs).toBeLessThan(5 * US_PER_S)
      sim.run({ untilUs: sim.now() + 1 * US_PER_S })
      expect(sim.node<RaftNode>(old.id)!.isLeader).toBe(false)
      // PreVote: the isolated node never bumped its term, so healing disrupts nobody.
      const newLeader = leaders(sim)[0]!
      sim.apply({ do: 'heal' })
      sim.run({ untilUs: sim.now() + 2 * US_PER_S })
      expect(leaders(sim).map((l) => l.id)).toEqual([newLeader.id])
    }
  })

  it('keeps one leader for minutes on a quiet network (no spurious elections)', () => {
    const sim = new Simulation({ protocol: raft, seed: 9, nodes: 5 })
    sim.run({ untilUs: 2 * US_PER_S })
    const first = leaders(sim)[0]!
    const term = first.currentTerm
    sim.run({ untilUs: 120 * US_PER_S })
    expect(leaders(sim)[0]!.id).toBe(first.id)
    expect(leaders(sim)[0]!.currentTerm).toBe(term)
  })
})

describe('the vote rule', () => {
  /** A node whose log holds entries of the given terms. */
  function withLog(terms: number[]) {
    const f = fakeNode('n1', { config: { preVote: false, checkQuorum: false } })
    f.node.currentTerm = Math.max(0, ...terms)
    f.node.log.append(terms.map((term) => ({ term, command: null })))
    return f
  }
  const ask = (f: ReturnType<typeof withLog>, from: string, term: number, lastLogIndex: number, lastLogTerm: number) => {
    f.node.onMessage(from, { type: 'RequestVote', term, lastLogIndex, lastLogTerm })
    const reply = takeSent(f).find((s) => s.to === from)!.msg
    return reply.type === 'RequestVoteReply' && reply.granted
  }

  it('grants a candidate whose last term is higher, even with a shorter log', () => {
    expect(ask(withLog([1, 1, 2]), 'n2', 3, 1, 3)).toBe(true)
  })
  it('refuses a candidate whose last term is lower, even with a longer log', () => {
    expect(ask(withLog([1, 1, 2]), 'n2', 3, 10, 1)).toBe(false)
  })
  it('with equal last terms, compares lengths', () => {
    expect(ask(withLog([1, 2, 2]), 'n2', 3, 3, 2)).toBe(true)
    expect(ask(withLog([1, 2, 2]), 'n2', 3, 2, 2)).toBe(false)
  })
  it('votes once per term, and again for the same candidate', () => {
    const f = withLog([1])
    expect(ask(f, 'n2', 2, 1, 1)).toBe(true)
    expect(ask(f, 'n3', 2, 1, 1)).toBe(false)
    expect(ask(f, 'n2', 2, 1, 1)).toBe(true)
    expect(ask(f, 'n3', 3, 1, 1)).toBe(true)
  })
  it('refuses a stale term and answers with its own', () => {
    const f = withLog([1, 3])
    f.node.onMessage('n2', { type: 'RequestVote', term: 2, lastLogIndex: 5, lastLogTerm: 3 })
    expect(takeSent(f)[0]!.msg).toMatchObject({ type: 'RequestVoteReply', term: 3, granted: false })
  })
  it('persists the vote (synced) before the reply, so a restart remembers it', () => {
    const f = withLog([1])
    expect(ask(f, 'n2', 2, 1, 1)).toBe(true)
    const again = f.restart()
    expect(again.node.votedFor).toBe('n2')
    again.node.onMessage('n3', { type: 'RequestVote', term: 2, lastLogIndex: 1, lastLogTerm: 1 })
    expect(takeSent(again)[0]!.msg).toMatchObject({ granted: false })
  })
  it('the vote-without-log-check mutant grants an out-of-date candidate', () => {
    const f = fakeNode('n1', { mutant: 'vote-without-log-check', config: { preVote: false, checkQuorum: false } })
    f.node.log.append([{ term: 1, command: null }, { term: 2, command: null }])
    f.node.onMessage('n2', { type: 'RequestVote', term: 3, lastLogIndex: 1, lastLogTerm: 1 })
    expect(takeSent(f)[0]!.msg).toMatchObject({ granted: true })
  })
})

describe('PreVote and the CheckQuorum lease', () => {
  it('a pre-vote changes neither term nor vote, and is refused while a leader is heard from', () => {
    const f = fakeNode('n1')
    f.node.onMessage('n2', { type: 'AppendEntries', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, round: 1 })
    takeSent(f)
    f.node.onMessage('n3', { type: 'PreVote', term: 2, lastLogIndex: 5, lastLogTerm: 1 })
    expect(takeSent(f)).toEqual([]) // ignored inside the lease, as etcd does
    f.ctx.timeUs += 1000 * US_PER_MS
    f.node.onMessage('n3', { type: 'PreVote', term: 2, lastLogIndex: 5, lastLogTerm: 1 })
    expect(takeSent(f)[0]!.msg).toEqual({ type: 'PreVoteReply', term: 2, granted: true })
    expect(f.node.currentTerm).toBe(1)
    expect(f.node.votedFor).toBe(null)
  })
  it('a RequestVote of a higher term inside the lease does not bump the term', () => {
    const f = fakeNode('n1')
    f.node.onMessage('n2', { type: 'AppendEntries', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, round: 1 })
    takeSent(f)
    f.node.onMessage('n3', { type: 'RequestVote', term: 5, lastLogIndex: 5, lastLogTerm: 1 })
    expect(f.node.currentTerm).toBe(1)
    expect(takeSent(f)).toEqual([])
  })
})
