/** 6.5840 test_test.go, part 3C: Figure 8 (reliable and unreliable) and churn (reliable and unreliable). */
import { describe, it } from 'vitest'
import type { RaftTester as Tester } from './tester.ts'
import { harnessConfig, harnessSeeds } from './seeds.ts'
import { figure8, figure8PauseMs } from './figure8.ts'
import { RAFT_ELECTION_TIMEOUT_MS, RaftTester } from './tester.ts'

const seeds = (defaultCount: number) => harnessSeeds({ seeds: process.env.FAULTLINE_HARNESS_SEEDS, seed: process.env.FAULTLINE_HARNESS_SEED }, defaultCount)
/** FAULTLINE_HARNESS_CONFIG: a Raft config for every cluster, such as '{"preVote": false, "checkQuorum": false}'. */
const config = harnessConfig(process.env.FAULTLINE_HARNESS_CONFIG)

const randomCommand = (cfg: Tester) => cfg.rng.int(0, 2 ** 31 - 1)


describe('raft harness 3C: Figure 8 and churn', () => {
  it('Figure 8', () => {
    for (const seed of seeds(10)) figure8(new RaftTester({ seed, config, testName: 'Figure 8', servers: 5 }), 1000)
  })

  it('Figure 8 (unreliable)', () => {
    for (const seed of seeds(10)) {
      const servers = 5
      const cfg = new RaftTester({ seed, config, testName: 'Figure 8 (unreliable)', servers, unreliable: true })
      cfg.one(cfg.rng.int(0, 9999), 1, true)
      let nup = servers
      for (let iter = 0; iter < 1000; iter++) {
        if (iter === 200) cfg.setLongReordering(true)
        let leader = -1
        for (let i = 0; i < servers; i++) {
          if (cfg.start(i, cfg.rng.int(0, 9999)).isLeader && cfg.connected[i]) leader = i
        }
        cfg.sleepMs(figure8PauseMs(cfg))
        if (leader !== -1 && cfg.rng.int(0, 999) < RAFT_ELECTION_TIMEOUT_MS / 2) {
          cfg.disconnect(leader)
          nup--
        }
        if (nup < 3) {
          const s = cfg.rng.int(0, servers - 1)
          if (!cfg.connected[s]) {
            cfg.connect(s)
            nup++
          }
        }
      }
      for (let i = 0; i < servers; i++) if (!cfg.connected[i]) cfg.connect(i)
      cfg.one(cfg.rng.int(0, 9999), servers, true)
    }
  })

  for (const unreliable of [false, true]) {
    const name = unreliable ? 'unreliable churn' : 'churn'
    it(name, () => {
      for (const seed of seeds(6)) churn(new RaftTester({ seed, config, testName: name, servers: 5, unreliable }))
    })
  }
})

/**
 * Three clients keep offering commands to every server while the main loop disconnects,
 * crashes and restarts servers at random every 0.7 s; every command a client saw committed
 * must be in the final log.
 */
function churn(cfg: Tester): void {
  const servers = cfg.n
  let stop = false
  const client = function* (me: number): Generator<number, number[]> {
    const values: number[] = []
    while (!stop) {
      const x = randomCommand(cfg)
      let index = -1
      for (let i = 0; i < servers; i++) {
        // Try them all: maybe one of them is a leader.
        const r = cfg.start(i, x)
        if (r.isLeader) index = r.index
      }
      if (index === -1) {
        yield 79 + me * 17
        continue
      }
      // Maybe the leader commits it, maybe not; do not wait forever.
      for (const toMs of [10, 20, 50, 100, 200]) {
        const { count, command } = cfg.nCommitted(index)
        if (count > 0) {
          // A new leader's no-op (null) may take the index a deposed leader gave us; the course's Raft has no no-ops.
          if (command !== null && typeof command !== 'number') cfg.fail(`wrong command type: ${JSON.stringify(command)} at index ${index}`)
          if (command === x) values.push(x)
          break
        }
        yield toMs
      }
    }
    return values
  }
  const clients = [0, 1, 2].map((me) => cfg.spawn(client(me)))
  for (let iter = 0; iter < 20; iter++) {
    if (cfg.rng.int(0, 999) < 200) cfg.disconnect(cfg.rng.int(0, servers - 1))
    if (cfg.rng.int(0, 999) < 500) {
      const i = cfg.rng.int(0, servers - 1)
      if (cfg.raft(i) === undefined) cfg.start1(i)
      cfg.connect(i)
    }
    if (cfg.rng.int(0, 999) < 200) {
      const i = cfg.rng.int(0, servers - 1)
      if (cfg.raft(i) !== undefined) cfg.crash(i)
    }
    // Often enough that the peers can keep up, not so rarely that all settles in between.
    cfg.sleepMs((RAFT_ELECTION_TIMEOUT_MS * 7) / 10)
  }
  cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
  cfg.setUnreliable(false)
  for (let i = 0; i < servers; i++) {
    if (cfg.raft(i) === undefined) cfg.start1(i)
    cfg.connect(i)
  }
  stop = true
  while (clients.some((c) => !c.done)) cfg.sleepMs(10)
  const values = clients.flatMap((c) => c.result!)
  cfg.sleepMs(RAFT_ELECTION_TIMEOUT_MS)
  const lastIndex = cfg.one(randomCommand(cfg), servers, true)
  const really = new Set<unknown>()
  for (let index = 1; index <= lastIndex; index++) really.add(cfg.wait(index, servers, -1))
  for (const v of values) if (!really.has(v)) cfg.fail(`didn't find a value: ${v} was seen committed but is not in the final log`)
  cfg.end(`  ${values.length} client values committed, log ${lastIndex} long`)
}
