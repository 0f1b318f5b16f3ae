import { describe, expect, it } from 'vitest'
import type { NodeView } from '../../sim/protocol.ts'
import { lineText } from '../text.ts'
import { detailLines } from './index.ts'
import { slotText } from './redis.ts'
import { zxid } from './zab.ts'

const alone = (view: NodeView) => ({ node: 'n1', nodes: ['n1'], views: { n1: view } })
const text = (protocol: string, view: NodeView, width = 40) => detailLines(protocol, view, width, alone(view)).map(lineText)

describe('raft detail', () => {
  const leader = {
    role: 'leader', leads: true, term: 3, votedFor: 'n1', log: [1, 1, 2, { term: 3, command: 'x' }], snapshotIndex: 4,
    commitIndex: 6, lastApplied: 5, nextIndex: { n2: 9, n3: 7 }, matchIndex: { n2: 8, n3: 6 }, extra: 'kept',
  }

  it('shows term, vote, commit, applied and the snapshot', () => {
    const lines = text('raft', leader)
    expect(lines[0]).toContain('term 3')
    expect(lines[0]).toContain('votedFor n1')
    expect(lines[1]).toMatch(/commit 6 +applied 5 +snapshot 4/)
  })

  it('numbers log entries after the snapshot, one term each, committed ones in green', () => {
    const lines = detailLines('raft', leader, 40, alone(leader))
    const log = lines.find((l) => lineText(l).startsWith('5:1'))!
    expect(lineText(log).trim()).toBe('5:1 6:1 7:2 8:3')
    expect(log.map((s) => s.color)).toEqual(['green', 'green', 'yellow', 'yellow'])
    expect(lines.map(lineText)).toContain('log 5..8  (1..4 in the snapshot)')
  })

  it('lists the leader\'s next and match index per peer, and fields it does not lay out', () => {
    const lines = text('raft', leader)
    expect(lines).toContain('n2           9       8')
    expect(lines).toContain('n3           7       6')
    expect(lines.some((l) => /^extra +kept$/.test(l))).toBe(true)
    expect(text('raft', { role: 'follower', term: 1, log: [] }).some((l) => l.includes('peer'))).toBe(false)
  })

  it('reads our Raft view: the terms of the newest entries from logFrom, and the leader', () => {
    const lines = text('raft', { role: 'follower', leads: false, term: 4, votedFor: null, leader: 'n2', logFrom: 8, logTerms: [3, 4, 4], lastIndex: 10, commitIndex: 9, lastApplied: 9, snapshotIndex: 5 }, 60)
    expect(lines[0]).toContain('leader n2')
    expect(lines).toContain('log 8..10  (1..5 in the snapshot)  (2 older not shown)')
    expect(lines).toContain('8:3 9:4 10:4 ')
  })

  it('keeps the newest rows of a long log', () => {
    const lines = text('raft', { role: 'follower', term: 9, log: Array.from({ length: 200 }, () => 9), commitIndex: 0 }, 40)
    expect(lines.some((l) => l.includes('more rows of older entries'))).toBe(true)
    expect(lines.some((l) => l.includes('200:9'))).toBe(true)
  })
})

describe('zab detail', () => {
  it('shows state, epochs, zxids as epoch.counter and the current vote', () => {
    const lines = text('zab', {
      role: 'follower', state: 'FOLLOWING', vote: { leader: 'n3', zxid: 2 * 2 ** 32 + 7, epoch: 2 }, round: 4,
      acceptedEpoch: 2, currentEpoch: 2, lastZxid: 2 * 2 ** 32 + 7, committed: 2 * 2 ** 32 + 5, following: 'n3',
    }, 70)
    expect(lines[0]).toContain('state FOLLOWING')
    expect(lines[0]).toContain('following n3')
    expect(lines[1]).toMatch(/acceptedEpoch 2 +currentEpoch 2/)
    expect(lines[2]).toMatch(/lastZxid 2\.7 +committed 2\.5/)
    expect(lines[3]).toBe('vote leader n3 zxid 2.7 epoch 2  round 4')
  })

  it('reads our ZAB view: lowercase role as the peer state, the phase, a vote written as text', () => {
    const lines = text('zab', { role: 'leading', leads: true, term: 1, zabState: 'BROADCAST', round: 2, vote: 'n3@0.5/e1', acceptedEpoch: 1, currentEpoch: 1, lastZxid: '1.4', committed: '1.3', following: null, serving: true }, 80)
    expect(lines[0]).toMatch(/state LEADING +phase BROADCAST/)
    expect(lines[2]).toMatch(/lastZxid 1\.4 +committed 1\.3/)
    expect(lines[3]).toBe('vote n3@0.5/e1  round 2')
    expect(lines.some((l) => /^serving +true$/.test(l))).toBe(true)
  })

  it('formats zxids of other shapes as they come', () => {
    expect(zxid({ epoch: 1, counter: 3 })).toBe('1.3')
    expect(zxid('0x100000003')).toBe('0x100000003')
    expect(zxid(undefined)).toBe('-')
  })
})

