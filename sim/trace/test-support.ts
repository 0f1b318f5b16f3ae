/**
 * Shared by the trace tests (not a test itself): a header, hand-built events, a writer
 * shortcut, fast-check arbitraries for every event type, and a builder of consistent runs.
 * Tests build events by hand so they do not depend on the engine.
 */
import fc from 'fast-check'
import type { NodeView } from '../protocol.ts'
import { type DropReason, type TraceEvent, type TraceHeader, TRACE_FORMAT, TRACE_VERSION, type StopReason } from './events.ts'
import { MemoryTraceSink } from './writer.ts'

export const NODES = ['n1', 'n2', 'n3']
export const CLIENTS = ['c1', 'c2']

/** An event without its position: what tests write before numbering. */
export type Body = TraceEvent extends unknown ? DistributiveOmit<TraceEvent, 'i' | 't'> : never
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export function makeHeader(overrides: Partial<TraceHeader> = {}): TraceHeader {
  return {
    type: 'header',
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    seed: '0x5eed',
    protocol: 'pingpong',
    mutant: null,
    nodes: NODES,
    clients: CLIENTS,
    config: { network: { loss: 0 } },
    plan: [],
    checkpointEvery: 0,
    ...overrides,
  }
}

/** Numbers bodies from 0, with the engine's key order (i, t, then the body); times default to 10us apart. */
export function numbered(bodies: readonly Body[], timesUs?: readonly number[]): TraceEvent[] {
  return bodies.map((body, i) => ({ i, t: timesUs?.[i] ?? i * 10, ...body }) as TraceEvent)
}

export function writeText(header: TraceHeader, events: readonly TraceEvent[], stoppedBy: StopReason = 'time'): string {
  const sink = new MemoryTraceSink()
  sink.header(header)
  for (const e of events) sink.event(e)
  sink.finish({ events: events.length, endTimeUs: events.at(-1)?.t ?? 0, stoppedBy })
  return sink.text()
}

/** A few events of common types, for the rejection tests. */
export function sampleEvents(): TraceEvent[] {
  return numbered([
    { type: 'send', id: 0, from: 'n1', to: 'n2', mtype: 'Ping', msg: { term: 1 }, due: 500 },
    { type: 'deliver', id: 0, from: 'n1', to: 'n2', mtype: 'Ping' },
    { type: 'view', node: 'n2', view: { role: 'follower', term: 1 } },
    { type: 'crash', node: 'n3', lostWrites: 0, step: 0 },
  ])
}

// ---- arbitraries -------------------------------------------------------------------

const str = fc.string({ unit: 'binary', maxLength: 12 })
const int = fc.integer()
const count = fc.nat()
const json = fc.jsonValue({ maxDepth: 3 })
const node = fc.constantFrom(...NODES)
const client = fc.constantFrom(...CLIENTS)
const fieldName = str.filter((k) => k !== '__proto__')
const dropReason = fc.constantFrom<DropReason>('loss', 'partition', 'node-down', 'restarted')
const view: fc.Arbitrary<NodeView> = fc.tuple(str, fc.dictionary(fieldName, json, { maxKeys: 4 })).map(([role, extra]) => ({ ...extra, role }))
const partition = fc.record({
  description: str,
  groups: fc.option(fc.array(fc.array(node, { maxLength: 3 }), { maxLength: 3 })),
  blocked: fc.array(fc.tuple(node, node), { maxLength: 4 }),
})
const perNode = <T>(value: fc.Arbitrary<T>) => fc.record(Object.fromEntries(NODES.map((n) => [n, value])) as Record<string, fc.Arbitrary<T>>)

