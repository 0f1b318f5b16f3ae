import { describe, expect, it } from 'vitest'
import { createDefaultClient, type ClientContext } from './client.ts'
import { DEFAULT_WORKLOAD } from './workload.ts'

function fakeContext(readOnly: (f: string) => boolean): ClientContext {
  let timer = 0
  return {
    id: 'c1', nodes: ['n1', 'n2'], home: 'n1', workload: DEFAULT_WORKLOAD, rng: { pick: (xs: unknown[]) => xs[0] } as never, readOnly,
    now: () => 0, send: () => 1, setTimer: () => ++timer, cancelTimer: () => {}, complete: () => {}, note: () => {},
  }
}

describe('the default client', () => {
  it('records a read-only operation that ran out of time as failed, a write as unknown', () => {
    const reads = (f: string) => f === 'get' || f === 'sync-get'
    const client = createDefaultClient(fakeContext(reads))
    client.invoke({ f: 'sync-get', key: 'k' }, 0)
    client.onTimer('attempt') // the first attempt went unanswered
    expect(client.onDeadline!()).toBe('fail')
    client.invoke({ f: 'put', key: 'k', value: 1 }, 1)
    expect(client.onDeadline!()).toBe('info')
  })

  it('treats an operation the protocol does not list as read-only as a possible write', () => {
    const client = createDefaultClient(fakeContext((f) => f === 'get'))
    client.invoke({ f: 'sync-get', key: 'k' }, 0)
    expect(client.onDeadline!()).toBe('info')
  })
})
