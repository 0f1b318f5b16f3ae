/**
 * A Raft cluster under the tester's control, in simulated time (after 6.5840's raft/config.go):
 * servers are numbered 0..n-1 as in the tester (server i is node `n${i+1}`); they can be
 * disconnected and reconnected, crashed and restarted with their durable storage, handed
 * commands (Start), and the network made unreliable. Time passes only in `sleepMs`, which
 * runs the engine; whatever happens is fixed by the seed, so every failure replays from it.
 */
import { Simulation } from '../../../sim/engine.ts'
import { defaultNetworkConfig } from '../../../sim/network/config.ts'
import type { Cut, NetworkConfig } from '../../../sim/network/types.ts'
import type { StopInfo } from '../../../sim/result.ts'
import { RandomStream } from '../../../sim/random.ts'
import { formatSeed } from '../../../sim/seed.ts'
import { US_PER_MS } from '../../../sim/time.ts'
import type { RaftConfig } from '../config.ts'
import type { RaftNode } from '../node.ts'
import { ApplyTracker } from './applied.ts'
import { HarnessFailure } from './seeds.ts'
import { testerRaft, type TesterNet } from './tester-raft.ts'

export interface ClusterOptions {
  seed: number
  /** The test's name, for failure messages and the reproduce hint. */
  testName: string
  servers: number
  /** labrpc's unreliable network: 10% of messages lost, 0-27 ms delays (config.go's make_config unreliable). */
  unreliable?: boolean
  /** The tester's SnapShotInterval of 10: a node snapshots every 10 applied entries. */
  snapshots?: boolean
  config?: Partial<RaftConfig>
  mutant?: string | null
  /** Run the protocol's safety invariants after every event (default true). Off, only the tester's own checks judge. */
  invariants?: boolean
  /** Print the begin line with the seed (default true). */
  quiet?: boolean
}

/** What Start() returns (6.5840: index, term, isLeader). */
export interface StartResult {
  index: number
  term: number
  isLeader: boolean
}

/** A background task (a tester goroutine), its wake-up time and, once done, its result. */
export interface Task<T> {
  atUs: number
  steps: Generator<number, T>
  done: boolean
  result: T | undefined
}

/** The tester's snapshot interval (config.go SnapShotInterval). */
export const SNAPSHOT_INTERVAL = 10
const RELIABLE_LATENCY = 'uniform:1ms..5ms'
const UNRELIABLE_LATENCY = 'uniform:1ms..27ms'
const UNRELIABLE_LOSS = 0.1

export class RaftCluster {
  readonly sim: Simulation
  readonly n: number
  readonly seed: number
  readonly testName: string
  readonly quiet: boolean
  /** The config the test asked for (not the snapshot interval, which the test itself sets), for the reproduce hint. */
  readonly config: Partial<RaftConfig> | undefined
  /** The tester's own random choices (rand.Int() in test_test.go), from the run's seed. */
  readonly rng: RandomStream
  readonly connected: boolean[]
  readonly applies: ApplyTracker
  /** RPC counts and the long-reordering switch, shared with the wrapped nodes. */
  readonly net: TesterNet
  /** The live node objects, for the per-event apply check (undefined while crashed). */
  private readonly live: Array<RaftNode | undefined>
  private readonly tasks: Array<Task<unknown>> = []
  private inTask = false
  private readonly collectAll = (): boolean => {
    for (let i = 0; i < this.n; i++) {
      const node = this.live[i]
      if (node !== undefined) this.applies.collect(i, node)
    }
    return false
  }

