/** 6.5840 test_test.go, part 3B: log agreement (in simulated time, over several seeds). */
import { describe, expect, it } from 'vitest'
import { harnessConfig, harnessSeeds } from './seeds.ts'
import { RAFT_ELECTION_TIMEOUT_MS, RaftTester, TERM_MOVED } from './tester.ts'

const seeds = (defaultCount: number) => harnessSeeds({ seeds: process.env.FAULTLINE_HARNESS_SEEDS, seed: process.env.FAULTLINE_HARNESS_SEED }, defaultCount)
/** FAULTLINE_HARNESS_CONFIG: a Raft config for every cluster, such as '{"preVote": false, "checkQuorum": false}'. */
const config = harnessConfig(process.env.FAULTLINE_HARNESS_CONFIG)

/**
 * Our leaders append a no-op at the start of each term (the paper, section 8), which the MIT
 * tester's Raft does not: where the tester expects index k, we expect the first index after
 * the no-op, and consecutive indexes from there while the term holds.
 */
describe('raft harness 3B: agreement', () => {
  it('basic agreement', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'basic agreement', servers })
      const leader = cfg.checkOneLeader()
      let expected = cfg.raft(leader)!.log.lastIndex + 1 // after the term's no-op
      for (let iter = 1; iter <= 3; iter++, expected++) {
        if (cfg.nCommitted(expected).count > 0) cfg.fail('some have committed before Start()')
        const xindex = cfg.one(iter * 100, servers, false)
        if (xindex !== expected) cfg.fail(`got index ${xindex} but expected ${expected}`)
      }
    }
  })

  it('RPC byte count', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'RPC byte count', servers })
      const first = cfg.one(99, servers, false)
      const bytes0 = cfg.bytesTotal()
      let sent = 0
      for (let index = first + 1; index < first + 4; index++) {
        const command = randomString(cfg, 5000)
        const xindex = cfg.one(command, servers, false)
        if (xindex !== index) cfg.fail(`got index ${xindex} but expected ${index}`)
        sent += command.length
      }
      const got = cfg.bytesTotal() - bytes0
      const expected = servers * sent
      if (got > expected + 50_000) cfg.fail(`too many RPC bytes; got ${got}, expected ${expected}`)
    }
  })

  it('follower failure', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'follower failure', servers })
      const first = cfg.one(101, servers, false)
      const leader1 = cfg.checkOneLeader()
      cfg.disconnect((leader1 + 1) % servers)
      // The leader and the remaining follower agree.
      cfg.one(102, servers - 1, false)
      cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
      cfg.one(103, servers - 1, false)
      // Disconnect the remaining follower too.
      const leader2 = cfg.checkOneLeader()
      cfg.disconnect((leader2 + 1) % servers)
      cfg.disconnect((leader2 + 2) % servers)
      const { index, isLeader } = cfg.start(leader2, 104)
      if (!isLeader) cfg.fail('leader rejected Start()')
      if (index !== first + 3) cfg.fail(`expected index ${first + 3}, got ${index}`)
      cfg.sleepMs(2 * RAFT_ELECTION_TIMEOUT_MS)
      const { count } = cfg.nCommitted(index)
      if (count > 0) cfg.fail(`${count} committed but no majority`)
    }
  })

  it('leader failure', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'leader failure', servers })
      cfg.one(101, servers, false)
      const leader1 = cfg.checkOneLeader()
      cfg.disconnect(leader1)
      // The remaining followers elect a new leader.
      cfg.one(102, servers - 1, false)
      cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
      const last = cfg.one(103, servers - 1, false)
      const leader2 = cfg.checkOneLeader()
      cfg.disconnect(leader2)
      for (let i = 0; i < servers; i++) cfg.start(i, 104)
      cfg.sleepMs(2 * RAFT_ELECTION_TIMEOUT_MS)
      // Nothing after 103 commits: each side is a minority.
      const { count } = cfg.nCommitted(last + 1)
      if (count > 0) cfg.fail(`${count} committed but no majority`)
    }
  })

  it('agreement after follower reconnects', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'agreement after follower reconnects', servers })
      cfg.one(101, servers, false)
      const leader = cfg.checkOneLeader()
      cfg.disconnect((leader + 1) % servers)
      cfg.one(102, servers - 1, false)
      cfg.one(103, servers - 1, false)
      cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
      cfg.one(104, servers - 1, false)
      cfg.one(105, servers - 1, false)
      cfg.connect((leader + 1) % servers)
      // All servers keep the earlier agreements and agree on new commands.
      cfg.one(106, servers, true)
      cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
      cfg.one(107, servers, true)
    }
  })

  it('no agreement if too many followers disconnect', () => {
    for (const seed of seeds(10)) {
      const servers = 5
      const cfg = new RaftTester({ seed, config, testName: 'no agreement if too many followers disconnect', servers })
      const first = cfg.one(10, servers, false)
      const leader = cfg.checkOneLeader()
      for (const k of [1, 2, 3]) cfg.disconnect((leader + k) % servers)
      const { index, isLeader } = cfg.start(leader, 20)
      if (!isLeader) cfg.fail('leader rejected Start()')
      if (index !== first + 1) cfg.fail(`expected index ${first + 1}, got ${index}`)
      cfg.sleepMs(2 * RAFT_ELECTION_TIMEOUT_MS)
      const { count } = cfg.nCommitted(index)
      if (count > 0) cfg.fail(`${count} committed but no majority`)
      for (const k of [1, 2, 3]) cfg.connect((leader + k) % servers)
      // The majority may have elected one of its own, forgetting index first+1; a new term adds its no-op.
      const leader2 = cfg.checkOneLeader()
      const r2 = cfg.start(leader2, 30)
      if (!r2.isLeader) cfg.fail('leader2 rejected Start()')
      if (r2.index < first + 1 || r2.index > first + 3) cfg.fail(`unexpected index ${r2.index}`)
      cfg.one(1000, servers, true)
    }
  })

  it('concurrent Start()s', () => {
    for (const seed of seeds(10)) {
      const servers = 7
      const cfg = new RaftTester({ seed, config, testName: 'concurrent Start()s', servers })
      let success = false
      for (let attempt = 0; attempt < 5 && !success; attempt++) {
        if (attempt > 0) cfg.sleepMs(3000) // let things settle
        const leader = cfg.checkOneLeader()
        const { term, isLeader } = cfg.start(leader, 1)
        if (!isLeader) continue
        // Five Start()s in the same instant: the simulated counterpart of five goroutines.
        const indexes = [0, 1, 2, 3, 4].map((k) => cfg.start(leader, 100 + k)).filter((r) => r.isLeader && r.term === term).map((r) => r.index)
        if (cfg.sim.nodeIds.some((_, j) => cfg.getState(j)?.term !== term)) continue
        const got = indexes.map((index) => cfg.wait(index, servers, term))
        if (got.includes(TERM_MOVED)) continue
        for (let k = 0; k < 5; k++) if (!got.includes(100 + k)) cfg.fail(`cmd ${100 + k} missing in ${JSON.stringify(got)}`)
        success = true
      }
      if (!success) cfg.fail('term changed too often')
      expect(success).toBe(true)
    }
  })
})

/** A string of printable characters (the tester's randstring, base64 of random bytes). */
export function randomString(cfg: RaftTester, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[cfg.rng.int(0, alphabet.length - 1)]
  return out
}