/** Any well-formed event body of any type. */
export const anyBody: fc.Arbitrary<Body> = fc.oneof(
  fc.record({ type: fc.constant('send' as const), id: count, from: str, to: str, mtype: str, msg: json, due: int }),
  fc.record({ type: fc.constant('deliver' as const), id: count, from: str, to: str, mtype: str }),
  fc.record({ type: fc.constant('drop' as const), id: count, from: str, to: str, mtype: str, reason: dropReason }),
  fc.record({ type: fc.constant('duplicate' as const), id: count, copy: count, from: str, to: str, due: int }),
  fc.record({ type: fc.constant('timer' as const), node, name: str, timer: count }),
  fc.record({ type: fc.constant('crash' as const), node, lostWrites: count, step: count }, { requiredKeys: ['type', 'node', 'lostWrites'] }),
  fc.record({ type: fc.constant('restart' as const), node, step: count }, { requiredKeys: ['type', 'node'] }),
  fc.record({ type: fc.constant('pause' as const), node, step: count }, { requiredKeys: ['type', 'node'] }),
  fc.record({ type: fc.constant('resume' as const), node, step: count }, { requiredKeys: ['type', 'node'] }),
  fc.record({ type: fc.constant('partition' as const), description: str, groups: partition.map((p) => p.groups), blocked: partition.map((p) => p.blocked), step: count }, { requiredKeys: ['type', 'description', 'groups', 'blocked'] }),
  fc.record({ type: fc.constant('network' as const), change: fc.dictionary(fieldName, json, { maxKeys: 3 }), step: count }, { requiredKeys: ['type', 'change'] }),
  fc.record({ type: fc.constant('clock' as const), node, offsetUs: int, driftPpm: fc.double({ noNaN: true, noDefaultInfinity: true }), step: count }, { requiredKeys: ['type', 'node', 'offsetUs', 'driftPpm'] }),
  fc.record({ type: fc.constant('invoke' as const), client, op: count, f: str, key: str, value: json }, { requiredKeys: ['type', 'client', 'op', 'f'] }),
  fc.record({ type: fc.constant('complete' as const), client, op: count, f: str, outcome: fc.constantFrom('ok' as const, 'fail' as const, 'info' as const), value: json, error: str }, { requiredKeys: ['type', 'client', 'op', 'f', 'outcome'] }),
  fc.record({ type: fc.constant('view' as const), node, view, changes: fc.dictionary(fieldName, json, { maxKeys: 3 }), removed: fc.array(str, { maxLength: 2 }) }, { requiredKeys: ['type', 'node', 'view'] }),
  fc.record({ type: fc.constant('view' as const), node, changes: fc.dictionary(fieldName, json, { maxKeys: 3 }) }),
  fc.record({ type: fc.constant('note' as const), node, kind: str, data: fc.dictionary(fieldName, json, { maxKeys: 3 }) }, { requiredKeys: ['type', 'node', 'kind'] }),
  fc.record({ type: fc.constant('violation' as const), invariant: str, message: str, cause: int }),
  fc.record({ type: fc.constant('node-error' as const), node, message: str, cause: int }),
  fc.record({
    type: fc.constant('checkpoint' as const),
    status: perNode(fc.constantFrom('up' as const, 'crashed' as const, 'paused' as const)),
    views: perNode(fc.option(view)),
    partition: fc.option(partition),
    inFlight: fc.array(fc.record({ id: count, from: str, to: str, mtype: str, due: int }), { maxLength: 3 }),
  }),
) as fc.Arbitrary<Body>

/** Numbered events with non-decreasing times. */
export const anyEvents: fc.Arbitrary<TraceEvent[]> = fc
  .array(fc.tuple(anyBody, fc.nat(1_000)), { maxLength: 40 })
  .map((pairs) => {
    let timeUs = 0
    const times = pairs.map(([, stepUs]) => (timeUs += stepUs))
    return numbered(pairs.map(([body]) => body), times)
  })

// ---- consistent runs, for the timeline -----------------------------------------------

/** One random choice of the run builder: what happens, two free numbers, and how much time passes. */
export type Command = [kind: number, a: number, b: number, stepUs: number]

export const commands: fc.Arbitrary<Command[]> = fc.array(
  fc.tuple(fc.nat(17), fc.nat(1_000), fc.nat(1_000), fc.nat(5)),
  { maxLength: 200 },
)

const ROLES = ['follower', 'candidate', 'leader']
const MTYPES = ['Ping', 'Pong', 'Vote']

/**
 * Turns random choices into a run that makes sense: delivers and drops name messages in
 * flight, completes name pending operations, restarts name crashed nodes. Deterministic.
 */
export class RunBuilder {
  readonly bodies: Body[] = []
  readonly timesUs: number[] = []
  private timeUs = 0
  private nextMessageId = 0
  private readonly inFlight: Array<{ id: number; from: string; to: string; mtype: string }> = []
  private readonly pending: Array<{ client: string; op: number; f: string }> = []
  private readonly nextOp = new Map<string, number>()
  private readonly crashed = new Set<string>()
  private readonly paused = new Set<string>()
  private readonly viewed = new Set<string>()

  static build(cmds: readonly Command[]): Body[] & { timesUs: number[] } {
    const builder = new RunBuilder()
    for (const cmd of cmds) builder.step(cmd)
    return Object.assign(builder.bodies, { timesUs: builder.timesUs })
  }

  step([kind, a, b, stepUs]: Command): void {
    this.timeUs += stepUs
    const n = NODES[a % NODES.length]!
    const m = NODES[b % NODES.length]!
    if (kind <= 2) this.send(n, m, MTYPES[b % 3]!, a)
    else if (kind <= 4) this.finishMessage(a, 'deliver', b)
    else if (kind === 5) this.finishMessage(a, 'drop', b)
    else if (kind === 6) this.duplicate(a, b)
    else if (kind === 7) this.crashOrRestart(n, a)
    else if (kind === 8) this.pauseOrResume(n)
    else if (kind === 9) this.partition(a, b)
    else if (kind === 10) this.push({ type: 'clock', node: n, offsetUs: b - 500, driftPpm: a / 10 })
    else if (kind === 11) this.invoke(CLIENTS[a % 2]!, b)
    else if (kind === 12) this.complete(a, b)
    else if (kind === 13) this.wholeView(n, a, b)
    else if (kind === 14) this.changeView(n, a, b)
    else if (kind === 15) this.push(b % 2 ? { type: 'timer', node: n, name: 'tick', timer: a } : { type: 'network', change: { loss: a / 1000 } })
    else if (kind === 16) this.push(a % 4 === 0 ? { type: 'violation', invariant: 'one-leader', message: `two leaders ${b}`, cause: this.bodies.length - 1 } : { type: 'note', node: n, kind: 'vote', data: { b } })
    else this.push({ type: 'node-error', node: n, message: 'handler threw', cause: this.bodies.length - 1 })
  }

