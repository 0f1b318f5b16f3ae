/**
 * Each invariant, on hand-made cluster states: silent on a healthy history, and naming the
 * problem when one node breaks the property. (The mutant tests show the same through real runs;
 * log-matching and leader-append-only have no mutant, so these are their tests.)
 */
import { describe, expect, it } from 'vitest'
import type { InvariantContext } from '../../sim/protocol.ts'
import { fakeNode, type FakeNode } from './fake-context.ts'
import { raftInvariants } from './invariants.ts'
import type { Entry } from './messages.ts'
import type { RaftNode } from './node.ts'

const IDS = ['n1', 'n2', 'n3']

function cluster() {
  const nodes = new Map<string, FakeNode>(IDS.map((id) => [id, fakeNode(id, { nodes: IDS, config: { preVote: false, checkQuorum: false } })]))
  const invariants = raftInvariants()
  /** Runs every invariant as if `touched` just handled an event; the first violation or null. */
  const check = (touched: string): string | null => {
    const ctx: InvariantContext<RaftNode> = {
      time: 0, eventIndex: 0, touched, nodeIds: IDS, history: [],
      node: (id) => nodes.get(id)?.node, storage: (id) => nodes.get(id)!.storage,
    }
    for (const inv of invariants) {
      const v = inv.check(ctx)
      if (v !== null) return `${inv.name}: ${v}`
    }
    return null
  }
  return { node: (id: string) => nodes.get(id)!.node, check }
}

const e = (term: number, command: unknown): Entry => ({ term, command })

function lead(n: RaftNode, term: number): void {
  n.currentTerm = term
  n.role = 'leader'
}

describe('raft invariants', () => {
  it('stay silent on a healthy cluster', () => {
    const c = cluster()
    for (const id of IDS) c.node(id).log.append([e(1, null), e(1, 'a')])
    lead(c.node('n1'), 1)
    for (const id of IDS) {
      c.node(id).commitIndex = 2
      expect(c.check(id)).toBeNull()
    }
  })
  it('election-safety: two leaders in one term', () => {
    const c = cluster()
    lead(c.node('n1'), 3)
    expect(c.check('n1')).toBeNull()
    lead(c.node('n2'), 3)
    expect(c.check('n2')).toMatch(/^election-safety: two leaders in term 3: n1 and n2/)
  })
  it('leader-append-only: a leader that truncates its own log', () => {
    const c = cluster()
    const n1 = c.node('n1')
    n1.log.append([e(1, 'a'), e(2, 'b')])
    lead(n1, 2)
    expect(c.check('n1')).toBeNull()
    n1.log.truncateAfter(1)
    expect(c.check('n1')).toMatch(/^leader-append-only: leader n1 of term 2 removed or overwrote/)
  })
  it('log-matching: the same index and term with different contents, or different history before', () => {
    const c = cluster()
    c.node('n1').log.append([e(1, 'a'), e(2, 'b')])
    expect(c.check('n1')).toBeNull()
    c.node('n2').log.append([e(1, 'a'), e(2, 'X')])
    expect(c.check('n2')).toMatch(/^log-matching: n2 holds index 2 term 2/)
    const d = cluster()
    d.node('n1').log.append([e(1, 'a'), e(2, 'b')])
    d.check('n1')
    d.node('n3').log.append([e(2, 'z'), e(2, 'b')])
    expect(d.check('n3')).toMatch(/^log-matching: n3 holds index 1 term 2|^log-matching: n3 holds index 2 term 2/)
  })
  it('state-machine-safety: two nodes commit different entries at one index, or a committed entry is removed', () => {
    const c = cluster()
    c.node('n1').log.append([e(1, 'a')])
    c.node('n1').commitIndex = 1
    expect(c.check('n1')).toBeNull()
    c.node('n2').log.append([e(2, 'b')])
    c.node('n2').commitIndex = 1
    expect(c.check('n2')).toMatch(/^(log-matching|state-machine-safety)/)
    const d = cluster()
    d.node('n1').log.append([e(1, 'a'), e(1, 'b')])
    d.node('n1').commitIndex = 2
    d.check('n1')
    d.node('n1').log.truncateAfter(1)
    d.node('n1').commitIndex = 1
    expect(d.check('n1')).toMatch(/^state-machine-safety: n1 removed committed entries from index 2/)
  })
  it('leader-completeness: a new leader without an entry committed in an earlier term', () => {
    const c = cluster()
    c.node('n1').currentTerm = 1
    c.node('n1').log.append([e(1, 'a')])
    c.node('n1').commitIndex = 1
    expect(c.check('n1')).toBeNull()
    lead(c.node('n2'), 2)
    expect(c.check('n2')).toMatch(/^leader-completeness: leader n2 of term 2 lacks committed index 1/)
  })
})
