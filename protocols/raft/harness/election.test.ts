/** 6.5840 test_test.go, part 3A: leader election (in simulated time, over several seeds). */
import { describe, expect, it } from 'vitest'
import { harnessConfig, harnessSeeds } from './seeds.ts'
import { RAFT_ELECTION_TIMEOUT_MS, RaftTester } from './tester.ts'

const seeds = (defaultCount: number) => harnessSeeds({ seeds: process.env.FAULTLINE_HARNESS_SEEDS, seed: process.env.FAULTLINE_HARNESS_SEED }, defaultCount)
/** FAULTLINE_HARNESS_CONFIG: a Raft config for every cluster, such as '{"preVote": false, "checkQuorum": false}'. */
const config = harnessConfig(process.env.FAULTLINE_HARNESS_CONFIG)

describe('raft harness 3A: election', () => {
  it('initial election', () => {
    for (const seed of seeds(10)) {
      const cfg = new RaftTester({ seed, config, testName: 'initial election', servers: 3 })
      cfg.checkOneLeader()
      // Followers learn of the election; then all agree on the term.
      cfg.sleepMs(50)
      const term1 = cfg.checkTerms()
      expect(term1, `seed ${seed}`).toBeGreaterThanOrEqual(1)
      // Without failures, the leader and term stay.
      cfg.sleepMs(2 * RAFT_ELECTION_TIMEOUT_MS)
      const term2 = cfg.checkTerms()
      if (term1 !== term2) cfg.fail(`term changed from ${term1} to ${term2} even though there were no failures`)
      cfg.checkOneLeader()
    }
  })

  it('re-election', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 're-election', servers })
      const leader1 = cfg.checkOneLeader()
      // A disconnected leader is replaced.
      cfg.disconnect(leader1)
      cfg.checkOneLeader()
      // The old leader rejoins without disturbing the new one, and becomes a follower.
      cfg.connect(leader1)
      const leader2 = cfg.checkOneLeader()
      // No quorum, no leader.
      cfg.disconnect(leader2)
      cfg.disconnect((leader2 + 1) % servers)
      cfg.sleepMs(2 * RAFT_ELECTION_TIMEOUT_MS)
      cfg.checkNoLeader()
      // A quorum elects a leader.
      cfg.connect((leader2 + 1) % servers)
      cfg.checkOneLeader()
      // The last node rejoining does not prevent a leader.
      cfg.connect(leader2)
      cfg.checkOneLeader()
    }
  })

  it('many elections', () => {
    for (const seed of seeds(10)) {
      const servers = 7
      const cfg = new RaftTester({ seed, config, testName: 'many elections', servers })
      cfg.checkOneLeader()
      for (let iter = 1; iter < 10; iter++) {
        // Disconnect three servers (perhaps fewer: the draws may repeat).
        const picks = [0, 1, 2].map(() => cfg.rng.int(0, servers - 1))
        for (const i of picks) cfg.disconnect(i)
        // Either the leader survives, or the remaining four elect one.
        cfg.checkOneLeader()
        for (const i of picks) cfg.connect(i)
      }
      cfg.checkOneLeader()
    }
  })
})