  private push(body: Body): void {
    this.bodies.push(body)
    this.timesUs.push(this.timeUs)
  }

  private send(from: string, to: string, mtype: string, a: number): void {
    const id = this.nextMessageId++
    if (a % 9 === 0) {
      // Lost at once, as the engine writes it: sent with due -1, then dropped.
      this.push({ type: 'send', id, from, to, mtype, msg: { a }, due: -1 })
      this.push({ type: 'drop', id, from, to, mtype, reason: 'loss' })
      return
    }
    this.inFlight.push({ id, from, to, mtype })
    this.push({ type: 'send', id, from, to, mtype, msg: { a }, due: this.timeUs + a })
  }

  private finishMessage(a: number, how: 'deliver' | 'drop', b: number): void {
    if (this.inFlight.length === 0) return this.send('n1', 'n2', 'Ping', a)
    const [m] = this.inFlight.splice(a % this.inFlight.length, 1)
    if (how === 'deliver') this.push({ type: 'deliver', ...m! })
    else this.push({ type: 'drop', ...m!, reason: (['loss', 'partition', 'node-down', 'restarted'] as const)[b % 4]! })
  }

  private duplicate(a: number, b: number): void {
    if (this.inFlight.length === 0) return this.send('n2', 'n3', 'Vote', a)
    const original = this.inFlight[a % this.inFlight.length]!
    const copy = this.nextMessageId++
    this.inFlight.push({ ...original, id: copy })
    this.push({ type: 'duplicate', id: original.id, copy, from: original.from, to: original.to, due: this.timeUs + b })
  }

  private crashOrRestart(node: string, a: number): void {
    if (this.crashed.delete(node)) {
      this.push({ type: 'restart', node, step: a })
      this.viewed.add(node)
      this.push({ type: 'view', node, view: { role: 'follower', term: 0, leader: null } })
    } else {
      this.crashed.add(node)
      this.paused.delete(node)
      this.viewed.delete(node)
      this.push({ type: 'crash', node, lostWrites: a % 3 })
    }
  }

  private pauseOrResume(node: string): void {
    if (this.crashed.has(node)) return this.push({ type: 'note', node, kind: 'still crashed' })
    if (this.paused.delete(node)) this.push({ type: 'resume', node })
    else {
      this.paused.add(node)
      this.push({ type: 'pause', node })
    }
  }

  private partition(a: number, b: number): void {
    if (b % 3 === 0) return this.push({ type: 'partition', description: 'healed', groups: null, blocked: [] })
    const blocked: Array<[string, string]> = []
    NODES.forEach((from, x) => NODES.forEach((to, y) => from !== to && (a >> (x * 3 + y)) & 1 && blocked.push([from, to])))
    this.push({ type: 'partition', description: `cut ${a}`, groups: b % 2 ? [['n1'], ['n2', 'n3']] : null, blocked })
  }

  private invoke(client: string, b: number): void {
    const op = this.nextOp.get(client) ?? 0
    this.nextOp.set(client, op + 1)
    const f = b % 2 ? 'put' : 'get'
    this.pending.push({ client, op, f })
    this.push(f === 'put' ? { type: 'invoke', client, op, f, key: `k${b % 4}`, value: b } : { type: 'invoke', client, op, f, key: `k${b % 4}` })
  }

  private complete(a: number, b: number): void {
    if (this.pending.length === 0) return this.invoke(CLIENTS[b % 2]!, a)
    const [p] = this.pending.splice(a % this.pending.length, 1)
    this.push({ type: 'complete', ...p!, outcome: (['ok', 'fail', 'info'] as const)[b % 3]! })
  }

  private wholeView(node: string, a: number, b: number): void {
    if (this.crashed.has(node)) return this.push({ type: 'note', node, kind: 'no view' })
    this.viewed.add(node)
    this.push({ type: 'view', node, view: { role: ROLES[b % 3]!, term: a, leader: null, extra: b } })
  }

  /** Only a node with a whole view gets changes, as the engine writes them. */
  private changeView(node: string, a: number, b: number): void {
    if (!this.viewed.has(node)) return this.wholeView(node, a, b)
    if (b % 3 === 0) return this.push({ type: 'view', node, changes: { term: a } })
    if (b % 3 === 1) return this.push({ type: 'view', node, changes: { leader: b % 2 ? null : NODES[a % 3]! } })
    this.push({ type: 'view', node, removed: ['extra'] })
  }
}
