/**
 * Wing & Gong's linearizability search with Lowe's memoisation, as Porcupine runs it: walk
 * the history's calls and returns in order; at a call, try to linearize that operation now
 * (the model accepts it, and the pair (linearized set, model state) is new); at a return of
 * an operation not yet linearized, backtrack. Linearizing an operation lifts its call and
 * return out of the list, so the walk always restarts at the earliest pending event.
 * An operation of unknown outcome returns at infinity: it may take effect at any point
 * after its call, and "never" is the same as "after everything else".
 */
import type { Operation } from './operation.ts'
import { ConfigurationMemo } from './memo.ts'
import { REJECT, type Model } from './model.ts'

export interface SearchOutcome {
  result: 'ok' | 'fail' | 'timeout'
  /** On failure: the longest order the search found, and the operation it could not place after it. */
  longest?: { order: number[]; state: unknown; stuck: number | null; candidates: number[] }
}

const NIL = -1

export function searchLinearization(model: Model, ops: readonly Operation[], deadlineMs: number, now: () => number): SearchOutcome {
  const n = ops.length
  if (n === 0) return { result: 'ok' }
  const events = eventOrder(ops)
  const size = events.length + 1 // slot 0 is the head sentinel
  const next = new Int32Array(size)
  const prev = new Int32Array(size)
  const opOf = new Int32Array(size)
  const isCall = new Uint8Array(size)
  const retNode = new Int32Array(size)
  const callNodeOf = new Int32Array(n)
  for (let i = 0; i < events.length; i++) {
    const node = i + 1
    const [opId, call] = events[i]!
    opOf[node] = opId
    isCall[node] = call ? 1 : 0
    prev[node] = i
    next[node] = node + 1 < size ? node + 1 : NIL
    if (call) callNodeOf[opId] = node
    else retNode[callNodeOf[opId]!] = node
  }
  next[0] = size > 1 ? 1 : NIL
  prev[0] = NIL

  const words = (n + 31) >>> 5
  const bits = new Uint32Array(words)
  const zobristA = new Int32Array(n)
  fillZobrist(zobristA, 0x9e3779b9)
  let hashA = 0
  const memo = new ConfigurationMemo(words, 4 * n)
  // States are interned to small numbers, so a memo key is one integer, not a string.
  const stateIds = new Map<unknown, number>()
  const internState = (value: unknown): number => {
    const key = model.stateKey(value)
    let sid = stateIds.get(key)
    if (sid === undefined) stateIds.set(key, (sid = stateIds.size))
    return sid
  }
  const stackNode: number[] = []
  const stackState: unknown[] = []
  let state = model.init()
  let best = { depth: -1, order: [] as number[], state, stuck: null as number | null, candidates: [] as number[] }
  let steps = 0

  const lift = (call: number): void => {
    next[prev[call]!] = next[call]!
    if (next[call] !== NIL) prev[next[call]!] = prev[call]!
    const ret = retNode[call]!
    next[prev[ret]!] = next[ret]!
    if (next[ret] !== NIL) prev[next[ret]!] = prev[ret]!
  }
  const unlift = (call: number): void => {
    const ret = retNode[call]!
    next[prev[ret]!] = ret
    if (next[ret] !== NIL) prev[next[ret]!] = ret
    next[prev[call]!] = call
    if (next[call] !== NIL) prev[next[call]!] = call
  }

  const known = new Uint8Array(n)
  for (const op of ops) known[op.id] = op.known ? 1 : 0
  const stackPass: number[] = []
  // Candidates before the first pending return are tried in two passes: operations with a
  // known outcome first, then those of unknown outcome. Every candidate is still tried, so
  // the search is as complete as Porcupine's; it finds a linearization sooner when unknown
  // writes mostly took effect late or never, the common case.
  let pass = 0
  let entry = next[0]!
  while (next[0] !== NIL) {
    if ((++steps & 1023) === 0 && now() > deadlineMs) return { result: 'timeout' }
    if (isCall[entry]) {
      const id = opOf[entry]!
      if (known[id] !== (pass === 0 ? 1 : 0)) {
        entry = next[entry]!
        continue
      }
      const after = model.step(state, ops[id]!)
      if (after !== REJECT) {
        const w = id >>> 5
        const bit = 1 << (id & 31)
        bits[w]! ^= bit
        hashA ^= zobristA[id]!
        const stateId = internState(after)
        if (memo.add(bits, stateId, (hashA ^ Math.imul(stateId + 1, 0x9e3779b1)) | 0)) {
          stackNode.push(entry)
          stackState.push(state)
          stackPass.push(pass)
          state = after
          lift(entry)
          pass = 0
          entry = next[0]!
          continue
        }
        bits[w]! ^= bit
        hashA ^= zobristA[id]!
      }
      entry = next[entry]!
    } else if (pass === 0) {
      pass = 1
      entry = next[0]!
    } else {
      if (stackNode.length > best.depth) best = snapshot(stackNode, opOf, state, opOf[entry]!, pendingCalls(next, isCall, opOf, entry))
      if (stackNode.length === 0) return { result: 'fail', longest: best }
      const call = stackNode.pop()!
      state = stackState.pop()
      pass = stackPass.pop()!
      const id = opOf[call]!
      bits[id >>> 5]! ^= 1 << (id & 31)
      hashA ^= zobristA[id]!
      unlift(call)
      entry = next[call]!
    }
  }
  return { result: 'ok' }
}

/** Calls and returns in history order; unknown outcomes return after everything, in call order. */
function eventOrder(ops: readonly Operation[]): Array<[number, boolean]> {
  const events: Array<[number, boolean, number]> = []
  for (const op of ops) {
    events.push([op.id, true, op.call])
    events.push([op.id, false, op.ret === Infinity ? Number.MAX_SAFE_INTEGER : op.ret])
  }
  // Positions are distinct except the unknown returns, which tie; the sort is stable.
  events.sort((a, b) => a[2] - b[2])
  return events.map(([id, call]) => [id, call])
}

function snapshot(stackNode: number[], opOf: Int32Array, state: unknown, stuck: number, candidates: number[]) {
  return { depth: stackNode.length, order: stackNode.map((node) => opOf[node]!), state, stuck, candidates }
}

/** Operations whose calls come before `ret` in the remaining list: the ones that could have gone next. */
function pendingCalls(next: Int32Array, isCall: Uint8Array, opOf: Int32Array, ret: number): number[] {
  const out: number[] = []
  for (let node = next[0]!; node !== NIL && node !== ret; node = next[node]!) if (isCall[node]) out.push(opOf[node]!)
  return out
}

/** Deterministic 32-bit values for the incremental (Zobrist) hash of the linearized set. */
function fillZobrist(into: Int32Array, seed: number): void {
  let x = seed | 0
  for (let i = 0; i < into.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    into[i] = x
  }
}