  constructor(o: ClusterOptions) {
    this.n = o.servers
    this.seed = o.seed
    this.testName = o.testName
    this.quiet = o.quiet ?? false
    this.config = o.config
    this.rng = RandomStream.root(o.seed).fork('tester')
    this.connected = new Array<boolean>(o.servers).fill(true)
    this.applies = new ApplyTracker(o.servers)
    this.net = { rpcsReceived: new Array<number>(o.servers).fill(0), receivedByType: {}, longReordering: false, repliesSent: 0, repliesHeld: 0, rng: RandomStream.root(o.seed).fork('tester/reorder') }
    const config: Partial<RaftConfig> = { ...(o.snapshots ? { snapshotThreshold: SNAPSHOT_INTERVAL } : {}), ...o.config }
    this.sim = new Simulation({
      protocol: testerRaft(this.net), seed: o.seed, nodes: o.servers, config, mutant: o.mutant ?? null,
      network: networkConfig(o.unreliable ?? false), countBytes: true, invariants: o.invariants ?? true,
    })
    this.live = this.sim.nodeIds.map((id) => this.sim.node<RaftNode>(id))
    if (!o.quiet) console.log(`${o.testName}: ${o.servers} servers${o.unreliable ? ', unreliable' : ''}, seed ${formatSeed(o.seed)}`)
    this.sleepMs(0) // boots the nodes
    this.live.forEach((_, i) => this.refresh(i))
  }

  id(i: number): string {
    return this.sim.nodeIds[i]!
  }

  /** The server's Raft object, or undefined while crashed (config.go's rafts[i] == nil). */
  raft(i: number): RaftNode | undefined {
    return this.live[i]
  }

  // ---- time ----------------------------------------------------------------------

  nowMs(): number {
    return this.sim.now() / US_PER_MS
  }

  /**
   * Lets `ms` of simulated time pass, waking background tasks (the tester's goroutines) when
   * they asked to be woken. A safety violation or a node error ends the test here.
   */
  sleepMs(ms: number): void {
    if (this.inTask) throw new Error('a background task must yield its sleeps, not call sleepMs')
    const untilUs = this.sim.now() + Math.round(ms * US_PER_MS)
    for (let task = this.nextTask(untilUs); task !== undefined; task = this.nextTask(untilUs)) {
      this.runUntil(task.atUs)
      this.step(task)
    }
    this.runUntil(untilUs)
  }

  /** Starts a background task: a generator that yields how many ms to sleep, run between the main script's steps. */
  spawn<T>(steps: Generator<number, T>): Task<T> {
    const task: Task<T> = { atUs: this.sim.now(), steps, done: false, result: undefined }
    this.tasks.push(task as Task<unknown>)
    return task
  }

  /** Runs steps to the end in the foreground: each yielded number is a sleep. */
  drive<T>(steps: Generator<number, T>): T {
    for (;;) {
      const r = steps.next()
      if (r.done) return r.value
      this.sleepMs(r.value)
    }
  }

  private nextTask(untilUs: number): Task<unknown> | undefined {
    let next: Task<unknown> | undefined
    for (const t of this.tasks) if (!t.done && t.atUs <= untilUs && (next === undefined || t.atUs < next.atUs)) next = t
    return next
  }

  private step(task: Task<unknown>): void {
    this.inTask = true
    try {
      const r = task.steps.next()
      if (r.done) {
        task.done = true
        task.result = r.value
      } else task.atUs = this.sim.now() + Math.round(r.value * US_PER_MS)
    } finally {
      this.inTask = false
    }
  }

  private runUntil(untilUs: number): void {
    this.failIfStopped(this.sim.run({ untilUs, stopWhen: this.collectAll }))
  }

  /** A violation, a node error or the event budget ends the run for good, and the test with it. */
  private failIfStopped(stop: StopInfo): void {
    if (stop.reason === 'violation' || stop.reason === 'node-error' || stop.reason === 'budget') this.fail(`run stopped (${stop.reason}): ${stop.message ?? ''}`)
    if (this.applies.applyErr) this.fail(this.applies.applyErr)
  }

  fail(reason: string): never {
    throw new HarnessFailure(this.testName, this.seed, this.sim.now(), reason, this.config)
  }

  // ---- the network ---------------------------------------------------------------

  /** Cuts server i off from every other server (config.go disconnect). */
  disconnect(i: number): void {
    this.connected[i] = false
    this.applyCut()
  }

  connect(i: number): void {
    this.connected[i] = true
    this.applyCut()
  }

