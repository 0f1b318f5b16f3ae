/** 6.5840 test_test.go, part 3B continued: rejoin of a partitioned leader, fast backup, RPC counts. */
import { describe, it } from 'vitest'
import { harnessConfig, harnessSeeds } from './seeds.ts'
import { RAFT_ELECTION_TIMEOUT_MS, RaftTester, TERM_MOVED } from './tester.ts'

const seeds = (defaultCount: number) => harnessSeeds({ seeds: process.env.FAULTLINE_HARNESS_SEEDS, seed: process.env.FAULTLINE_HARNESS_SEED }, defaultCount)
/** FAULTLINE_HARNESS_CONFIG: a Raft config for every cluster, such as '{"preVote": false, "checkQuorum": false}'. */
const config = harnessConfig(process.env.FAULTLINE_HARNESS_CONFIG)

/** A random command, like the tester's rand.Int(). */
const randomCommand = (cfg: RaftTester) => cfg.rng.int(0, 2 ** 31 - 1)

describe('raft harness 3B: rejoin, backup, counts', () => {
  it('rejoin of partitioned leader', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'rejoin of partitioned leader', servers })
      cfg.one(101, servers, true)
      const leader1 = cfg.checkOneLeader()
      cfg.disconnect(leader1)
      // The old leader appends entries nobody else hears of.
      for (const command of [102, 103, 104]) cfg.start(leader1, command)
      // The new leader commits, at the old leader's indexes too.
      cfg.one(103, 2, true)
      const leader2 = cfg.checkOneLeader()
      cfg.disconnect(leader2)
      // The old leader comes back and must give up its uncommitted entries.
      cfg.connect(leader1)
      cfg.one(104, 2, true)
      cfg.connect(leader2)
      cfg.one(105, servers, true)
    }
  })

  it('leader backs up quickly over incorrect follower logs', () => {
    for (const seed of seeds(10)) {
      const servers = 5
      const cfg = new RaftTester({ seed, config, testName: 'leader backs up quickly over incorrect follower logs', servers })
      cfg.one(randomCommand(cfg), servers, true)
      // The leader and one follower in a minority.
      const leader1 = cfg.checkOneLeader()
      for (const k of [2, 3, 4]) cfg.disconnect((leader1 + k) % servers)
      // Lots of commands that will not commit.
      for (let i = 0; i < 50; i++) cfg.start(leader1, randomCommand(cfg))
      cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS / 2)
      cfg.disconnect(leader1 % servers)
      cfg.disconnect((leader1 + 1) % servers)
      // The other three recover and commit lots.
      for (const k of [2, 3, 4]) cfg.connect((leader1 + k) % servers)
      for (let i = 0; i < 50; i++) cfg.one(randomCommand(cfg), 3, true)
      // Now another partitioned leader and one follower.
      const leader2 = cfg.checkOneLeader()
      let other = (leader1 + 2) % servers
      if (leader2 === other) other = (leader2 + 1) % servers
      cfg.disconnect(other)
      for (let i = 0; i < 50; i++) cfg.start(leader2, randomCommand(cfg))
      cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS / 2)
      // The original leader and its follower come back with `other`: their long divergent logs must be backed over.
      for (let i = 0; i < servers; i++) cfg.disconnect(i)
      cfg.connect(leader1 % servers)
      cfg.connect((leader1 + 1) % servers)
      cfg.connect(other)
      for (let i = 0; i < 50; i++) cfg.one(randomCommand(cfg), 3, true)
      for (let i = 0; i < servers; i++) cfg.connect(i)
      cfg.one(randomCommand(cfg), servers, true)
    }
  })

  it('RPC counts are not too high', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'RPC counts are not too high', servers })
      cfg.checkOneLeader()
      const electionRpcs = cfg.rpcTotal()
      if (electionRpcs > 30 || electionRpcs < 1) cfg.fail(`too many or few RPCs (${electionRpcs}) to elect initial leader`)
      const iters = 10
      let total2 = 0
      let success = false
      attempts: for (let attempt = 0; attempt < 5 && !success; attempt++) {
        if (attempt > 0) cfg.sleepMs(3000)
        const leader = cfg.checkOneLeader()
        const total1 = cfg.rpcTotal()
        const { index: starti, term, isLeader } = cfg.start(leader, 1)
        if (!isLeader) continue
        const commands: number[] = []
        for (let i = 1; i < iters + 2; i++) {
          const x = randomCommand(cfg)
          commands.push(x)
          const r = cfg.start(leader, x)
          if (r.term !== term || !r.isLeader) continue attempts
          if (r.index !== starti + i) cfg.fail('Start() failed')
        }
        for (let i = 1; i < iters + 1; i++) {
          const got = cfg.wait(starti + i, servers, term)
          if (got === TERM_MOVED) continue attempts
          if (got !== commands[i - 1]) cfg.fail(`wrong value ${JSON.stringify(got)} committed for index ${starti + i}; expected ${commands[i - 1]}`)
        }
        total2 = cfg.rpcTotal()
        if (cfg.sim.nodeIds.some((_, j) => cfg.getState(j)?.term !== term)) continue
        if (total2 - total1 > (iters + 1 + 3) * 3) cfg.fail(`too many RPCs (${total2 - total1}) for ${iters} entries`)
        success = true
      }
      if (!success) cfg.fail('term changed too often')
      cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
      const idle = cfg.rpcTotal() - total2
      if (idle > 3 * 20) cfg.fail(`too many RPCs (${idle}) for 1 second of idleness`)
    }
  })
})
