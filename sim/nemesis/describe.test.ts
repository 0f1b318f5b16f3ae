import { describe, expect, it } from 'vitest'
import { describeStep } from './describe.ts'
import { parsePlan } from './plan.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']

describe('describeStep', () => {
  it('gives one human line per step', () => {
    const plan = parsePlan(
      [
        { at: '2s', do: 'crash', node: 'n1' },
        { at: '5s', do: 'isolate', nodes: ['leader'] },
        { at: '6s', do: 'groups', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] },
        { at: '7s', do: 'one-way', from: ['n1'], to: ['n2', 'n3'] },
        { at: '8s', do: 'network', latency: 'uniform:1ms..5ms', loss: 0.1, links: [['n1', 'n2']] },
        { at: '8.5s', do: 'network', reset: true },
        { at: '9s', do: 'heal' },
        { at: '10s', do: 'clock', node: 'n2', offset: '-200ms', driftPpm: 100 },
        { at: '1m', do: 'clock', node: 'n2', driftPpm: -3 },
      ],
      NODES,
    )
    expect(plan.map(describeStep)).toEqual([
      '2s crash n1',
      '5s isolate leader',
      '6s groups n1,n2 | n3,n4,n5',
      '7s one-way n1 -> n2,n3',
      '8s network latency=uniform:1ms..5ms loss=0.1 on n1->n2',
      '8500ms network reset',
      '9s heal',
      '10s clock n2 offset=-200ms drift=+100ppm',
      '1m clock n2 drift=-3ppm',
    ])
  })
})

describe('describeStep for commands', () => {
  it('names the node and the command type', () => {
    const plan = parsePlan(
      [
        { at: '5s', do: 'command', node: 'n2', command: { type: 'cluster-failover', force: true } },
        { at: '6s', do: 'command', node: 'leader', command: { type: 'transfer-leadership', to: 'n3' } },
        { at: '7s', do: 'command', node: 'random', command: { type: 'cluster meet\nnow' } },
      ],
      NODES,
    )
    expect(plan.map(describeStep)).toEqual([
      '5s command n2 cluster-failover',
      '6s command leader transfer-leadership',
      `7s command random "cluster meet\\nnow"`,
    ])
  })
})
