/**
 * The tester's checks (6.5840 raft/config.go), over simulated time: checkOneLeader,
 * checkNoLeader, checkTerms, nCommitted, one ("agree on one command") and wait. The loops
 * and timeouts are the tester's, counted in simulated milliseconds.
 */
import { formatSeed } from '../../../sim/seed.ts'
import { RaftCluster } from './cluster.ts'

/** test_test.go: "the tester generously allows solutions to complete elections in one second". */
export const RAFT_ELECTION_TIMEOUT_MS = 1000

/** What wait() returns when a server moved past startTerm (the tester's -1). */
export const TERM_MOVED = Symbol('term moved on')

export class RaftTester extends RaftCluster {
  private readonly startMs = this.nowMs()
  private commands = 0

  /** A connected server that is up. */
  private reachable(i: number): boolean {
    return this.connected[i]! && this.raft(i) !== undefined
  }

  /**
   * Up to 10 rounds of 450-550 ms: fails if a term has two leaders among the connected
   * servers, returns the leader of the latest term that has one, fails if none appears.
   */
  checkOneLeader(): number {
    for (let iter = 0; iter < 10; iter++) {
      this.sleepMs(450 + this.rng.int(0, 99))
      const leaders = new Map<number, number[]>()
      for (let i = 0; i < this.n; i++) {
        const state = this.reachable(i) ? this.getState(i) : null
        if (state?.isLeader) leaders.set(state.term, [...(leaders.get(state.term) ?? []), i])
      }
      let lastTermWithLeader = -1
      for (const [term, ids] of leaders) {
        if (ids.length > 1) this.fail(`term ${term} has ${ids.length} (>1) leaders: servers ${ids.join(', ')}`)
        lastTermWithLeader = Math.max(lastTermWithLeader, term)
      }
      if (leaders.size !== 0) return leaders.get(lastTermWithLeader)![0]!
    }
    return this.fail('expected one leader, got none')
  }

  /** Every connected server is in the same term; returns it. */
  checkTerms(): number {
    let term = -1
    for (let i = 0; i < this.n; i++) {
      if (!this.reachable(i)) continue
      const xterm = this.getState(i)!.term
      if (term === -1) term = xterm
      else if (term !== xterm) this.fail(`servers disagree on term: ${term} and ${xterm} (server ${i})`)
    }
    return term
  }

  /** No connected server believes it leads. */
  checkNoLeader(): void {
    for (let i = 0; i < this.n; i++) {
      if (this.reachable(i) && this.getState(i)!.isLeader) this.fail(`expected no leader among connected servers, but ${i} claims to be leader`)
    }
  }

  /** How many servers applied index, and the command (parsed), failing on any disagreement or apply error. */
  nCommitted(index: number): { count: number; command: unknown } {
    if (this.applies.applyErr) this.fail(this.applies.applyErr)
    const { count, command, disagreement } = this.applies.nCommitted(index)
    if (disagreement) this.fail(disagreement)
    return { count, command: command === undefined ? undefined : JSON.parse(command) }
  }

  /**
   * Waits (10 ms, doubling up to 1 s, 30 rounds) for n servers to apply index. Returns
   * TERM_MOVED if a server reached a term after startTerm (-1: no such check).
   */
  wait(index: number, n: number, startTerm: number): unknown {
    let toMs = 10
    for (let iter = 0; iter < 30; iter++) {
      if (this.nCommitted(index).count >= n) break
      this.sleepMs(toMs)
      if (toMs < 1000) toMs *= 2
      if (startTerm > -1) {
        for (let i = 0; i < this.n; i++) if ((this.getState(i)?.term ?? 0) > startTerm) return TERM_MOVED
      }
    }
    const { count, command } = this.nCommitted(index)
    if (count < n) this.fail(`only ${count} decided for index ${index}; wanted ${n}`)
    return command
  }

  /**
   * "Agree on one command": offers cmd to each connected server in turn until one takes it as
   * leader, then waits up to 2 s for `expectedServers` to apply it at the index it gave. With
   * retry, tries again (another leader) until 10 s have passed. Returns the index.
   */
  one(command: unknown, expectedServers: number, retry: boolean): number {
    return this.drive(this.oneSteps(command, expectedServers, retry))
  }

  /** one() as a task: yields its sleeps, so several can run at once (the tester's concurrent one()s). */
  *oneSteps(command: unknown, expectedServers: number, retry: boolean): Generator<number, number> {
    const want = JSON.stringify(command)
    const t0 = this.nowMs()
    let starts = 0
    this.commands++
    while (this.nowMs() - t0 < 10_000) {
      let index = -1
      for (let si = 0; si < this.n; si++) {
        starts = (starts + 1) % this.n
        if (!this.reachable(starts)) continue
        const r = this.start(starts, command)
        if (r.isLeader) {
          index = r.index
          break
        }
      }
      if (index !== -1) {
        const t1 = this.nowMs()
        while (this.nowMs() - t1 < 2_000) {
          const { count, command: got } = this.nCommitted(index)
          if (count > 0 && count >= expectedServers && JSON.stringify(got) === want) return index
          yield 20
        }
        if (!retry) this.fail(`one(${short(want)}) failed to reach agreement`)
      } else {
        yield 50
      }
    }
    return this.fail(`one(${short(want)}) failed to reach agreement in 10 s`)
  }

  /** config.go end(): prints and returns the tester's summary line (simulated time, peers, RPCs, bytes, one()s). */
  end(extra = ''): string {
    const line = `  ... Passed --  ${((this.nowMs() - this.startMs) / 1000).toFixed(1)}s simulated  ${this.n} peers  ${this.rpcTotal()} RPCs  ${this.bytesTotal()} bytes  ${this.commands} one()s${extra}  (${this.testName}, seed ${formatSeed(this.seed)})`
    if (!this.quiet) console.log(line)
    return line
  }
}

function short(json: string): string {
  return json.length > 40 ? `${json.slice(0, 37)}...` : json
}
