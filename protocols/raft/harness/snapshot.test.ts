/** 6.5840 test_test.go, part 3D: snapshots (log compaction and InstallSnapshot). */
import { describe, expect, it } from 'vitest'
import { SNAPSHOT_INTERVAL } from './cluster.ts'
import { harnessConfig, harnessSeeds } from './seeds.ts'
import { RaftTester } from './tester.ts'

const seeds = (defaultCount: number) => harnessSeeds({ seeds: process.env.FAULTLINE_HARNESS_SEEDS, seed: process.env.FAULTLINE_HARNESS_SEED }, defaultCount)
/** FAULTLINE_HARNESS_CONFIG: a Raft config for every cluster, such as '{"preVote": false, "checkQuorum": false}'. */
const config = harnessConfig(process.env.FAULTLINE_HARNESS_CONFIG)

/** config.go MAXLOGSIZE: the persisted Raft state (without the snapshot) stays below this many bytes. */
const MAX_LOG_SIZE = 2000

const randomCommand = (cfg: RaftTester) => cfg.rng.int(0, 2 ** 31 - 1)

interface SnapCommon {
  name: string
  disconnect: boolean
  reliable: boolean
  crash: boolean
}

/**
 * test_test.go snapcommon: 30 rounds of enough commands for a snapshot, with a victim
 * (a follower, or every third round the leader) disconnected or crashed meanwhile, so it
 * must catch up by InstallSnapshot. Returns the InstallSnapshot messages received.
 */
function snapcommon(seed: number, o: SnapCommon): number {
  const servers = 3
  const cfg = new RaftTester({ seed, config, testName: o.name, servers, unreliable: !o.reliable, snapshots: true })
  cfg.one(randomCommand(cfg), servers, true)
  let leader1 = cfg.checkOneLeader()
  for (let i = 0; i < 30; i++) {
    let victim = (leader1 + 1) % servers
    let sender = leader1
    if (i % 3 === 1) {
      sender = (leader1 + 1) % servers
      victim = leader1
    }
    if (o.disconnect) {
      cfg.disconnect(victim)
      cfg.one(randomCommand(cfg), servers - 1, true)
    }
    if (o.crash) {
      cfg.crash(victim)
      cfg.one(randomCommand(cfg), servers - 1, true)
    }
    // Perhaps enough to make a snapshot.
    const nn = SNAPSHOT_INTERVAL / 2 + cfg.rng.int(0, SNAPSHOT_INTERVAL - 1)
    for (let k = 0; k < nn; k++) cfg.start(sender, randomCommand(cfg))
    // Let the appliers catch up with the Start()s; with everyone connected, no InstallSnapshot should be needed.
    cfg.one(randomCommand(cfg), o.disconnect || o.crash ? servers - 1 : servers, true)
    if (cfg.logSize() >= MAX_LOG_SIZE) cfg.fail(`log size too large: ${cfg.logSize()} bytes`)
    if (o.disconnect) {
      // A follower that may be behind and need a snapshot to catch up.
      cfg.connect(victim)
      cfg.one(randomCommand(cfg), servers, true)
      leader1 = cfg.checkOneLeader()
    }
    if (o.crash) {
      cfg.start1(victim)
      cfg.connect(victim)
      cfg.one(randomCommand(cfg), servers, true)
      leader1 = cfg.checkOneLeader()
    }
  }
  for (let i = 0; i < servers; i++) if ((cfg.raft(i)?.log.snapshotIndex ?? 0) === 0) cfg.fail(`server ${i} never took or installed a snapshot`)
  cfg.end(`  ${cfg.received('InstallSnapshot')} InstallSnapshot`)
  return cfg.received('InstallSnapshot')
}

describe('raft harness 3D: snapshots', () => {
  it('snapshots basic', () => {
    for (const seed of seeds(10)) snapcommon(seed, { name: 'snapshots basic', disconnect: false, reliable: true, crash: false })
  })

  const installs: Array<[string, Omit<SnapCommon, 'name'>]> = [
    ['install snapshots (disconnect)', { disconnect: true, reliable: true, crash: false }],
    ['install snapshots (disconnect+unreliable)', { disconnect: true, reliable: false, crash: false }],
    ['install snapshots (crash)', { disconnect: false, reliable: true, crash: true }],
    ['install snapshots (unreliable+crash)', { disconnect: false, reliable: false, crash: true }],
  ]
  for (const [name, o] of installs) {
    it(name, () => {
      let installed = 0
      const list = seeds(10)
      for (const seed of list) installed += snapcommon(seed, { name, ...o })
      // The rounds are built so a victim falls behind the leader's compacted log: over several seeds, some must
      // catch up by snapshot (one seed alone, when reproducing, may not need to).
      if (list.length >= 3) expect(installed, `${name}: no InstallSnapshot in any seed`).toBeGreaterThan(0)
    })
  }

  it('crash and restart all servers', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'crash and restart all servers', servers, snapshots: true })
      cfg.one(randomCommand(cfg), servers, true)
      for (let iter = 0; iter < 5; iter++) {
        // Perhaps enough to get a snapshot.
        const nn = SNAPSHOT_INTERVAL / 2 + cfg.rng.int(0, SNAPSHOT_INTERVAL - 1)
        for (let k = 0; k < nn; k++) cfg.one(randomCommand(cfg), servers, true)
        const index1 = cfg.one(randomCommand(cfg), servers, true)
        for (let i = 0; i < servers; i++) cfg.crash(i)
        for (let i = 0; i < servers; i++) {
          cfg.start1(i)
          cfg.connect(i)
        }
        const index2 = cfg.one(randomCommand(cfg), servers, true)
        if (index2 < index1 + 1) cfg.fail(`index decreased from ${index1} to ${index2}`)
      }
    }
  })

  it('snapshot initialization after crash', () => {
    for (const seed of seeds(10)) {
      const servers = 3
      const cfg = new RaftTester({ seed, config, testName: 'snapshot initialization after crash', servers, snapshots: true })
      cfg.one(randomCommand(cfg), servers, true)
      // Enough to make a snapshot.
      for (let k = 0; k < SNAPSHOT_INTERVAL + 1; k++) cfg.one(randomCommand(cfg), servers, true)
      const restartAll = () => {
        for (let i = 0; i < servers; i++) cfg.crash(i)
        for (let i = 0; i < servers; i++) {
          cfg.start1(i)
          cfg.connect(i)
        }
      }
      restartAll()
      // One command, so something is written back to durable storage after the restart.
      cfg.one(randomCommand(cfg), servers, true)
      restartAll()
      // Another, to show a bug that lost state on the way.
      cfg.one(randomCommand(cfg), servers, true)
    }
  })
})
