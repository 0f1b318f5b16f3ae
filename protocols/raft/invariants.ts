/**
 * Raft's safety properties (paper figure 3), checked after every event. They keep their own
 * history rather than trusting the nodes: every term's leader, every (index, term) entry ever
 * seen in any log, and every entry ever committed (index -> term, command digest, and the term
 * it was first seen committed in). Each check looks only at the node just touched, and only at
 * what changed in its log since it was last looked at (see RaftLog.rewrites), so the cost per
 * event is constant on average.
 */
import type { Invariant, InvariantContext, NodeId } from '../../sim/protocol.ts'
import { isImmutable } from '../../sim/freeze.ts'
import { entryJson, type Entry } from './messages.ts'
import type { RaftNode } from './node.ts'

/** What the invariants last saw of one node object (a restart makes a fresh object). */
interface Mark {
  matchCheckedTo: number
  matchRewrites: number
  leaderTerm: number
  leaderLast: number
  leaderLastTerm: number
  leaderRewrites: number
  commitCheckedTo: number
  commitRewrites: number
  snapshotChecked: number
}

/**
 * An entry as the invariants remember it. Followers hold the very object the leader made, so
 * most comparisons are by identity. A frozen entry cannot change, so its text (the digest) is
 * made only when a comparison needs it; any other entry is serialised at once, so the record
 * never depends on an object a node could still change.
 */
interface Recorded {
  entry: Entry
  text: string | null
}

interface SeenEntry extends Recorded {
  term: number
  prevTerm: number
}

class RaftHistory {
  readonly leaders = new Map<number, NodeId>()
  /** index -> the first (term, term before it, digest) seen there; other terms at that index under "index:term". */
  readonly seen = new Map<number, SeenEntry>()
  readonly seenOtherTerms = new Map<string, SeenEntry>()
  readonly committedTerm: number[] = []
  readonly committed: Recorded[] = []
  /** The term of the node that first showed the entry committed (the committing leader's). */
  readonly committedIn: number[] = []
  /** Indexes newly committed, for Leader Completeness to check against live leaders. */
  fresh: number[] = []
  readonly completenessChecked = new Set<number>()
  private readonly marks = new WeakMap<RaftNode, Mark>()
  /** The node last asked about and its mark: the checks of one event all ask about the same node. */
  private lastNode: RaftNode | null = null
  private lastMark: Mark | null = null

  mark(node: RaftNode): Mark {
    if (node === this.lastNode) return this.lastMark!
    let m = this.marks.get(node)
    if (!m) {
      const s = node.log.offset
      m = { matchCheckedTo: s, matchRewrites: node.log.rewrites, leaderTerm: 0, leaderLast: 0, leaderLastTerm: 0, leaderRewrites: 0, commitCheckedTo: s, commitRewrites: node.log.rewrites, snapshotChecked: 0 }
      this.marks.set(node, m)
    }
    this.lastNode = node
    this.lastMark = m
    return m
  }
}

/** A recorded entry's identity for comparisons (`entryJson`: term and command), made once. */
const textOf = (r: Recorded): string => (r.text ??= entryJson(r.entry))

/** Null (made when needed) for an entry frozen all the way down; the text now for anything else. */
const eagerText = (e: Entry): string | null => (isImmutable(e) ? null : entryJson(e))

/** Whether an entry is the one recorded (same object, or the same serialised content). */
const same = (e: Entry, r: Recorded): boolean => e === r.entry || entryJson(e) === textOf(r)

type Check = (node: RaftNode, id: NodeId, h: RaftHistory, ctx: InvariantContext<RaftNode>) => string | null

function invariant(name: string, h: RaftHistory, check: Check): Invariant<RaftNode> {
  return {
    name,
    check(ctx) {
      if (ctx.touched === null) return null
      const node = ctx.node(ctx.touched)
      return node ? check(node, ctx.touched, h, ctx) : null
    },
  }
}

/** At most one leader per term. */
const electionSafety: Check = (node, id, h) => {
  if (!node.isLeader) return null
  const other = h.leaders.get(node.currentTerm)
  if (other === undefined) h.leaders.set(node.currentTerm, id)
  else if (other !== id) return `two leaders in term ${node.currentTerm}: ${other} and ${id}`
  return null
}

/** A leader never overwrites or deletes entries in its log; it only appends. */
const leaderAppendOnly: Check = (node, id, h) => {
  const m = h.mark(node)
  const log = node.log
  if (!node.isLeader) {
    m.leaderTerm = 0
    return null
  }
  if (m.leaderTerm === node.currentTerm) {
    const kept = m.leaderLast <= log.offset || log.termAt(m.leaderLast) === m.leaderLastTerm
    if (log.rewrites !== m.leaderRewrites || log.lastIndex < m.leaderLast || !kept) {
      return `leader ${id} of term ${node.currentTerm} removed or overwrote entries (it had ${m.leaderLast} entries, last of term ${m.leaderLastTerm}; now ${log.lastIndex})`
    }
  }
  m.leaderTerm = node.currentTerm
  m.leaderLast = log.lastIndex
  m.leaderLastTerm = log.lastTerm
  m.leaderRewrites = log.rewrites
  return null
}

/**
 * Two entries with the same index and term hold the same command, and the same term before
 * them; by induction from index 1, the logs are then identical up to that index.
 */
