/** One node's answers to client commands: MOVED, ASK, ASKING, TRYAGAIN, CROSSSLOT, CLUSTERDOWN. */
import { describe, expect, it } from 'vitest'
import type { ClientOp, ClientResponse, NodeContext } from '../../sim/protocol.ts'
import { RandomStream } from '../../sim/random.ts'
import { NodeStorage } from '../../sim/storage.ts'
import { DEFAULT_CONFIG } from './config.ts'
import { keySlot } from './keyslot.ts'
import { RedisNode } from './node.ts'
import { addPeer, newPeer } from './persist.ts'
import type { RedisMsg } from './types.ts'

/** A lone master owning every slot, with a known peer "n2" to redirect to; booted 3 s ago. */
function loneMaster() {
  const replies: ClientResponse[] = []
  const clock = { us: 10_000_000 }
  const ctx: NodeContext<RedisMsg> = {
    id: 'n1', nodes: ['n1'], now: () => clock.us, send() {}, setTimer: () => 1, cancelTimer() {}, random: () => 0.5,
    rng: RandomStream.root(1), storage: new NodeStorage(false), note() {}, reply: (_req, res) => void replies.push(res),
  }
  const node = new RedisNode(ctx, { ...DEFAULT_CONFIG, masters: 1, replicasPerMaster: 0 }, null)
  node.onStart()
  clock.us += 3_000_000
  const peer = newPeer('b'.repeat(40), 'n2')
  peer.pongReceivedUs = clock.us
  addPeer(node, peer)
  node.onTimer('cron') // the writable delay has passed: state ok
  let requestId = 0
  const ask = (op: ClientOp) => (node.onClientRequest({ client: 'c1', requestId: requestId++, seq: 0, op }), replies.at(-1)!)
  return { node, peer, ask }
}

describe('redirections', () => {
  it('serves its own slots and answers MOVED for a slot it gave away', () => {
    const { node, peer, ask } = loneMaster()
    expect(node.state).toBe('ok')
    expect(ask({ f: 'set', key: 'k1', value: 7 })).toEqual({ ok: true, value: 'OK' })
    expect(ask({ f: 'get', key: 'k1' })).toEqual({ ok: true, value: 7 })
    expect(ask({ f: 'incr', key: 'n' }).value).toBe(1)
    const slot = keySlot('k2')
    node.setOwner(slot, peer.name)
    expect(ask({ f: 'get', key: 'k2' })).toMatchObject({ ok: false, error: `MOVED ${slot} n2`, redirectTo: 'n2', moved: slot, definite: true })
  })

  it('ASK for a missing key of a migrating slot; TRYAGAIN when a multi-key command is split', () => {
    const { node, peer, ask } = loneMaster()
    const slot = keySlot('k0')
    ask({ f: 'mset', key: 'k0', value: 1, pairs: [['k0', 1], ['{k0}.b', 1]] })
    node.migrating.set(slot, peer.name)
    expect(ask({ f: 'get', key: 'k0' })).toEqual({ ok: true, value: 1 }) // still here: served
    node.data.delete('k0') // moved by MIGRATE
    expect(ask({ f: 'get', key: 'k0' })).toMatchObject({ ok: false, error: `ASK ${slot} n2`, ask: slot, redirectTo: 'n2' })
    expect(ask({ f: 'mset', key: 'k0', value: 2, pairs: [['k0', 2], ['{k0}.b', 2]] })).toMatchObject({ ok: false, error: 'TRYAGAIN Multiple keys request during rehashing of slot', retry: true })
  })

  it('an importing node serves a key only with ASKING', () => {
    const { node, peer, ask } = loneMaster()
    const slot = keySlot('k5')
    node.setOwner(slot, peer.name)
    node.importing.set(slot, peer.name)
    expect(ask({ f: 'set', key: 'k5', value: 3 }).error).toBe(`MOVED ${slot} n2`)
    expect(ask({ f: 'set', key: 'k5', value: 3, asking: true })).toEqual({ ok: true, value: 'OK' })
  })

  it('CROSSSLOT for keys in different slots; CLUSTERDOWN when the state is fail', () => {
    const { node, ask } = loneMaster()
    expect(ask({ f: 'mset', key: 'a', value: 1, pairs: [['a', 1], ['b', 1]] }).error).toBe("CROSSSLOT Keys in request don't hash to the same slot")
    node.state = 'fail'
    expect(ask({ f: 'get', key: 'a' })).toMatchObject({ ok: false, error: 'CLUSTERDOWN The cluster is down', retry: true })
  })
})
