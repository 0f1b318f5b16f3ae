import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { NodeId } from '../protocol.ts'
import { RandomStream } from '../random.ts'
import { InputError } from '../time.ts'
import {
  blockedMatrix,
  bridgeCut,
  cutAllows,
  groupsCut,
  halvesCut,
  isolateCut,
  majoritiesRingCut,
  majoritiesRingReach,
  oneWayCut,
  randomHalvesCut,
} from './shapes.ts'
import type { Cut } from './types.ts'

const nodes = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => `n${i + 1}`)
const key = (a: NodeId, b: NodeId) => `${a}->${b}`
const blockedSet = (cut: Cut) => new Set(cut.blocked.map(([a, b]) => key(a, b)))

/** n in 1..9 nodes, given in a random order, and a seed for the shapes that shuffle. */
const clusterArb = fc
  .integer({ min: 1, max: 9 })
  .chain((n) => fc.tuple(fc.shuffledSubarray(nodes(n), { minLength: n, maxLength: n }), fc.integer({ min: 0, max: 2 ** 32 })))

/** The exact blocked set a predicate describes, over all ordered pairs a != b. */
function pairsWhere(all: NodeId[], cutOff: (a: NodeId, b: NodeId) => boolean): Set<string> {
  const out = new Set<string>()
  for (const a of all) for (const b of all) if (a !== b && cutOff(a, b)) out.add(key(a, b))
  return out
}

/** What every cut promises: no self-pairs, no duplicates, only known nodes, and a matching matrix. */
function checkWellFormed(cut: Cut, all: NodeId[]): void {
  for (const [a, b] of cut.blocked) {
    expect(a).not.toBe(b)
    expect(all).toContain(a)
    expect(all).toContain(b)
  }
  expect(blockedSet(cut).size).toBe(cut.blocked.length)
  const index = new Map(all.map((id, i) => [id, i]))
  const matrix = blockedMatrix(cut, index, all.length)
  const allows = cutAllows(cut)
  for (const a of all) {
    for (const b of all) {
      const isCut = blockedSet(cut).has(key(a, b))
      expect(matrix[index.get(a)! * all.length + index.get(b)!]).toBe(isCut ? 1 : 0)
      expect(allows(a, b)).toBe(!isCut)
    }
  }
  expect(cut.description).not.toContain('\n')
}

/** Who a node reaches under a cut, itself included. */
const reachable = (cut: Cut, all: NodeId[], a: NodeId) => all.filter((b) => cutAllows(cut)(a, b))

describe('partition shapes, for every n in 1..9', () => {
  it('isolate cuts exactly the pairs across the two groups', () => {
    fc.assert(
      fc.property(clusterArb.chain(([all, seed]) => fc.tuple(fc.constant(all), fc.subarray(all), fc.constant(seed))), ([all, isolated]) => {
        const cut = isolateCut(isolated, all)
        checkWellFormed(cut, all)
        const inside = new Set(isolated)
        expect(blockedSet(cut)).toEqual(pairsWhere(all, (a, b) => inside.has(a) !== inside.has(b)))
        expect(cut.groups!.flat().sort()).toEqual(all.slice().sort())
      }),
    )
  })

  it('halves: floor(n/2) nodes (in order) against the rest', () => {
    fc.assert(
      fc.property(clusterArb, ([all]) => {
        const cut = halvesCut(all)
        checkWellFormed(cut, all)
        const left = new Set(all.slice(0, Math.floor(all.length / 2)))
        expect(blockedSet(cut)).toEqual(pairsWhere(all, (a, b) => left.has(a) !== left.has(b)))
        const sizes = cut.groups!.map((g) => g.length)
        expect(sizes).toEqual(all.length === 1 ? [1] : [Math.floor(all.length / 2), Math.ceil(all.length / 2)])
      }),
    )
  })

  it('random halves: halves of some order, the same for the same seed', () => {
    fc.assert(
      fc.property(clusterArb, ([all, seed]) => {
        const cut = randomHalvesCut(all, RandomStream.root(seed))
        checkWellFormed(cut, all)
        expect(cut).toEqual(randomHalvesCut(all, RandomStream.root(seed)))
        const order = cut.groups!.flat()
        expect(order.slice().sort()).toEqual(all.slice().sort())
        expect(cut).toEqual(halvesCut(order))
      }),
    )
  })

  it('majorities ring: symmetric, each node sees a strict majority, and (n >= 3) no two see the same set', () => {
    fc.assert(
      fc.property(clusterArb, ([all, seed]) => {
        const cut = majoritiesRingCut(all, RandomStream.root(seed))
        checkWellFormed(cut, all)
        expect(cut.groups).toBeNull()
        const blocked = blockedSet(cut)
        for (const [a, b] of cut.blocked) expect(blocked.has(key(b, a))).toBe(true)
        const sets = all.map((a) => reachable(cut, all, a))
        for (const [i, seen] of sets.entries()) {
          expect(seen).toContain(all[i])
          expect(seen.length).toBeGreaterThan(all.length / 2)
        }
        if (all.length >= 3) expect(new Set(sets.map((s) => s.join(','))).size).toBe(all.length)
        else expect(cut.blocked).toEqual([])
        expect(cut.description).toMatch(/^majorities-ring n\d(-n\d)*$/)
      }),
    )
  })

  it('majorities ring stays tight and distinct well beyond 9 nodes', () => {
    for (let n = 3; n <= 40; n++) {
      const reach = majoritiesRingReach(n)
      const rows = Array.from({ length: n }, (_, i) => Array.from(reach.subarray(i * n, (i + 1) * n)).join(''))
      expect(new Set(rows).size).toBe(n)
      const sizes = rows.map((r) => r.split('').filter((c) => c === '1').length)
      expect(Math.min(...sizes)).toBe(Math.floor(n / 2) + 1) // exactly a majority, not more
      expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.floor(n / 2) + 2)
    }
  })

  it('bridge: the bridge reaches everyone and everyone reaches it; the sides cannot reach each other', () => {
    fc.assert(
      fc.property(clusterArb, ([all, seed]) => {
        const cut = bridgeCut(all, RandomStream.root(seed))
        checkWellFormed(cut, all)
        expect(cut.groups).toBeNull()
        const match = /^bridge (\S+) joins (\S+) \| (\S+)$/.exec(cut.description)!
        expect(match).not.toBeNull()
        const side = (text: string) => (text === '-' ? [] : text.split(','))
        const [bridge, left, right] = [match[1]!, side(match[2]!), side(match[3]!)]
        expect([bridge, ...left, ...right].sort()).toEqual(all.slice().sort())
        expect(left.length).toBe(Math.floor(all.length / 2))
        expect(reachable(cut, all, bridge)).toEqual(all)
        const l = new Set(left)
        const r = new Set(right)
        expect(blockedSet(cut)).toEqual(pairsWhere(all, (a, b) => (l.has(a) && r.has(b)) || (r.has(a) && l.has(b))))
      }),
    )
  })

  it('groups: exactly the pairs across groups, unlisted nodes forming one more group', () => {
    fc.assert(
      fc.property(
        clusterArb.chain(([all]) => fc.tuple(fc.constant(all), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: all.length, maxLength: all.length }))),
        ([all, groupOf]) => {
          // Group 3 is "unlisted": those nodes must end up together.
          const groups = [0, 1, 2].map((g) => all.filter((_, i) => groupOf[i] === g))
          const cut = groupsCut(groups, all)
          checkWellFormed(cut, all)
          const g = (id: NodeId) => groupOf[all.indexOf(id)]!
          expect(blockedSet(cut)).toEqual(pairsWhere(all, (a, b) => g(a) !== g(b)))
          expect(cut.groups!.every((members) => members.length > 0)).toBe(true)
        },
      ),
    )
  })

  it('one-way: only messages from `from` to `to` are lost', () => {
    fc.assert(
      fc.property(
        clusterArb.chain(([all]) => fc.tuple(fc.constant(all), fc.subarray(all), fc.subarray(all))),
        ([all, from, to]) => {
          const cut = oneWayCut(from, to, all)
          checkWellFormed(cut, all)
          expect(cut.groups).toBeNull()
          expect(blockedSet(cut)).toEqual(pairsWhere(all, (a, b) => from.includes(a) && to.includes(b)))
        },
      ),
    )
  })
})