describe('redis-cluster detail', () => {
  // Our Redis Cluster's view: names cut to 8 characters, peers' failure flags as "addr:flag".
  const views: Record<string, NodeView | null> = {
    n1: { role: 'master', leads: true, name: 'aaaaaaaa', master: null, currentEpoch: 7, configEpoch: 5, state: 'ok', slots: '0-5460 7000', offset: 1234, flags: ['n3:pfail'], failReports: ['n3<-2'], keys: 3 },
    n2: { role: 'slave', leads: false, name: 'bbbbbbbb', master: 'n1', currentEpoch: 7, configEpoch: 5, state: 'ok', slots: '', offset: 1200, flags: [], failReports: [], keys: 3 },
    n3: { role: 'master', leads: true, name: 'cccccccc', master: null, currentEpoch: 6, configEpoch: 3, state: 'ok', slots: '5461-16383', offset: 9, flags: [], failReports: [], keys: 0 },
    n4: null,
  }
  const ctx = { node: 'n1', nodes: ['n1', 'n2', 'n3', 'n4'], views }
  const lines = detailLines('redis-cluster', views.n1!, 80, ctx).map(lineText)

  it('shows role, epochs, cluster state, offset, slots, the peers it flags and its failure reports', () => {
    expect(lines[0]).toMatch(/role master +master - +cluster ok/)
    expect(lines[1]).toMatch(/currentEpoch 7 +configEpoch 5 +offset 1234/)
    expect(lines[2]).toBe('slots 0-5460 7000')
    expect(lines[3]).toBe('flags n3 pfail')
    expect(lines[4]).toBe('failure reports n3<-2')
    expect(lines.some((l) => /^keys +3$/.test(l))).toBe(true)
  })

  it('puts CLUSTER NODES together from the views, in Redis\'s columns, flags as the selected node sees them', () => {
    const at = lines.findIndex((l) => l.startsWith('CLUSTER NODES'))
    expect(lines[at]).toBe('CLUSTER NODES (from the views; flags as n1 sees them)')
    expect(lines.slice(at + 1)).toEqual([
      'aaaaaaaa n1:6379@16379 myself,master - - - 5 connected 0-5460 7000',
      'bbbbbbbb n2:6379@16379 slave aaaaaaaa - - 5 connected',
      'cccccccc n3:6379@16379 master,fail? - - - 3 connected 5461-16383',
    ])
  })

  it('prefers the view\'s own CLUSTER NODES text, and marks flags in red', () => {
    const own = { ...views.n1!, clusterNodes: 'abc n1:6379@16379 myself,master - 0 0 5 connected 0-5460\n' }
    const out = detailLines('redis-cluster', own, 80, { ...ctx, views: { ...views, n1: own } })
    expect(out.map(lineText).slice(-2)).toEqual(['CLUSTER NODES', 'abc n1:6379@16379 myself,master - 0 0 5 connected 0-5460'])
    expect(out[3]!.find((s) => s.text === 'n3 pfail')?.color).toBe('red')
    expect([slotText([]), slotText(''), slotText([[0, 5], [9, 9]])]).toEqual(['none', 'none', '0-5 9'])
  })
})

describe('unknown protocols', () => {
  it('fall back to every field as key and value', () => {
    expect(text('mine', { role: 'leader', leads: true, boots: 2, heard: ['n2'] })).toEqual(['role  leader', 'leads true', 'boots 2', 'heard ["n2"]'])
  })
})