  /** labrpc's Reliable(!unreliable): loss and 0-27 ms delays on or off. */
  setUnreliable(unreliable: boolean): void {
    this.sim.changeNetwork(unreliable ? { latency: UNRELIABLE_LATENCY, loss: UNRELIABLE_LOSS } : { latency: RELIABLE_LATENCY, loss: 0 })
  }

  /** labrpc's LongReordering: two replies in three held back 200 ms plus up to 2 s, so later ones overtake them (tester-raft.ts). */
  setLongReordering(on: boolean): void {
    this.net.longReordering = on
  }

  /** One partition that isolates each disconnected server from all others (they cannot reach each other either). */
  private applyCut(): void {
    const down = this.connected.flatMap((c, i) => (c ? [] : [this.id(i)]))
    if (down.length === 0) return this.sim.setPartition(null)
    const blocked: Cut['blocked'] = []
    for (const d of down) {
      for (const other of this.sim.nodeIds) if (other !== d) blocked.push([d, other], [other, d])
    }
    this.sim.setPartition({ description: `disconnected ${down.join(',')}`, groups: null, blocked })
  }

  // ---- crashes -------------------------------------------------------------------

  /** config.go crash1: disconnect, then kill; the durable storage stays. */
  crash(i: number): void {
    this.disconnect(i)
    if (this.live[i] !== undefined) this.sim.crash(this.id(i))
    this.live[i] = undefined
  }

  /** config.go start1: crash if running, then boot a fresh node from its storage. Still disconnected: connect(i) after. */
  start1(i: number): void {
    this.crash(i)
    this.sim.restart(this.id(i))
    this.refresh(i)
  }

  private refresh(i: number): void {
    const node = this.sim.node<RaftNode>(this.id(i))
    this.live[i] = node
    if (node !== undefined) this.applies.restarted(i, node)
  }

  // ---- the Raft API ---------------------------------------------------------------

  /** rf.Start(cmd) on server i, through the node's `start` command. A crashed server is not asked. */
  start(i: number, command: unknown): StartResult {
    const node = this.live[i]
    if (node === undefined) return { index: -1, term: 0, isLeader: false }
    this.sim.command(this.id(i), { type: 'start', command })
    this.collectAll()
    // A Start that threw (a node error) left lastStart as it was: run no events, only learn whether the run stopped.
    this.failIfStopped(this.sim.run({ maxEvents: 0 }))
    if (node.lastStart === null) this.fail(`server ${i} did not answer Start`)
    return { ...node.lastStart! }
  }

  /** rf.GetState(): term and whether it believes it is the leader. */
  getState(i: number): { term: number; isLeader: boolean } | null {
    const node = this.live[i]
    return node === undefined ? null : { term: node.currentTerm, isLeader: node.isLeader }
  }

  // ---- counts ----------------------------------------------------------------------

  rpcCount(i: number): number {
    return this.net.rpcsReceived[i]!
  }

  rpcTotal(): number {
    return this.net.rpcsReceived.reduce((a, b) => a + b, 0)
  }

  /** Messages of one type received by all servers (InstallSnapshot, AppendEntries, ...). */
  received(type: string): number {
    return this.net.receivedByType[type] ?? 0
  }

  /** Bytes of every message sent, requests and replies (labrpc's GetTotalBytes), as JSON length. */
  bytesTotal(): number {
    return this.sim.stats.bytes
  }

  /** The largest persisted Raft state (hard state and log, not the snapshot), in bytes (config.go LogSize). */
  logSize(): number {
    let max = 0
    for (const id of this.sim.nodeIds) {
      const storage = this.sim.storage(id)
      const log = storage.list<string>('log')
      const size = log.reduce((sum, text) => sum + text.length, 0) + JSON.stringify(storage.get('hard') ?? null).length
      max = Math.max(max, size)
    }
    return max
  }
}

function networkConfig(unreliable: boolean): NetworkConfig {
  const config = defaultNetworkConfig()
  return unreliable ? { ...config, latency: { kind: 'uniform', minUs: 1_000, maxUs: 27_000 }, loss: UNRELIABLE_LOSS } : config
}