const logMatching: Check = (node, id, h) => {
  const m = h.mark(node)
  const log = node.log
  let from = m.matchCheckedTo
  if (log.rewrites !== m.matchRewrites) {
    from = log.rewrites === m.matchRewrites + 1 ? Math.min(from, log.rewriteFloor - 1) : 0
    m.matchRewrites = log.rewrites
  }
  for (let i = Math.max(from, log.offset) + 1; i <= log.lastIndex; i++) {
    const e = log.entry(i)!
    const prevTerm = log.termAt(i - 1)!
    const rec = seenAt(h, i, e, prevTerm)
    if (rec !== null && (!same(e, rec) || rec.prevTerm !== prevTerm)) {
      return `${id} holds index ${i} term ${e.term} = ${entryJson(e)} after term ${prevTerm}, but another log has ${textOf(rec)} after term ${rec.prevTerm} there`
    }
  }
  m.matchCheckedTo = log.lastIndex
  return null
}

/** What was seen before at (index, entry's term), or null after recording this entry as the first there. */
function seenAt(h: RaftHistory, index: number, e: Entry, prevTerm: number): SeenEntry | null {
  const first = h.seen.get(index)
  if (first === undefined) {
    h.seen.set(index, { term: e.term, prevTerm, entry: e, text: eagerText(e) })
    return null
  }
  if (first.term === e.term) return first
  const key = `${index}:${e.term}`
  const other = h.seenOtherTerms.get(key)
  if (other !== undefined) return other
  h.seenOtherTerms.set(key, { term: e.term, prevTerm, entry: e, text: eagerText(e) })
  return null
}

/** Every node commits the same entry at an index, and never removes a committed entry. */
const stateMachineSafety: Check = (node, id, h) => {
  const m = h.mark(node)
  const log = node.log
  if (log.rewrites !== m.commitRewrites) {
    if (log.rewriteFloor <= m.commitCheckedTo) return `${id} removed committed entries from index ${log.rewriteFloor} (it had committed up to ${m.commitCheckedTo})`
    m.commitRewrites = log.rewrites
  }
  if (log.snapshotIndex > m.snapshotChecked) {
    const t = h.committedTerm[log.snapshotIndex]
    if (t !== undefined && t !== log.snapshotTerm) return `${id} holds a snapshot to index ${log.snapshotIndex} of term ${log.snapshotTerm}, but that index was committed with term ${t}`
    m.snapshotChecked = log.snapshotIndex
  }
  for (let i = Math.max(m.commitCheckedTo, log.offset) + 1; i <= node.commitIndex; i++) {
    const e = log.entry(i)
    if (!e) continue
    const term = h.committedTerm[i]
    if (term === undefined) {
      h.committedTerm[i] = e.term
      h.committed[i] = { entry: e, text: eagerText(e) }
      h.committedIn[i] = node.currentTerm
      h.fresh.push(i)
    } else if (term !== e.term || !same(e, h.committed[i]!)) {
      return `${id} committed index ${i} = ${entryJson(e)} (term ${e.term}), but ${textOf(h.committed[i]!)} (term ${term}) was committed there before`
    }
  }
  if (node.commitIndex > m.commitCheckedTo) m.commitCheckedTo = node.commitIndex
  return null
}

function holds(node: RaftNode, h: RaftHistory, i: number): boolean {
  if (i <= node.log.offset) return true // compacted into its snapshot, which state-machine-safety checks
  const e = node.log.entry(i)
  return e !== undefined && e.term === h.committedTerm[i] && same(e, h.committed[i]!)
}

/** A leader's log holds every entry committed in an earlier term. */
const leaderCompleteness: Check = (node, id, h, ctx) => {
  if (node.isLeader && !h.completenessChecked.has(node.currentTerm)) {
    h.completenessChecked.add(node.currentTerm)
    for (let i = node.log.offset + 1; i < h.committedTerm.length; i++) {
      const by = h.committedIn[i]
      if (by !== undefined && by < node.currentTerm && !holds(node, h, i)) return missing(id, node, h, i)
    }
  }
  if (h.fresh.length === 0) return null
  const fresh = h.fresh
  h.fresh = []
  for (const other of ctx.nodeIds) {
    const n = ctx.node(other)
    if (!n || !n.isLeader) continue
    for (const i of fresh) if (n.currentTerm > h.committedIn[i]! && !holds(n, h, i)) return missing(other, n, h, i)
  }
  return null
}

function missing(id: NodeId, node: RaftNode, h: RaftHistory, i: number): string {
  const e = node.log.entry(i)
  const has = e ? `${entryJson(e)} (term ${e.term})` : 'nothing'
  return `leader ${id} of term ${node.currentTerm} lacks committed index ${i} = ${textOf(h.committed[i]!)} (term ${h.committedTerm[i]}, committed in term ${h.committedIn[i]}); it has ${has}`
}

/** Fresh instances for one run: they share one history. */
export function raftInvariants(): Invariant<RaftNode>[] {
  const h = new RaftHistory()
  return [
    invariant('election-safety', h, electionSafety),
    invariant('leader-append-only', h, leaderAppendOnly),
    invariant('log-matching', h, logMatching),
    invariant('state-machine-safety', h, stateMachineSafety),
    invariant('leader-completeness', h, leaderCompleteness),
  ]
}
