/** The harness itself: its failures name the seed, it replays, and its own checks catch real bugs. */
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../sim/time.ts'
import type { RaftNode } from '../node.ts'
import { ApplyTracker } from './applied.ts'
import { figure8 } from './figure8.ts'
import { HarnessFailure, harnessConfig, harnessSeeds, reproduceHint } from './seeds.ts'
import { RaftTester } from './tester.ts'

/** A stand-in for a node's apply channel: what ApplyTracker reads. */
function fakeNode(applied: Array<{ index: number; command: unknown }>, snapshotIndex = 0): RaftNode {
  const lastApplied = applied.length > 0 ? applied[applied.length - 1]!.index : snapshotIndex
  return { applied, lastApplied, log: { snapshotIndex } } as unknown as RaftNode
}

describe('raft harness: the tester itself', () => {
  it('counts servers that applied an index and reports a disagreement', () => {
    const t = new ApplyTracker(3)
    t.collect(0, fakeNode([{ index: 1, command: null }, { index: 2, command: 7 }]))
    t.collect(1, fakeNode([{ index: 1, command: null }]))
    expect(t.nCommitted(2)).toEqual({ count: 1, command: '7', disagreement: null })
    expect(t.nCommitted(1).count).toBe(2)
    t.collect(2, fakeNode([{ index: 1, command: null }, { index: 2, command: 8 }]))
    expect(t.applyErr).toMatch(/^commit index=2 server=2 8 != 7/)
  })

  it('reports an apply out of order, and counts a snapshot install as applying what it covers', () => {
    const t = new ApplyTracker(2)
    t.collect(0, fakeNode([{ index: 1, command: 1 }, { index: 2, command: 2 }, { index: 3, command: 3 }]))
    t.collect(1, fakeNode([], 2)) // installed a snapshot through index 2
    expect(t.nCommitted(2).count).toBe(2)
    expect(t.nCommitted(3).count).toBe(1)
    t.collect(1, fakeNode([{ index: 5, command: 5 }], 2))
    expect(t.applyErr).toBe('server 1 apply out of order: expected index 3, got 5')
  })

  it('fails with the test name, the seed and a reproduce command', () => {
    const cfg = new RaftTester({ seed: 0x2a, testName: 'no majority', servers: 3, quiet: true })
    const leader = cfg.checkOneLeader()
    cfg.disconnect((leader + 1) % 3)
    cfg.disconnect((leader + 2) % 3)
    let failure: unknown
    try {
      cfg.one(5, 3, false)
    } catch (err) {
      failure = err
    }
    expect(failure).toBeInstanceOf(HarnessFailure)
    const message = (failure as Error).message
    expect(message).toMatch(/^no majority \(seed 0x2a, at [\d.]+ ms simulated\): one\(5\) failed to reach agreement/)
    expect(message).toContain("reproduce: FAULTLINE_HARNESS_SEED=0x2a npx vitest run protocols/raft/harness -t 'no majority'")
  })

  it('replays: the same seed gives the same run, another seed a different one', () => {
    const run = (seed: number) => {
      const cfg = new RaftTester({ seed, testName: 'replay', servers: 5, unreliable: true, quiet: true })
      const leader = cfg.checkOneLeader()
      cfg.crash(leader)
      const index = cfg.one(cfg.rng.int(0, 1000), 4, true)
      return { leader, index, events: cfg.sim.eventCount, bytes: cfg.bytesTotal(), timeUs: cfg.sim.now() }
    }
    expect(run(7)).toEqual(run(7))
    expect(run(7)).not.toEqual(run(8))
  })

  it('its own apply check catches vote-without-log-check in Figure 8, with the invariants off', () => {
    const caught: string[] = []
    for (let seed = 1; seed <= 8 && caught.length === 0; seed++) {
      const cfg = new RaftTester({ seed, testName: 'mutant', servers: 5, mutant: 'vote-without-log-check', invariants: false, quiet: true })
      try {
        figure8(cfg, 300)
      } catch (err) {
        if (!(err instanceof HarnessFailure)) throw err
        caught.push(err.message)
      }
    }
    expect(caught[0]).toMatch(/commit index=\d+ server=\d+ .* != .*\(applied earlier by another server\)/)
  })

  it('stops at the first invariant violation with the invariants on', () => {
    const cfg = new RaftTester({ seed: 2, testName: 'mutant', servers: 5, mutant: 'vote-without-log-check', quiet: true })
    expect(() => figure8(cfg, 300)).toThrow(/run stopped \(violation\)/)
  })

  it('long reordering holds back about two replies in three, and no request', () => {
    const cfg = new RaftTester({ seed: 5, testName: 'reordering', servers: 3, quiet: true })
    cfg.checkOneLeader()
    cfg.setLongReordering(true)
    const [sent0, requests0] = [cfg.net.repliesSent, cfg.rpcTotal()]
    cfg.sleepMs(5000)
    const replies = cfg.net.repliesSent - sent0
    expect(replies).toBeGreaterThan(50)
    expect(cfg.net.repliesHeld / replies).toBeGreaterThan(0.55)
    expect(cfg.net.repliesHeld / replies).toBeLessThan(0.78)
    // Requests still flow at the heartbeat rate: two followers, ten heartbeats a second, for 5 s.
    expect(cfg.rpcTotal() - requests0).toBeGreaterThanOrEqual(100)
    cfg.setLongReordering(false)
    const held = cfg.net.repliesHeld
    cfg.sleepMs(1000)
    expect(cfg.net.repliesHeld).toBe(held)
  })

  it('a Start that fails in the node ends the test with the node error, not a stale answer', () => {
    const cfg = new RaftTester({ seed: 1, testName: 'bad command', servers: 3, quiet: true })
    const leader = cfg.checkOneLeader()
    expect(cfg.start(leader, 5).isLeader).toBe(true)
    // A BigInt cannot be logged as JSON: the leader's handler throws.
    expect(() => cfg.start(leader, { big: 1n })).toThrow(/^bad command \(seed 0x1, .*run stopped \(node-error\): n\d: TypeError/)
  })

  it('escapes a test name for vitest -t and the shell', () => {
    expect(reproduceHint("Figure 8 (unreliable) isn't", 16)).toBe("reproduce: FAULTLINE_HARNESS_SEED=0x10 npx vitest run protocols/raft/harness -t 'Figure 8 \\(unreliable\\) isn'\\''t'")
  })

  it('takes a Raft config from the environment and names it in the reproduce command', () => {
    expect(harnessConfig(undefined)).toBeUndefined()
    expect(harnessConfig('{"preVote": false}')).toEqual({ preVote: false })
    expect(() => harnessConfig('preVote=false')).toThrow(InputError)
    expect(reproduceHint('churn', 3, { preVote: false })).toBe(`reproduce: FAULTLINE_HARNESS_CONFIG='{"preVote":false}' FAULTLINE_HARNESS_SEED=0x3 npx vitest run protocols/raft/harness -t 'churn'`)
  })

  it('picks its seeds from the environment', () => {
    expect(harnessSeeds({}, 3)).toEqual([1, 2, 3])
    expect(harnessSeeds({ seeds: '5' }, 3)).toEqual([1, 2, 3, 4, 5])
    expect(harnessSeeds({ seeds: '5', seed: '0x2a' }, 3)).toEqual([42])
    expect(() => harnessSeeds({ seeds: 'many' }, 3)).toThrow(InputError)
  })
})
