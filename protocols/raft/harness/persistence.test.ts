/** 6.5840 test_test.go, part 3C: persistence across crashes (three kinds) and unreliable agreement. */
import { describe, it } from 'vitest'
import { harnessConfig, harnessSeeds } from './seeds.ts'
import { RAFT_ELECTION_TIMEOUT_MS, RaftTester } from './tester.ts'

const seeds = (defaultCount: number) => harnessSeeds({ seeds: process.env.FAULTLINE_HARNESS_SEEDS, seed: process.env.FAULTLINE_HARNESS_SEED }, defaultCount)
/** FAULTLINE_HARNESS_CONFIG: a Raft config for every cluster, such as '{"preVote": false, "checkQuorum": false}'. */
const config = harnessConfig(process.env.FAULTLINE_HARNESS_CONFIG)

describe('raft harness 3C: persistence', () => {
  it('basic persistence', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'basic persistence', servers })
      cfg.one(11, servers, true)
      // Crash and restart all.
      for (let i = 0; i < servers; i++) cfg.start1(i)
      for (let i = 0; i < servers; i++) {
        cfg.disconnect(i)
        cfg.connect(i)
      }
      cfg.one(12, servers, true)
      const leader1 = cfg.checkOneLeader()
      cfg.disconnect(leader1)
      cfg.start1(leader1)
      cfg.connect(leader1)
      cfg.one(13, servers, true)
      const leader2 = cfg.checkOneLeader()
      cfg.disconnect(leader2)
      const index14 = cfg.one(14, servers - 1, true)
      cfg.start1(leader2)
      cfg.connect(leader2)
      cfg.wait(index14, servers, -1) // leader2 rejoins before i3 is killed
      const i3 = (cfg.checkOneLeader() + 1) % servers
      cfg.disconnect(i3)
      cfg.one(15, servers - 1, true)
      cfg.start1(i3)
      cfg.connect(i3)
      cfg.one(16, servers, true)
    }
  })

  it('more persistence', () => {
    for (const seed of seeds(10)) {
      const servers = 5
      const cfg = new RaftTester({ seed, config, testName: 'more persistence', servers })
      let index = 1
      for (let iter = 0; iter < 5; iter++) {
        cfg.one(10 + index++, servers, true)
        const leader1 = cfg.checkOneLeader()
        cfg.disconnect((leader1 + 1) % servers)
        cfg.disconnect((leader1 + 2) % servers)
        cfg.one(10 + index++, servers - 2, true)
        cfg.disconnect(leader1 % servers)
        cfg.disconnect((leader1 + 3) % servers)
        cfg.disconnect((leader1 + 4) % servers)
        cfg.start1((leader1 + 1) % servers)
        cfg.start1((leader1 + 2) % servers)
        cfg.connect((leader1 + 1) % servers)
        cfg.connect((leader1 + 2) % servers)
        cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
        cfg.start1((leader1 + 3) % servers)
        cfg.connect((leader1 + 3) % servers)
        cfg.one(10 + index++, servers - 2, true)
        cfg.connect((leader1 + 4) % servers)
        cfg.connect(leader1 % servers)
      }
      cfg.one(1000, servers, true)
    }
  })

  it('partitioned leader and one follower crash, leader restarts', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'partitioned leader and one follower crash, leader restarts', servers })
      cfg.one(101, 3, true)
      const leader = cfg.checkOneLeader()
      cfg.disconnect((leader + 2) % servers)
      cfg.one(102, 2, true)
      cfg.crash(leader % servers)
      cfg.crash((leader + 1) % servers)
      cfg.connect((leader + 2) % servers)
      cfg.start1(leader % servers)
      cfg.connect(leader % servers)
      cfg.one(103, 2, true)
      cfg.start1((leader + 1) % servers)
      cfg.connect((leader + 1) % servers)
      cfg.one(104, servers, true)
    }
  })

  it('unreliable agreement', () => {
    for (const seed of seeds(10)) {
      const servers = 5
      const cfg = new RaftTester({ seed, config, testName: 'unreliable agreement', servers, unreliable: true })
      const background = []
      for (let iter = 1; iter < 50; iter++) {
        // Four concurrent one()s (the tester's goroutines) beside the main one.
        for (let j = 0; j < 4; j++) background.push(cfg.spawn(cfg.oneSteps(100 * iter + j, 1, true)))
        cfg.one(iter, 1, true)
      }
      cfg.setUnreliable(false)
      while (background.some((task) => !task.done)) cfg.sleepMs(100)
      cfg.one(100, servers, true)
    }
  })
})
