/**
 * Partition shapes: pure functions from node ids (and, for the random ones, a stream) to a Cut.
 * A Cut lists every directed pair (a, b), a != b, that carries nothing, each once, in a stable
 * order (the order of `all`), so a trace of the cut replays byte for byte.
 */
import type { NodeId } from '../protocol.ts'
import type { RandomStream } from '../random.ts'
import { InputError } from '../time.ts'
import type { Cut } from './types.ts'

/** The isolated nodes form one group and the rest another; isolated nodes still reach each other. */
export function isolateCut(isolated: readonly NodeId[], all: readonly NodeId[]): Cut {
  const inside = new Set(known(isolated, all, 'isolate'))
  const ins = all.filter((id) => inside.has(id))
  const outs = all.filter((id) => !inside.has(id))
  return cutFromGroups(`isolate ${list(ins)}`, [ins, outs])
}

/** The first floor(n/2) nodes against the rest, in the given order: for odd n the first group is the minority. */
export function halvesCut(all: readonly NodeId[]): Cut {
  const half = Math.floor(all.length / 2)
  const [left, right] = [all.slice(0, half), all.slice(half)]
  return cutFromGroups(`halves ${list(left)} | ${list(right)}`, [left, right])
}

/** Halves of a shuffled order. */
export function randomHalvesCut(all: readonly NodeId[], rng: RandomStream): Cut {
  return halvesCut(rng.shuffle(all))
}

/**
 * Arbitrary groups. Nodes no group names form one more group, last, so that listing only a
 * minority ("groups: [[n1, n2]]") cuts it off from everyone else. Empty groups are ignored.
 */
export function groupsCut(groups: readonly (readonly NodeId[])[], all: readonly NodeId[]): Cut {
  const seen = new Set<NodeId>()
  const listed: NodeId[][] = []
  for (const group of groups) {
    const members: NodeId[] = []
    for (const id of known(group, all, 'groups')) {
      if (seen.has(id)) throw new InputError(`bad groups: node '${id}' is in more than one group`)
      seen.add(id)
      members.push(id)
    }
    listed.push(members)
  }
  listed.push(all.filter((id) => !seen.has(id)))
  const nonEmpty = listed.filter((g) => g.length > 0)
  return cutFromGroups(`groups ${nonEmpty.map(list).join(' | ')}`, nonEmpty)
}

/** Messages from `from` nodes to `to` nodes are lost; the reverse direction still works. */
export function oneWayCut(from: readonly NodeId[], to: readonly NodeId[], all: readonly NodeId[]): Cut {
  const senders = new Set(known(from, all, 'one-way'))
  const receivers = new Set(known(to, all, 'one-way'))
  const blocked: Array<[NodeId, NodeId]> = []
  for (const a of all) {
    if (!senders.has(a)) continue
    for (const b of all) if (a !== b && receivers.has(b)) blocked.push([a, b])
  }
  const inOrder = (set: Set<NodeId>) => all.filter((id) => set.has(id))
  return { description: `one-way ${list(inOrder(senders))} -> ${list(inOrder(receivers))}`, groups: null, blocked }
}

/**
 * Jepsen's majorities ring: shuffle the nodes into a ring; each node reaches itself and its
 * nearest ring neighbours, just enough that it sees a majority (floor(n/2) others). Links are
 * symmetric and, for n >= 3, no two nodes see the same set, so every node may believe it is
 * in the majority while no majority agrees on who is in it. When floor(n/2) is odd the nearest
 * neighbours on both sides are not enough, so each node also reaches the node across the ring
 * (for odd n one node gets two such chords). Small n: with 1 or 2 nodes a majority is everyone,
 * so nothing is cut; with 3 the middle node of the ring reaches both others, which cannot reach
 * each other.
 */
