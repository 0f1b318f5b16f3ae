/**
 * Variants of the built-in pingpong for the checker's own tests (imported by tests only):
 * one with a liveness condition and a linearizability check (pingpong keeps its map on
 * whichever node leads, in memory, so it is not linearizable: a good target), and one whose
 * liveness condition can never hold.
 */
import { pingpong, type PingPongMsg, type PingPongNode, type PingPongConfig } from '../sim/builtin/pingpong.ts'
import type { Protocol } from '../sim/protocol.ts'

type PingPong = Protocol<PingPongMsg, PingPongConfig, PingPongNode>

/** Liveness: every node is up and names the same leader within 2 s of the heal. */
export const pingpongLive: PingPong = {
  ...pingpong,
  name: 'pingpong-live',
  liveness: () => ({
    description: 'every node up and agreeing on one leader',
    withinUs: 2_000_000,
    check(ctx) {
      const leaders = new Set(ctx.nodeIds.map((id) => ctx.node(id)?.leader() ?? 'down'))
      return leaders.size === 1 && !leaders.has('down') ? null : `nodes name ${[...leaders].join(', ')}`
    },
  }),
}

export const pingpongLinearizable: PingPong = { ...pingpongLive, name: 'pingpong-kv', historyCheck: { kind: 'linearizable', model: 'kv' } }

export const pingpongNeverLive: PingPong = {
  ...pingpong,
  name: 'pingpong-never-live',
  liveness: () => ({ description: 'a node reaches 1000 boots', withinUs: 500_000, check: (ctx) => (ctx.nodeIds.some((id) => (ctx.node(id)?.boots ?? 0) >= 1000) ? null : 'no node has booted 1000 times') }),
}
