import { describe, expect, it } from 'vitest'
import { Simulation } from '../../sim/engine.ts'
import { defaultNetworkConfig } from '../../sim/network/config.ts'
import { NodeStorage } from '../../sim/storage.ts'
import { US_PER_S } from '../../sim/time.ts'
import { fakeNode } from './fake-context.ts'
import { raft } from './index.ts'
import { RaftLog } from './log.ts'
import type { RaftMsg } from './messages.ts'
import type { RaftNode } from './node.ts'

const node = (sim: Simulation, id: string) => sim.node<RaftNode>(id)!
const leaderOf = (sim: Simulation) => sim.nodeIds.map((id) => sim.node<RaftNode>(id)).find((n) => n?.isLeader)

describe('persistence', () => {
  it('term, vote and log survive a restart; commit and apply state are rebuilt', () => {
    const f = fakeNode('n1', { config: { preVote: false, checkQuorum: false } })
    f.node.onMessage('n2', { type: 'RequestVote', term: 3, lastLogIndex: 0, lastLogTerm: 0 })
    f.node.onMessage('n2', { type: 'AppendEntries', term: 3, prevLogIndex: 0, prevLogTerm: 0, entries: [{ term: 3, command: 'a' }, { term: 3, command: 'b' }], leaderCommit: 1, round: 1 })
    const again = f.restart().node
    expect([again.currentTerm, again.votedFor, again.log.lastIndex, again.log.lastTerm]).toEqual([3, 'n2', 2, 3])
    expect([again.commitIndex, again.lastApplied, again.role]).toEqual([0, 0, 'follower'])
  })

  it('the forget-voted-for and forget-log mutants lose what they should', () => {
    const v = fakeNode('n1', { mutant: 'forget-voted-for', config: { preVote: false, checkQuorum: false } })
    v.node.onMessage('n2', { type: 'RequestVote', term: 3, lastLogIndex: 0, lastLogTerm: 0 })
    expect([v.restart().node.currentTerm, v.restart().node.votedFor]).toEqual([3, null])
    const l = fakeNode('n1', { mutant: 'forget-log', config: { preVote: false, checkQuorum: false } })
    l.node.onMessage('n2', { type: 'AppendEntries', term: 3, prevLogIndex: 0, prevLogTerm: 0, entries: [{ term: 3, command: 'a' }], leaderCommit: 0, round: 1 })
    expect(l.restart().node.log.lastIndex).toBe(0)
  })

  it('a whole cluster crashed and restarted keeps every acknowledged write', () => {
    const sim = new Simulation({ protocol: raft, seed: 11, nodes: 5, workload: { clients: 4, mix: { append: 1 }, keys: 1, stopAtUs: 3 * US_PER_S } })
    sim.run({ untilUs: 4 * US_PER_S })
    const acked = sim.history.filter((h) => h.type === 'ok').map((h) => sim.history.find((i) => i.type === 'invoke' && i.op === h.op)!.value)
    expect(acked.length).toBeGreaterThan(20)
    for (const id of sim.nodeIds) sim.crash(id)
    for (const id of sim.nodeIds) sim.restart(id)
    sim.run({ untilUs: 8 * US_PER_S })
    const leader = leaderOf(sim)!
    const list = leader.kv.read('k0') as unknown[]
    for (const v of acked) expect(list).toContain(v)
  })
})

describe('RaftLog', () => {
  it('recovers entries, offset and snapshot from storage after compaction', () => {
    const storage = new NodeStorage(false)
    const log = new RaftLog(storage, true)
    log.append([1, 1, 2, 2, 3].map((term) => ({ term, command: term })))
    log.takeSnapshot(2, { data: [['k', 1]], sessions: [] })
    log.takeSnapshot(4, { data: [['k', 2]], sessions: [] }) // drops through the previous snapshot (2)
    const back = new RaftLog(storage, true)
    expect([back.offset, back.offsetTerm, back.snapshotIndex, back.snapshotTerm, back.lastIndex]).toEqual([2, 1, 4, 2, 5])
    expect(back.termAt(3)).toBe(2)
    expect(back.termAt(1)).toBeUndefined()
    expect(back.snapshotState).toEqual({ data: [['k', 2]], sessions: [] })
  })
  it('install keeps a matching suffix, and drops a conflicting log', () => {
    const keep = new RaftLog(new NodeStorage(false), true)
    keep.append([1, 1, 2].map((term) => ({ term, command: null })))
    keep.install(2, 1, { data: [], sessions: [] })
    expect([keep.offset, keep.lastIndex, keep.rewrites]).toEqual([2, 3, 0])
    const drop = new RaftLog(new NodeStorage(false), true)
    drop.append([1, 1, 2].map((term) => ({ term, command: null })))
    drop.install(5, 3, { data: [], sessions: [] })
    expect([drop.offset, drop.lastIndex, drop.lastTerm, drop.rewrites]).toEqual([5, 5, 3, 1])
  })
})

describe('snapshots', () => {
  it('a follower that was down while the log moved past two snapshots catches up by InstallSnapshot', () => {
    const installs: string[] = []
    const counting = { ...raft, messageType: (m: RaftMsg) => (m.type === 'InstallSnapshot' && installs.push(m.type), m.type) }
    const sim = new Simulation({ protocol: counting, seed: 5, nodes: 5, config: { snapshotThreshold: 20 }, workload: { clients: 5, stopAtUs: 20 * US_PER_S } })
    sim.run({ untilUs: 1 * US_PER_S })
    const lagger = sim.nodeIds.find((id) => id !== leaderOf(sim)!.id)!
    sim.crash(lagger)
    sim.run({ untilUs: 6 * US_PER_S })
    expect(leaderOf(sim)!.log.offset).toBeGreaterThan(40)
    sim.restart(lagger)
    sim.run({ untilUs: 8 * US_PER_S })
    expect(installs.length).toBeGreaterThan(0)
    const follower = node(sim, lagger)
    expect(follower.log.snapshotIndex).toBeGreaterThan(40)
    // The same state machine once the clients have stopped and everything is applied.
    sim.run({ untilUs: 30 * US_PER_S })
    const current = leaderOf(sim)!
    expect(follower.lastApplied).toBe(current.lastApplied)
    expect(follower.kv.snapshot()).toEqual(current.kv.snapshot())
  })
})

describe('exactly-once client sessions', () => {
  it('over a lossy network, no retried append is applied twice', () => {
    for (const seed of [1, 2, 3]) {
      const network = { ...defaultNetworkConfig(), loss: 0.2, duplicate: 0.05 }
      const sim = new Simulation({ protocol: raft, seed, nodes: 5, network, workload: { clients: 5, mix: { append: 1 }, keys: 2, requestTimeoutUs: 50_000 } })
      sim.run({ untilUs: 15 * US_PER_S })
      const leader = leaderOf(sim)!
      const values = ['k0', 'k1'].flatMap((k) => (leader.kv.read(k) as unknown[] | null) ?? [])
      expect(values.length).toBeGreaterThan(50)
      expect(new Set(values).size).toBe(values.length)
    }
  })
})