export function majoritiesRingCut(all: readonly NodeId[], rng: RandomStream): Cut {
  const ring = rng.shuffle(all)
  const n = ring.length
  const reach = majoritiesRingReach(n)
  const blocked: Array<[NodeId, NodeId]> = []
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (reach[i * n + j] === 0) blocked.push([ring[i]!, ring[j]!])
  }
  return { description: `majorities-ring ${ring.join('-') || '-'}`, groups: null, blocked }
}

/** Who reaches whom, by ring position, as a row-major n*n matrix (1 = reaches). */
export function majoritiesRingReach(n: number): Uint8Array {
  const reach = new Uint8Array(n * n)
  const link = (a: number, b: number) => {
    reach[a * n + b] = 1
    reach[b * n + a] = 1
  }
  const others = Math.floor(n / 2) // a majority is others + 1, counting the node itself
  for (let i = 0; i < n; i++) {
    link(i, i)
    for (let d = 1; d <= Math.floor(others / 2); d++) link(i, (i + d) % n)
  }
  if (others % 2 === 1) {
    const across = Math.floor(n / 2)
    // Even n: a perfect matching. Odd n: one more pair than fits, so node `across` gets two chords.
    for (let i = 0; i < n - across; i++) link(i, i + across)
  }
  return reach
}

/**
 * Jepsen's bridge: shuffle, split into halves, and let the first node of the second half be a
 * bridge that both sides reach (and that reaches both); the two sides cannot reach each other.
 */
export function bridgeCut(all: readonly NodeId[], rng: RandomStream): Cut {
  const order = rng.shuffle(all)
  const half = Math.floor(order.length / 2)
  const bridge = order[half]
  const left = order.slice(0, half)
  const right = order.slice(half + 1)
  const blocked: Array<[NodeId, NodeId]> = []
  for (const a of left) for (const b of right) blocked.push([a, b])
  for (const a of right) for (const b of left) blocked.push([a, b])
  return { description: `bridge ${bridge ?? '-'} joins ${list(left)} | ${list(right)}`, groups: null, blocked }
}

/** A predicate for "does this directed link carry messages"; for cold paths (tests, the viewer). */
export function cutAllows(cut: Cut): (from: NodeId, to: NodeId) => boolean {
  const cutLinks = new Set(cut.blocked.map(([a, b]) => `${a}->${b}`))
  return (from, to) => !cutLinks.has(`${from}->${to}`)
}

/** The engine's hot-path form: a row-major n*n matrix, 1 where from*n+to is cut. */
export function blockedMatrix(cut: Cut, index: ReadonlyMap<NodeId, number>, n: number): Uint8Array {
  const matrix = new Uint8Array(n * n)
  for (const [from, to] of cut.blocked) {
    const a = index.get(from)
    const b = index.get(to)
    if (a === undefined || b === undefined || a >= n || b >= n) {
      throw new RangeError(`cut '${cut.description}' names a node outside the index: ${from}->${to}`)
    }
    matrix[a * n + b] = 1
  }
  return matrix
}

/** Every ordered pair across different groups; groups are disjoint. */
function cutFromGroups(description: string, groups: readonly NodeId[][]): Cut {
  const nonEmpty = groups.filter((g) => g.length > 0)
  const blocked: Array<[NodeId, NodeId]> = []
  nonEmpty.forEach((from, i) => {
    nonEmpty.forEach((to, j) => {
      if (i !== j) for (const a of from) for (const b of to) blocked.push([a, b])
    })
  })
  return { description, groups: nonEmpty.map((g) => g.slice()), blocked }
}

/** The ids, de-duplicated in the given order; an id outside `all` is a user error. */
function known(ids: readonly NodeId[], all: readonly NodeId[], what: string): NodeId[] {
  const members = new Set(all)
  const out: NodeId[] = []
  for (const id of ids) {
    if (!members.has(id)) throw new InputError(`bad ${what}: unknown node '${id}' (nodes: ${list(all)})`)
    if (!out.includes(id)) out.push(id)
  }
  return out
}

function list(ids: readonly NodeId[]): string {
  return ids.length > 0 ? ids.join(',') : '-'
}