describe('descriptions and errors', () => {
  const five = nodes(5)
  const rng = () => RandomStream.root(0x5eed)

  it('describes each shape briefly', () => {
    expect(isolateCut(['n1'], five).description).toBe('isolate n1')
    expect(isolateCut(['n3', 'n1', 'n3'], five).groups).toEqual([['n1', 'n3'], ['n2', 'n4', 'n5']])
    expect(halvesCut(five).description).toBe('halves n1,n2 | n3,n4,n5')
    expect(halvesCut(['n1']).description).toBe('halves - | n1')
    expect(groupsCut([['n1', 'n2'], ['n3']], five).description).toBe('groups n1,n2 | n3 | n4,n5')
    expect(groupsCut([['n1', 'n2'], [], ['n3', 'n4', 'n5']], five).groups).toEqual([['n1', 'n2'], ['n3', 'n4', 'n5']])
    expect(oneWayCut(['n1'], ['n2', 'n3'], five).description).toBe('one-way n1 -> n2,n3')
    expect(majoritiesRingCut(five, rng()).description).toMatch(/^majorities-ring n\d-n\d-n\d-n\d-n\d$/)
    expect(bridgeCut(five, rng()).description).toMatch(/^bridge n\d joins n\d,n\d \| n\d,n\d$/)
  })

  it('a five-node majorities ring cuts each node from its two far ring positions', () => {
    const cut = majoritiesRingCut(five, rng())
    const ring = cut.description.split(' ')[1]!.split('-')
    for (const [i, id] of ring.entries()) {
      const expected = [ring[(i + 4) % 5], id, ring[(i + 1) % 5]].sort()
      expect(reachable(cut, five, id).sort()).toEqual(expected)
    }
  })

  it('random shapes are the same for the same stream state', () => {
    expect(majoritiesRingCut(five, rng())).toEqual(majoritiesRingCut(five, rng()))
    expect(bridgeCut(five, rng())).toEqual(bridgeCut(five, rng()))
  })

  it('rejects unknown nodes and overlapping groups with one line', () => {
    expect(() => isolateCut(['n9'], five)).toThrow(new InputError("bad isolate: unknown node 'n9' (nodes: n1,n2,n3,n4,n5)"))
    expect(() => oneWayCut(['n1'], ['x'], five)).toThrow(InputError)
    expect(() => groupsCut([['n1'], ['n1', 'n2']], five)).toThrow("bad groups: node 'n1' is in more than one group")
  })

  it('blockedMatrix refuses a node missing from the index', () => {
    const cut = isolateCut(['n1'], five)
    expect(() => blockedMatrix(cut, new Map([['n1', 0]]), 5)).toThrow(RangeError)
  })

  it('handles an empty cluster', () => {
    for (const cut of [halvesCut([]), majoritiesRingCut([], rng()), bridgeCut([], rng()), groupsCut([], [])]) {
      expect(cut.blocked).toEqual([])
    }
  })
})
