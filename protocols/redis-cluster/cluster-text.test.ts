/**
 * CLUSTER NODES / CLUSTER SLOTS against output captured from a real Redis 7.0 cluster
 * (fixtures/cluster-nodes-*.txt): we rebuild each node's view from the sample's facts and
 * must print the same text, the address column aside (ours is the engine id: "n2:6379@16379").
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NodeContext } from '../../sim/protocol.ts'
import { RandomStream } from '../../sim/random.ts'
import { NodeStorage } from '../../sim/storage.ts'
import { clusterNodesText, clusterSlotsText, clusterSlotsValue } from './cluster-text.ts'
import { DEFAULT_CONFIG } from './config.ts'
import { RedisNode } from './node.ts'
import { addPeer, newPeer } from './persist.ts'
import { forEachSlot } from './slots.ts'
import type { RedisMsg, SlotRange } from './types.ts'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')
/** 127.0.0.1:7002@17002 -> n2:6379@16379 */
const ourAddress = (line: string) => line.replace(/127\.0\.0\.1:700(\d)@1700\d/, 'n$1:6379@16379')

/** Rebuilds the node that printed `text` (the line flagged myself), from the facts on each line. */
function nodeFromSample(text: string, nodeTimeoutMs = 5000): RedisNode {
  const lines = text.trim().split('\n')
  const mine = lines.find((l) => l.includes('myself'))!.split(' ')
  const nowUs = Number(mine[5]) * 1000
  const ctx = { id: 'me', nodes: [], now: () => nowUs, rng: RandomStream.root(1), storage: new NodeStorage(false) } as unknown as NodeContext<RedisMsg>
  const node = new RedisNode(ctx, { ...DEFAULT_CONFIG, nodeTimeoutMs }, null)
  node.myName = mine[0]!
  for (const line of lines) {
    const [name, address, flags, master, pingSent, pong, epoch, , ...slots] = line.split(' ')
    const peer = newPeer(name!, `n${/:700(\d)/.exec(address!)![1]}`, flags!.includes('slave') ? 'slave' : 'master')
    peer.master = master === '-' ? null : master!
    peer.configEpoch = Number(epoch)
    peer.pingSentUs = Number(pingSent) * 1000
    peer.pongReceivedUs = Number(pong) * 1000
    peer.fail = flags!.split(',').includes('fail')
    peer.pfail = flags!.split(',').includes('fail?')
    addPeer(node, peer)
    for (const s of slots) {
      const moving = /^\[(\d+)-([<>])-(\w+)\]$/.exec(s)
      if (moving) (moving[2] === '>' ? node.migrating : node.importing).set(Number(moving[1]), moving[3]!)
      else forEachSlot([s.split('-').map(Number).concat(s.includes('-') ? [] : [Number(s)]) as SlotRange], (slot) => node.setOwner(slot, name!))
    }
  }
  return node
}

describe('CLUSTER NODES', () => {
  for (const [file, block] of [['cluster-nodes-real.txt', 0], ['cluster-nodes-real.txt', 1], ['cluster-nodes-real.txt', 2], ['cluster-nodes-failover-real.txt', 0]] as const) {
    it(`prints what Redis printed (${file}, view ${block + 1})`, () => {
      const sample = fixture(file).split('---\n')[block]!.trim()
      const node = nodeFromSample(sample)
      expect(clusterNodesText(node)).toBe(sample.split('\n').map(ourAddress).join('\n') + '\n')
    })
  }
})

describe('CLUSTER SLOTS', () => {
  it('lists each range with its master, then its replicas, as redis-cli prints it', () => {
    const node = nodeFromSample(fixture('cluster-nodes-real.txt').split('---\n')[0]!)
    const value = clusterSlotsValue(node)
    expect(value.map(([a, b]) => [a, b])).toEqual([[0, 5460], [5461, 10922], [10923, 16383]])
    expect(value[0]![2]).toEqual(['n1', 6379, '962cb3a978b99d60b247443691924307c15c587a'])
    expect(value[0]![3]).toEqual(['n5', 6379, '3c9d0f5069bc9b2290c0cd586e98c74e7503a04f'])
    expect(clusterSlotsText(node).split('\n').slice(0, 10)).toEqual(['0', '5460', 'n1', '6379', '962cb3a978b99d60b247443691924307c15c587a', '', 'n5', '6379', '3c9d0f5069bc9b2290c0cd586e98c74e7503a04f', ''])
  })
})
