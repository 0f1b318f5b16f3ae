/**
 * The NodeContext a protocol's node sees: the only door to time, the network, timers,
 * randomness, storage and the trace. Each call is checked against the node's incarnation,
 * so a stale closure from before a crash can do nothing.
 */
import type { ClientRequest, ClientResponse, DurableStorage, NodeContext, NodeId, TimerId } from './protocol.ts'
import type { NodeSlot } from './node-slot.ts'
import type { Micros } from './time.ts'

/** What the engine offers a context; kept narrow so contexts cannot reach engine internals. */
export interface EngineServices {
  now(): Micros
  sendFromNode(from: NodeSlot, to: NodeId, msg: unknown): void
  reply(from: NodeSlot, request: ClientRequest, response: ClientResponse): void
  setNodeTimer(slot: NodeSlot, name: string, afterLocalUs: Micros): TimerId
  cancelNodeTimer(slot: NodeSlot, id: TimerId): void
  note(node: NodeId, kind: string, data?: Record<string, unknown>): void
}

/** A crashed process writes nothing: durable writes through a stale context throw. Reads stay harmless. */
function guardedStorage(storage: DurableStorage, live: (what: string) => void): DurableStorage {
  return {
    get: (key) => storage.get(key),
    list: (key) => storage.list(key),
    slice: (key, from, to) => storage.slice(key, from, to),
    at: (key, index) => storage.at(key, index),
    length: (key) => storage.length(key),
    put: (key, value) => (live('storage.put'), storage.put(key, value)),
    delete: (key) => (live('storage.delete'), storage.delete(key)),
    append: (key, items) => (live('storage.append'), storage.append(key, items)),
    truncate: (key, length) => (live('storage.truncate'), storage.truncate(key, length)),
    dropPrefix: (key, count) => (live('storage.dropPrefix'), storage.dropPrefix(key, count)),
    sync: () => (live('storage.sync'), storage.sync()),
  }
}

export class StaleContextError extends Error {
  override name = 'StaleContextError'
}

export function createNodeContext(slot: NodeSlot, nodes: readonly NodeId[], engine: EngineServices): NodeContext<unknown> {
  const incarnation = slot.incarnation
  const live = (what: string): void => {
    if (slot.incarnation !== incarnation || slot.status === 'crashed') {
      throw new StaleContextError(`${slot.id}: ${what} after the node crashed (a handler kept a context from before the crash)`)
    }
  }
  return {
    id: slot.id,
    nodes,
    // The stream object is shared with later lives; random() is the guarded way to draw.
    rng: slot.rng,
    storage: guardedStorage(slot.storage, live),
    now: () => slot.clock.local(engine.now()),
    random: () => {
      live('random')
      return slot.rng.next()
    },
    send(to, msg) {
      live('send')
      engine.sendFromNode(slot, to, msg)
    },
    setTimer(name, afterUs) {
      live('setTimer')
      return engine.setNodeTimer(slot, name, afterUs)
    },
    cancelTimer(id) {
      if (slot.incarnation === incarnation) engine.cancelNodeTimer(slot, id)
    },
    note(kind, data) {
      if (slot.incarnation === incarnation) engine.note(slot.id, kind, data)
    },
    reply(request, response) {
      live('reply')
      engine.reply(slot, request, response)
    },
  }
}
