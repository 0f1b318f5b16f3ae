/**
 * Raft as the tester runs it: the protocol unchanged, each node wrapped to do what labrpc
 * does around a Raft peer and the engine's network cannot: count the RPC requests a server
 * receives (labrpc's GetCount counts requests, not replies), and labrpc's long reordering,
 * which holds back a *reply* (never a request) 200 ms plus up to 2 s, 600 times in 900. The
 * engine's reorder would hold back requests too, so heartbeats would arrive seconds late
 * and followers start elections the real tester never provokes.
 */
import type { NodeContext, NodeHandlers, Protocol } from '../../../sim/protocol.ts'
import type { RandomStream } from '../../../sim/random.ts'
import { US_PER_MS } from '../../../sim/time.ts'
import type { RaftConfig } from '../config.ts'
import { raft } from '../index.ts'
import type { RaftMsg } from '../messages.ts'
import type { RaftNode } from '../node.ts'

/** What the wrapper shares with the cluster: counters and the long-reordering switch. */
export interface TesterNet {
  /** RPC requests received, per server index. */
  readonly rpcsReceived: number[]
  /** Every message received, by type ("InstallSnapshot": 3). */
  readonly receivedByType: Record<string, number>
  longReordering: boolean
  /** Replies sent, and how many of them long reordering held back (for the harness's own test). */
  repliesSent: number
  repliesHeld: number
  /** The stream the reply delays are drawn from (not the nodes' own, which stay as they were). */
  readonly rng: RandomStream
}

const DELAYED_REPLY_TIMER = 'tester/delayed-reply'

export function testerRaft(net: TesterNet): Protocol<RaftMsg, RaftConfig, RaftNode> {
  return {
    ...raft,
    createNode(ctx, setup) {
      const held = new Map<number, { to: string; msg: RaftMsg }>()
      const send = (to: string, msg: RaftMsg): void => {
        const isReply = msg.type.endsWith('Reply')
        if (isReply) net.repliesSent++
        if (!net.longReordering || !isReply || net.rng.int(0, 899) >= 600) return ctx.send(to, msg)
        net.repliesHeld++
        const delayMs = 200 + net.rng.int(0, net.rng.int(0, 2000))
        held.set(ctx.setTimer(DELAYED_REPLY_TIMER, delayMs * US_PER_MS), { to, msg })
      }
      const wrapped: NodeContext<RaftMsg> = { ...ctx, send }
      const node = raft.createNode(wrapped, setup)
      const index = ctx.nodes.indexOf(ctx.id)
      const onMessage = node.onMessage.bind(node)
      const onTimer = node.onTimer.bind(node)
      node.onMessage = (from, msg) => {
        if (!msg.type.endsWith('Reply')) net.rpcsReceived[index]!++
        net.receivedByType[msg.type] = (net.receivedByType[msg.type] ?? 0) + 1
        onMessage(from, msg)
      }
      ;(node as NodeHandlers<RaftMsg>).onTimer = (name, id) => {
        if (name !== DELAYED_REPLY_TIMER) return onTimer(name)
        const reply = held.get(id)
        held.delete(id)
        if (reply) ctx.send(reply.to, reply.msg)
      }
      return node
    },
  }
}
