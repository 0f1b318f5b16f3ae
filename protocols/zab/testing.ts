/**
 * Test helpers for ZAB (imported by *.test.ts files only): a scripted client that sends one
 * chosen operation to one chosen server at a chosen time, and readers for trace notes.
 */
import type { ClientContext, ClientHandlers } from '../../sim/clients/client.ts'
import type { ClientOp, ClientResponse, NodeId } from '../../sim/protocol.ts'
import type { TraceEvent } from '../../sim/trace/events.ts'
import { zab } from './index.ts'

export interface ScriptStep {
  /** Client id (c1 ..): it lives beside node n((i-1) mod N)+1 and shares its side of partitions. */
  client: string
  atUs: number
  node: NodeId
  op: ClientOp
  /** Also send the same operation (same client seq) to these nodes: a retried write. */
  alsoTo?: NodeId[]
}

export interface ScriptOutcome {
  step: ScriptStep
  response: ClientResponse
  atUs: number
}

/** ZAB with a client that follows `script` (one step per client) and records every answer in `outcomes`. */
export function scriptedZab(script: readonly ScriptStep[], outcomes: ScriptOutcome[]) {
  const createClient = (ctx: ClientContext): ClientHandlers => {
    const step = script.find((s) => s.client === ctx.id)
    let seq = -1
    let used = false
    return {
      invoke(_op, nextSeq) {
        seq = nextSeq
        if (step === undefined || used) return
        used = true
        ctx.setTimer('go', Math.max(0, step.atUs - ctx.now()))
      },
      onTimer() {
        if (!step) return
        ctx.send(step.node, step.op)
        for (const other of step.alsoTo ?? []) ctx.send(other, step.op)
      },
      onResponse(_from, _requestId, response) {
        if (!step) return
        outcomes.push({ step, response, atUs: ctx.now() })
        ctx.complete(seq, response.ok ? { type: 'ok', value: response.value } : { type: 'fail', error: response.error ?? 'failed' })
      },
    }
  }
  return { ...zab, createClient }
}

export interface Note {
  atUs: number
  node: NodeId
  kind: string
  data: Record<string, unknown>
}

/** The notes of a trace, optionally of some kinds only. */
export function notesOf(events: readonly TraceEvent[], ...kinds: string[]): Note[] {
  const out: Note[] = []
  for (const e of events as Array<TraceEvent & { t: number }>) {
    if (e.type !== 'note' || (kinds.length > 0 && !kinds.includes(e.kind))) continue
    out.push({ atUs: e.t, node: e.node, kind: e.kind, data: e.data ?? {} })
  }
  return out
}
