/**
 * The one interface every protocol implements (Raft, ZAB, Redis Cluster, the built-in
 * pingpong). A protocol is a deterministic state machine: the engine calls its handlers,
 * and every effect (sending, timers, randomness, durable writes, trace notes) goes through
 * the NodeContext. Nothing here names a protocol.
 */
import type { RandomStream } from './random.ts'
import type { Micros } from './time.ts'

export type NodeId = string
export type ClientId = string
export type TimerId = number

/**
 * Survives a crash; everything else a node holds does not. Values are copied in and out, except
 * deeply frozen ones, which are kept and handed back as they are (nothing can change them); a
 * list is always storage's own (appends change it), holding the same items.
 */
export interface DurableStorage {
  get<T>(key: string): T | undefined
  put(key: string, value: unknown): void
  delete(key: string): void
  /** Append to a list kept under key (a log): cheaper than rewriting the whole list. */
  append(key: string, items: readonly unknown[]): void
  /** Keep the first `length` items of the list under key (drop a divergent log suffix). */
  truncate(key: string, length: number): void
  /** Drop the first `count` items of the list under key (log compaction after a snapshot). */
  dropPrefix(key: string, count: number): void
  list<T>(key: string): T[]
  /** Items from..to (exclusive) of the list under key, copied (frozen ones as they are): cheaper than list() for a long log. */
  slice<T>(key: string, from: number, to?: number): T[]
  /** One item of the list under key, copied (a frozen one as it is), or undefined. */
  at<T>(key: string, index: number): T | undefined
  length(key: string): number
  /** Make every write so far durable. Only matters when the run loses unsynced writes at a crash. */
  sync(): void
}

/** A client operation. `f` names it (get, put, append, cas, incr, ...); the rest is the protocol's. */
export interface ClientOp {
  f: string
  key?: string
  value?: unknown
  expected?: unknown
  [extra: string]: unknown
}

/** What travels from a client to a node. `seq` numbers the client's operations (for exactly-once). */
export interface ClientRequest {
  client: ClientId
  requestId: number
  seq: number
  op: ClientOp
}

/**
 * A node's answer. A failure says whether the operation certainly did not happen (`definite`),
 * may name another node to try (`redirectTo`: not the leader, MOVED, ASK), or may say that
 * trying again, elsewhere or later, is safe and useful (`retry`: no leader yet, CLUSTERDOWN).
 */
export interface ClientResponse {
  ok: boolean
  value?: unknown
  error?: string
  redirectTo?: NodeId
  retry?: boolean
  definite?: boolean
  [extra: string]: unknown
}

/** A protocol operation a scenario hands to a node at a moment (CLUSTER FAILOVER, MEET, a leader transfer). */
export interface NodeCommand {
  type: string
  [field: string]: unknown
}

export interface NodeContext<Msg> {
  readonly id: NodeId
  /** Every node of the cluster, this one included, in a fixed order. */
  readonly nodes: readonly NodeId[]
  /** This node's clock (skew and drift applied), in microseconds. */
  now(): Micros
  send(to: NodeId, msg: Msg): void
  /** Fires `onTimer(name)` after `afterUs` of this node's local time. */
  setTimer(name: string, afterUs: Micros): TimerId
  cancelTimer(id: TimerId): void
  /** This node's own stream ("node/<id>"): uniform in [0, 1). */
  random(): number
  readonly rng: RandomStream
  readonly storage: DurableStorage
  /** An annotation for the trace and the viewer ("became leader", "vote granted"). */
  note(kind: string, data?: Record<string, unknown>): void
  /** Answers a client request; the answer crosses the network like any message. */
  reply(request: ClientRequest, response: ClientResponse): void
}

/**
 * What a node shows the trace and the viewer. `role` is shown everywhere; `leads` lets the
 * engine's nemesis find "the leader" (or master) without knowing the protocol.
 */
export interface NodeView {
  role: string
  leads?: boolean
  term?: number
  [field: string]: unknown
}

export interface NodeHandlers<Msg> {
  /** Called when the node boots and again after each restart (with a fresh handlers object). */
  onStart?(): void
  onMessage(from: NodeId, msg: Msg): void
  onTimer(name: string, id: TimerId): void
  onClientRequest?(request: ClientRequest): void
  /** A protocol operation from a plan's `command` step or a harness (sim.command). */
  onCommand?(command: NodeCommand): void
  /** A JSON-serialisable picture of the node's state. Cheap: called after every event when tracing. */
  view(): NodeView
}

/** Read access to the cluster for safety invariants: they observe, they never steer. */
export interface InvariantContext<Node> {
  readonly time: Micros
  readonly eventIndex: number
  /** The node whose handler just ran, or null after an engine-only event. */
  readonly touched: NodeId | null
  readonly nodeIds: readonly NodeId[]
  /** The live node (the object createNode returned), or undefined while it is crashed. */
  node(id: NodeId): Node | undefined
  storage(id: NodeId): Pick<DurableStorage, 'get' | 'list' | 'slice' | 'at' | 'length'>
  /** The clients' history so far (for checks such as "an acknowledged write is never lost"). */
  readonly history: readonly import('./clients/history.ts').HistoryEntry[]
}

