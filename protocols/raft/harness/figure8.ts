/**
 * test_test.go's Figure 8 loop (the scenario of figure 8 of the Raft paper), shared by its
 * test and the harness's own test that it catches the commit-previous-term mutant. Each
 * round offers a command to every live server; a leader, if there is one, crashes soon
 * after (usually within 13 ms), perhaps before committing; when fewer than three are up, a
 * random server restarts. A new leader may then finish replicating older terms' entries.
 */
import { RAFT_ELECTION_TIMEOUT_MS, type RaftTester } from './tester.ts'

/** The tester's pause between Figure 8 steps: usually 0-12 ms, one time in ten up to half an election timeout. */
export function figure8PauseMs(cfg: RaftTester): number {
  return cfg.rng.int(0, 999) < 100 ? cfg.rng.int(0, RAFT_ELECTION_TIMEOUT_MS / 2 - 1) : cfg.rng.int(0, 12)
}

export function figure8(cfg: RaftTester, iterations: number): void {
  const servers = cfg.n
  const randomCommand = () => cfg.rng.int(0, 2 ** 31 - 1)
  cfg.one(randomCommand(), 1, true)
  let nup = servers
  for (let iter = 0; iter < iterations; iter++) {
    let leader = -1
    for (let i = 0; i < servers; i++) {
      if (cfg.raft(i) !== undefined && cfg.start(i, randomCommand()).isLeader) leader = i
    }
    cfg.sleepMs(figure8PauseMs(cfg))
    if (leader !== -1) {
      cfg.crash(leader)
      nup--
    }
    if (nup < 3) {
      const s = cfg.rng.int(0, servers - 1)
      if (cfg.raft(s) === undefined) {
        cfg.start1(s)
        cfg.connect(s)
        nup++
      }
    }
  }
  for (let i = 0; i < servers; i++) {
    if (cfg.raft(i) === undefined) {
      cfg.start1(i)
      cfg.connect(i)
    }
  }
  cfg.one(randomCommand(), servers, true)
}
