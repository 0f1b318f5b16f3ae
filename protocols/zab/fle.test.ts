/**
 * Fast Leader Election on its own: servers with given (currentEpoch, last zxid, sid) run the
 * real Election class over a tiny in-test network with 1ms links, so outcomes can be
 * checked for chosen inputs: ties, stale servers, restarts into an established ensemble.
 */
import { describe, expect, it } from 'vitest'
import { Election } from './fle.ts'
import type { Notification, ServerState } from './messages.ts'
import { betterBy, totalOrderPredicate, type Vote } from './vote.ts'
import { makeZxid } from './zxid.ts'

interface Server {
  sid: number
  epoch: number
  zxid: number
  up: boolean
  state: ServerState
  vote: Vote | null
  election: Election
  sent: number
}

interface LabOptions {
  byIdOnly?: boolean
  maxNotificationIntervalMs?: number
}

/** A discrete-event lab: a queue of deliveries and timers ordered by (time, insertion). */
class Lab {
  now = 0
  private seq = 0
  private queue: Array<{ at: number; seq: number; run: () => void; timer?: number }> = []
  private cancelled = new Set<number>()
  readonly servers: Server[] = []
  /** Every note the servers' elections made, in order. */
  readonly notes: Array<{ sid: number; kind: string; data: Record<string, unknown> }> = []
  /** Who may talk to whom (null: everyone). */
  reachable: ((a: number, b: number) => boolean) | null = null

  constructor(specs: Array<[epoch: number, zxid: number]>, private readonly options: LabOptions = {}) {
    specs.forEach(([epoch, zxid], i) => this.servers.push(this.makeServer(i + 1, epoch, zxid)))
  }

  private makeServer(sid: number, epoch: number, zxid: number): Server {
    const server = { sid, epoch, zxid, up: true, state: 'LOOKING', vote: null, sent: 0 } as unknown as Server
    const voters = () => this.servers.length
    server.election = new Election(
      {
        sid,
        get voters() {
          return voters()
        },
        get peers() {
          return [1, 2, 3, 4, 5, 6, 7].slice(0, voters()).filter((s) => s !== sid)
        },
        lastLoggedZxid: () => server.zxid,
        currentEpoch: () => server.epoch,
        send: (to, n) => this.send(server, to, n),
        setTimer: (_name, afterMs) => this.schedule(afterMs, () => server.up && server.election.onTimer(_name), true),
        cancelTimer: (id) => this.cancelled.add(id),
        note: (kind, data) => this.notes.push({ sid, kind, data }),
        decided: (vote, state) => {
          server.state = state
          server.vote = { ...vote, state }
        },
      },
      { finalizeWaitMs: 200, maxNotificationIntervalMs: this.options.maxNotificationIntervalMs ?? 60_000, byIdOnly: this.options.byIdOnly ?? false },
    )
    return server
  }

  private send(from: Server, to: number, n: Notification): void {
    from.sent++
    if (this.reachable && !this.reachable(from.sid, to)) return
    const target = this.servers[to - 1]!
    this.schedule(1, () => target.up && target.election.deliver(n, target.state, target.vote), false)
  }

  private schedule(afterMs: number, run: () => void, timer: boolean): number {
    const id = ++this.seq
    this.queue.push({ at: this.now + afterMs, seq: id, run, timer: timer ? id : undefined })
    return id
  }

  startAll(): void {
    for (const s of this.servers) if (s.up) s.election.start()
  }

  /** A restart: volatile election state is gone; the server looks again from round 1. */
  restart(sid: number): void {
    const old = this.servers[sid - 1]!
    old.election.stop()
    const fresh = this.makeServer(sid, old.epoch, old.zxid)
    this.servers[sid - 1] = fresh
    fresh.election.start()
  }

  runFor(ms: number): void {
    const until = this.now + ms
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.queue[0]
      if (!next || next.at > until) break
      this.queue.shift()
      this.now = next.at
      if (next.timer !== undefined && this.cancelled.has(next.timer)) continue
      next.run()
    }
    this.now = until
  }

  leaders(): number[] {
    return this.servers.filter((s) => s.up && s.state === 'LEADING').map((s) => s.sid)
  }

  followed(): Array<number | null> {
    return this.servers.map((s) => (s.up && s.vote ? s.vote.leader : null))
  }
}

describe('totalOrderPredicate', () => {
  const v = (leader: number, zxid: number, peerEpoch: number) => ({ leader, zxid, peerEpoch })
  it('orders by peer epoch, then zxid, then server id', () => {
    expect(totalOrderPredicate(v(1, 0, 2), v(5, makeZxid(1, 9), 1))).toBe(true)
    expect(totalOrderPredicate(v(1, makeZxid(1, 3), 1), v(5, makeZxid(1, 2), 1))).toBe(true)
    expect(totalOrderPredicate(v(5, makeZxid(1, 3), 1), v(1, makeZxid(1, 3), 1))).toBe(true)
    expect(totalOrderPredicate(v(1, makeZxid(1, 3), 1), v(5, makeZxid(1, 3), 1))).toBe(false)
    expect(totalOrderPredicate(v(3, 7, 1), v(3, 7, 1))).toBe(false)
  })

  it('betterBy names the field that decides, or null when the vote is not better', () => {
    expect(betterBy(v(1, 0, 2), v(5, makeZxid(1, 9), 1))).toBe('peerEpoch')
    expect(betterBy(v(1, makeZxid(1, 3), 1), v(5, makeZxid(1, 2), 1))).toBe('zxid')
    expect(betterBy(v(5, makeZxid(1, 3), 1), v(1, makeZxid(1, 3), 1))).toBe('sid')
    expect(betterBy(v(1, makeZxid(1, 3), 1), v(5, makeZxid(1, 3), 1))).toBeNull()
    expect(betterBy(v(3, 7, 1), v(3, 7, 1))).toBeNull()
    expect(betterBy(v(5, 0, 0), v(1, makeZxid(3, 3), 3), true)).toBe('sid')
  })

  it('compares ids only under the elect-by-id mutant', () => {
    expect(totalOrderPredicate(v(5, 0, 0), v(1, makeZxid(3, 3), 3), true)).toBe(true)
    expect(totalOrderPredicate(v(1, makeZxid(3, 3), 3), v(5, 0, 0), true)).toBe(false)
  })
})