export interface Invariant<Node> {
  readonly name: string
  /** Returns null when the property holds, or a one-line description of the violation. */
  check(ctx: InvariantContext<Node>): string | null
  /**
   * An account the invariant gives at the end of a run without failing it (Redis Cluster's
   * write-loss accounting, for example). An invariant that only reports returns null from check.
   */
  report?(ctx: InvariantContext<Node>): InvariantReport | null
}

export interface InvariantReport {
  /** One line: "3 of 212 acknowledged writes lost (2 at failover, 1 on the minority side)". */
  summary: string
  /** One line per finding, for the CLI and the viewer. */
  details: string[]
  /** Machine-readable figures for reports and tests. */
  data?: Record<string, unknown>
}

export interface Mutant {
  readonly name: string
  /** What the bug is, what breaks, and which invariant catches it. */
  readonly description: string
}

export interface NodeSetup<Config> {
  config: Config
  mutant: string | null
}

export interface Protocol<Msg = unknown, Config = unknown, Node extends NodeHandlers<Msg> = NodeHandlers<Msg>> {
  readonly name: string
  readonly summary: string
  readonly defaultConfig: Config
  /** Validates and completes a user config (throws InputError on bad input). */
  parseConfig?(raw: unknown): Config
  createNode(ctx: NodeContext<Msg>, setup: NodeSetup<Config>): Node
  /** A short name for the trace and viewer, such as "AppendEntries". */
  messageType(msg: Msg): string
  /** Approximate size on the wire, for RPC byte budgets; defaults to the JSON length. */
  messageBytes?(msg: Msg): number
  /** Fresh invariant instances for one run (they may keep history of their own). */
  invariants?(setup: NodeSetup<Config>): Invariant<Node>[]
  readonly mutants?: readonly Mutant[]
  /** Defaults for the simulated clients' workload. */
  readonly workload?: Partial<import('./clients/workload.ts').WorkloadConfig>
  /**
   * Shapes a client operation of kind `f` on `key` (for example Redis's INCR, or a multi-key
   * command); `value` is unique in the run, `lastSeen` what this client last read or wrote there.
   * Without it the default shapes apply: get/read/incr carry no value, cas carries [expected, new].
   */
  makeOp?(draw: { f: string; key: string; value: number; lastSeen: unknown }): import('./protocol.ts').ClientOp
  /**
   * The operations that change nothing (default: `get`). The default client records one that
   * timed out as failed, not unknown: a read that never answered certainly had no effect.
   * ZAB lists `sync-get` too.
   */
  readonly readOnlyOps?: readonly string[]
  /** A protocol-specific client (for example one that follows MOVED and ASK); else the engine's default. */
  createClient?(ctx: import('./clients/client.ts').ClientContext): import('./clients/client.ts').ClientHandlers
  /** What `faultline check` requires after it heals the network and stops faults (the liveness phase). */
  liveness?(setup: NodeSetup<Config>): Liveness<Node>
  /**
   * How `faultline check` judges the client history: linearizability against a model (Raft and
   * ZAB writes), or write-loss accounting that is reported but does not fail a run (Redis Cluster).
   */
  readonly historyCheck?: HistoryCheck
  /**
   * Fault patterns known to expose a class of bug that random plans rarely hit (a voter crashing
   * between two candidates of one term, Figure 8's three leaders, two replicas of one failed
   * master asking at once). `faultline check` draws some runs from these beside random plans.
   */
  readonly faultTactics?: readonly FaultTactic[]
}

/** One fault pattern as a plan generator; its plans are ordinary nemesis plans, so any run stays one command away. */
export interface FaultTactic {
  readonly name: string
  /** What the pattern does and which bug it is after. */
  readonly description: string
  /** Cluster sizes it needs; the check draws one of them for runs of this tactic. */
  readonly nodes?: readonly number[]
  /** The protocol configs (raw, as `--config` takes them) to draw from for its runs; each must be correct for the protocol. */
  readonly configs?: ReadonlyArray<Record<string, unknown> | null>
  /**
   * A plan within [0, faultUs), every fault undone by its end, drawn from `random` (uniform in
   * [0, 1), the check's own stream): the same draws give the same plan.
   */
  plan(draw: { nodeIds: readonly NodeId[]; faultUs: Micros; random: () => number }): import('./nemesis/types.ts').Plan
}

/** The progress a healed cluster must make within a bound: a leader, completed operations, a converged slot map. */
export interface Liveness<Node> {
  /** One line for reports: "a leader is elected and a client operation completes". */
  readonly description: string
  /** Simulated time allowed after the heal. */
  readonly withinUs: Micros
  /** Null once the cluster has made the progress; otherwise what is still missing. Called after events of the liveness phase. */
  check(ctx: InvariantContext<Node>): string | null
}

export type HistoryCheck =
  | { readonly kind: 'linearizable'; readonly model: string }
  | { readonly kind: 'write-loss' }

/** Any protocol, for registries and the CLI. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProtocol = Protocol<any, any, any>
