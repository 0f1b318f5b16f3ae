/**
 * Simulated clients. The engine drives a client like a node: it hands it operations to
 * perform, delivers the nodes' replies and fires its timers, and records the history.
 * A protocol may bring its own client (Redis Cluster's follows MOVED and ASK); the default
 * one below suits leader-based protocols: it follows `redirectTo`, tries another node on a
 * `retry` answer or an attempt timeout, and says 'info' when a write's fate is unknown.
 */
import type { ClientId, ClientOp, ClientRequest, ClientResponse, NodeId, TimerId } from '../protocol.ts'
import type { RandomStream } from '../random.ts'
import type { Micros } from '../time.ts'
import type { WorkloadConfig } from './workload.ts'

export type ClientOutcome =
  | { type: 'ok'; value?: unknown }
  | { type: 'fail'; error: string }
  | { type: 'info'; error?: string }

export interface ClientContext {
  readonly id: ClientId
  readonly nodes: readonly NodeId[]
  /** The node this client sits beside: it shares that node's side of every partition. */
  readonly home: NodeId
  readonly workload: WorkloadConfig
  readonly rng: RandomStream
  /** Whether operation `f` changes nothing (protocol.readOnlyOps, default `get`). */
  readOnly(f: string): boolean
  now(): Micros
  /**
   * Sends a request; returns its request id. During an operation it carries that operation's
   * seq; between operations (refreshing a slot map, say) it carries seq -1.
   */
  send(to: NodeId, op: ClientOp): number
  setTimer(name: string, afterUs: Micros): TimerId
  cancelTimer(id: TimerId): void
  /**
   * Ends operation `seq` (the one invoke() was given). A completion for an operation that
   * is no longer current (it ran out of time, or completed already) is ignored, so a late
   * timer or answer can never finish the wrong operation.
   */
  complete(seq: number, outcome: ClientOutcome): void
  note(kind: string, data?: Record<string, unknown>): void
}

export interface ClientHandlers {
  /**
   * Start performing `op`. `seq` numbers this client's operations, for exactly-once sessions.
   * `to`, from a scenario's invoke step, is the node the first attempt should go to.
   */
  invoke(op: ClientOp, seq: number, to?: NodeId): void
  onResponse(from: NodeId, requestId: number, response: ClientResponse): void
  onTimer(name: string): void
  /** The operation ran out of time: 'fail' if it certainly did not happen, else 'info'. */
  onDeadline?(): 'fail' | 'info'
}

export function createDefaultClient(ctx: ClientContext): ClientHandlers {
  let op: ClientOp | null = null
  let seq = -1
  let attemptId = -1
  let attemptTimer: TimerId | null = null
  let ambiguous = false
  let leaderGuess: NodeId | null = null

  const attempt = (to: NodeId): void => {
    if (!op) return
    if (attemptTimer !== null) ctx.cancelTimer(attemptTimer)
    attemptId = ctx.send(to, op)
    attemptTimer = ctx.setTimer('attempt', ctx.workload.requestTimeoutUs)
  }
  const otherNode = (than: NodeId | null): NodeId => {
    const choices = ctx.nodes.filter((n) => n !== than)
    return choices.length > 0 ? ctx.rng.pick(choices) : ctx.nodes[0]!
  }
  const finish = (outcome: ClientOutcome): void => {
    if (attemptTimer !== null) ctx.cancelTimer(attemptTimer)
    attemptTimer = null
    op = null
    ctx.complete(seq, outcome)
  }

  return {
    invoke(next, nextSeq, to) {
      op = next
      seq = nextSeq
      ambiguous = false
      attempt(to ?? leaderGuess ?? ctx.home)
    },
    onResponse(from, requestId, response) {
      if (!op || requestId !== attemptId) return // a late answer to an abandoned attempt
      if (response.ok) {
        leaderGuess = from
        return finish({ type: 'ok', value: response.value })
      }
      // Unless the node says the operation certainly did not happen, a write may have: an
      // answer that redirects or asks for a retry does not undo that.
      if (response.definite !== true && !ctx.readOnly(op.f)) ambiguous = true
      if (response.redirectTo) {
        leaderGuess = response.redirectTo
        return attempt(response.redirectTo)
      }
      if (response.retry) return attempt(otherNode(from))
      finish(ambiguous ? { type: 'info', error: response.error ?? 'failed' } : { type: 'fail', error: response.error ?? 'failed' })
    },
    onTimer(name) {
      if (name !== 'attempt' || !op) return
      // The request or its answer may have been lost after it took effect.
      ambiguous = ambiguous || !ctx.readOnly(op.f)
      leaderGuess = null
      attemptTimer = null
      attempt(otherNode(null))
    },
    onDeadline() {
      // An attempt is still out: a write may yet take effect; a read changes nothing.
      const verdict = ambiguous || (op !== null && !ctx.readOnly(op.f)) ? 'info' : 'fail'
      if (attemptTimer !== null) ctx.cancelTimer(attemptTimer)
      attemptTimer = null
      op = null
      return verdict
    },
  }
}