describe('fast leader election outcomes', () => {
  it('elects the highest id when every history ties', () => {
    const lab = new Lab([[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]])
    lab.startAll()
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([5])
    expect(lab.followed()).toEqual([5, 5, 5, 5, 5])
  })

  it('elects the server with the highest zxid over higher ids', () => {
    const z = makeZxid(1, 4)
    const lab = new Lab([[1, z - 1], [1, z], [1, z - 2], [1, z - 1], [1, z - 3]])
    lab.startAll()
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([2])
  })

  it('notes each vote change with the field that decided it and the vote it replaced', () => {
    // One epoch: sids 1 and 2 hold the newest zxid, sid 3 an older one.
    const z = makeZxid(1, 4)
    const lab = new Lab([[1, z], [1, z], [1, z - 1]])
    lab.startAll()
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([2])
    const changes = lab.notes.filter((n) => n.kind === 'vote-changed')
    // sid 1 gives way to sid 2 on the id alone (same zxid); sid 3, with the higher id, on the zxid.
    expect(changes.filter((n) => n.sid === 1).map((n) => [n.data.was, n.data.leader, n.data.because])).toEqual([[1, 2, 'sid']])
    expect(changes.filter((n) => n.sid === 3).map((n) => [n.data.was, n.data.because])).toContainEqual([3, 'zxid'])
    expect(changes.filter((n) => n.sid === 2)).toEqual([])
  })

  it('notes new-round when a later round sends a server back to its own vote', () => {
    const z = makeZxid(1, 4)
    const lab = new Lab([[1, z], [1, z], [1, z], [1, z], [1, z]])
    lab.startAll()
    lab.servers[0]!.election.start() // sid 1 at once opens round 2, with its own vote
    lab.runFor(1_000)
    // sid 2 adopts 3, 4, then 5 in round 1; sid 1's round 2 sends it back to its own vote (2 beats 1).
    const changes = lab.notes.filter((n) => n.kind === 'vote-changed' && n.sid === 2)
    expect(changes.slice(0, 4).map((n) => [n.data.round, n.data.was, n.data.leader, n.data.because])).toEqual([
      [1, 2, 3, 'sid'],
      [1, 3, 4, 'sid'],
      [1, 4, 5, 'sid'],
      [2, 5, 2, 'new-round'],
    ])
    expect(lab.leaders()).toEqual([5])
  })

  it('breaks a zxid tie among the most up-to-date servers by id', () => {
    const z = makeZxid(2, 7)
    const lab = new Lab([[2, z], [2, z], [2, z - 1], [2, z - 5], [2, z - 1]])
    lab.startAll()
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([2])
  })

  it('puts peer epoch before zxid', () => {
    const lab = new Lab([[3, makeZxid(2, 1)], [2, makeZxid(2, 9)], [2, makeZxid(2, 9)], [1, makeZxid(1, 50)], [2, 0]])
    lab.startAll()
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([1])
  })

  it('under elect-by-id, the stale highest id wins', () => {
    const lab = new Lab([[2, makeZxid(2, 9)], [2, makeZxid(2, 9)], [2, makeZxid(2, 9)], [1, 0], [1, 0]], { byIdOnly: true })
    lab.startAll()
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([5])
  })

  it('waits finalizeWait after a quorum agrees before deciding', () => {
    const lab = new Lab([[0, 0], [0, 0], [0, 0]])
    lab.startAll()
    lab.runFor(150)
    expect(lab.leaders()).toEqual([])
    lab.runFor(100)
    expect(lab.leaders()).toEqual([3])
  })

  it('a restarted server follows the established leader, even with a higher id and round 1', () => {
    const lab = new Lab([[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]])
    lab.servers[4]!.up = false // n5 is down: n4 wins among four
    lab.startAll()
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([4])
    lab.servers[4]!.up = true
    lab.restart(5)
    lab.runFor(1_000)
    expect(lab.leaders()).toEqual([4])
    expect(lab.followed()).toEqual([4, 4, 4, 4, 4])
    expect(lab.servers[4]!.state).toBe('FOLLOWING')
  })

  it('a minority decides nothing, and its notification timeout doubles up to the cap', () => {
    const lab = new Lab([[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]], { maxNotificationIntervalMs: 1_600 })
    lab.reachable = (a, b) => a <= 2 && b <= 2
    for (const s of lab.servers.slice(2)) s.up = false
    lab.startAll()
    const sentAt: number[] = []
    let last = lab.servers[0]!.sent
    for (let ms = 0; ms < 12_000; ms += 10) {
      lab.runFor(10)
      if (lab.servers[0]!.sent !== last) sentAt.push(lab.now)
      last = lab.servers[0]!.sent
    }
    expect(lab.leaders()).toEqual([])
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!)
    // 200, 400, 800, then capped at 1600 (messages from the peer only change votes, not the schedule).
    expect(gaps.slice(0, 3).every((g, i) => g >= [200, 400, 800][i]!)).toBe(true)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_610)
    expect(gaps.slice(-2).every((g) => g >= 1_590)).toBe(true)
  })
})
