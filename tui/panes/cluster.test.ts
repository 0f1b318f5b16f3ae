import { describe, expect, it } from 'vitest'
import { lineText } from '../text.ts'
import { oneWayLinks, partitionLines, sideOf, termOf } from './cluster.ts'

describe('the partition display', () => {
  it('letters the sides of a grouped partition', () => {
    const p = { description: 'isolate n1', groups: [['n1'], ['n2', 'n3']], blocked: [['n1', 'n2'], ['n2', 'n1'], ['n1', 'n3'], ['n3', 'n1']] as Array<[string, string]> }
    expect([sideOf(p, 'n1'), sideOf(p, 'n3'), sideOf(null, 'n1')]).toEqual(['A', 'B', ''])
    expect(partitionLines(p).map(lineText)).toEqual(['partition isolate n1', 'sides A{n1} | B{n2 n3}'])
  })

  it('marks links cut one way only', () => {
    const p = { description: 'one-way n1 -> n2', groups: null, blocked: [['n1', 'n2'], ['n3', 'n2'], ['n2', 'n3']] as Array<[string, string]> }
    expect(oneWayLinks(p.blocked)).toEqual([['n1', 'n2']])
    expect(partitionLines(p).map(lineText)).toEqual(['partition one-way n1 -> n2', 'one-way cut n1↛n2'])
  })

  it('lists symmetric cuts without groups once per pair', () => {
    const p = { description: 'bridge', groups: null, blocked: [['n1', 'n2'], ['n2', 'n1']] as Array<[string, string]> }
    expect(partitionLines(p).map(lineText)).toEqual(['partition bridge', 'cut n1↮n2'])
    expect(lineText(partitionLines(null)[0]!)).toMatch(/network whole/)
  })
})

describe('termOf', () => {
  it('labels Raft terms and ZAB or Redis epochs', () => {
    expect([termOf({ term: 3 }), termOf({ currentEpoch: 2 }), termOf({ epoch: 1 }), termOf({}), termOf(null)]).toEqual(['T3', 'E2', 'E1', '', ''])
  })
})
