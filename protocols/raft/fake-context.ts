/**
 * A hand-driven NodeContext for Raft's unit tests (imported by *.test.ts files only): real
 * durable storage, a clock the test sets, and every send and reply recorded, so a test can
 * hand one node exact messages and read exactly what it answers.
 */
import type { ClientRequest, ClientResponse, NodeContext, NodeId } from '../../sim/protocol.ts'
import { RandomStream } from '../../sim/random.ts'
import { NodeStorage } from '../../sim/storage.ts'
import { DEFAULT_CONFIG, type RaftConfig } from './config.ts'
import type { RaftMsg } from './messages.ts'
import { RaftNode } from './node.ts'

export interface FakeNode {
  node: RaftNode
  ctx: NodeContext<RaftMsg> & { timeUs: number }
  sent: Array<{ to: NodeId; msg: RaftMsg }>
  replies: Array<{ request: ClientRequest; response: ClientResponse }>
  notes: string[]
  storage: NodeStorage
  /** A fresh node object over the same storage: a crash and restart. */
  restart(): FakeNode
}

export function fakeNode(id = 'n1', opts: { nodes?: NodeId[]; config?: Partial<RaftConfig>; mutant?: string | null; storage?: NodeStorage } = {}): FakeNode {
  const nodes = opts.nodes ?? ['n1', 'n2', 'n3', 'n4', 'n5']
  const storage = opts.storage ?? new NodeStorage(false)
  const rng = RandomStream.root(1).fork(`node/${id}`)
  const sent: FakeNode['sent'] = []
  const replies: FakeNode['replies'] = []
  const notes: string[] = []
  let timerId = 0
  const ctx = {
    id,
    nodes,
    timeUs: 0,
    now() {
      return ctx.timeUs
    },
    send: (to: NodeId, msg: RaftMsg) => void sent.push({ to, msg }),
    setTimer: () => ++timerId,
    cancelTimer: () => {},
    random: () => rng.next(),
    rng,
    storage,
    note: (kind: string) => void notes.push(kind),
    reply: (request: ClientRequest, response: ClientResponse) => void replies.push({ request, response }),
  }
  const config = { ...DEFAULT_CONFIG, ...opts.config }
  const node = new RaftNode(ctx, config, opts.mutant ?? null)
  node.onStart()
  return { node, ctx, sent, replies, notes, storage, restart: () => fakeNode(id, { ...opts, storage }) }
}

/** The messages sent since the last call (and forget them). */
export function takeSent(f: FakeNode): Array<{ to: NodeId; msg: RaftMsg }> {
  return f.sent.splice(0, f.sent.length)
}
