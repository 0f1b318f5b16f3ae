import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../sim/clients/history.ts'
import { checkLinearizable, findModel, operationsFromHistory, parseJepsenLog, REJECT, registerModel, type Model } from './index.ts'

/** A tiny history DSL: [process, type, f, key, value] in order. */
function history(rows: Array<[string, HistoryEntry['type'], string, string, unknown?]>): HistoryEntry[] {
  const open = new Map<string, number>()
  let ops = 0
  return rows.map(([process, type, f, key, value], index) => {
    let op = open.get(process)
    if (type === 'invoke') open.set(process, (op = ops++))
    return { index, type, process, op: op!, f, key, timeUs: index, ...(value === undefined ? {} : { value }) }
  })
}

const check = (model: string, h: HistoryEntry[], timeBudgetMs?: number) =>
  checkLinearizable(findModel(model), operationsFromHistory(h), timeBudgetMs === undefined ? {} : { timeBudgetMs })

describe('register model', () => {
  it('accepts a sequential history and concurrent reads either side of a write', () => {
    const h = history([
      ['a', 'invoke', 'write', 'x', 1], ['a', 'ok', 'write', 'x'],
      ['a', 'invoke', 'write', 'x', 2], ['b', 'invoke', 'read', 'x'], ['c', 'invoke', 'read', 'x'],
      ['b', 'ok', 'read', 'x', 1], ['c', 'ok', 'read', 'x', 2], ['a', 'ok', 'write', 'x'],
    ])
    expect(check('register', h).verdict).toBe('linearizable')
  })

  it('rejects a stale read after a completed write, and names the read', () => {
    const h = history([
      ['a', 'invoke', 'write', 'x', 1], ['a', 'ok', 'write', 'x'],
      ['a', 'invoke', 'write', 'x', 2], ['a', 'ok', 'write', 'x'],
      ['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', 1],
    ])
    const r = check('register', h)
    expect(r.verdict).toBe('not-linearizable')
    expect(r.explanation.join('\n')).toContain('b read x -> 1')
  })

  it('rejects two reads that see writes in opposite orders', () => {
    const h = history([
      ['a', 'invoke', 'write', 'x', 1], ['b', 'invoke', 'write', 'x', 2],
      ['a', 'ok', 'write', 'x'], ['b', 'ok', 'write', 'x'],
      ['c', 'invoke', 'read', 'x'], ['c', 'ok', 'read', 'x', 1],
      ['d', 'invoke', 'read', 'x'], ['d', 'ok', 'read', 'x', 2],
    ])
    expect(check('register', h).verdict).toBe('not-linearizable')
  })

  it('lets a write of unknown outcome take effect late, or never', () => {
    const late = history([
      ['a', 'invoke', 'write', 'x', 1], ['a', 'info', 'write', 'x'],
      ['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', null],
      ['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', 1],
    ])
    expect(check('register', late).verdict).toBe('linearizable')
    const never = history([['a', 'invoke', 'write', 'x', 1], ['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', null]])
    expect(check('register', never).verdict).toBe('linearizable')
    // ...but not before it was invoked.
    const early = history([['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', 1], ['a', 'invoke', 'write', 'x', 1], ['a', 'info', 'write', 'x']])
    expect(check('register', early).verdict).toBe('not-linearizable')
  })

  it('treats a failed operation as one that did not happen', () => {
    const h = history([['a', 'invoke', 'write', 'x', 1], ['a', 'fail', 'write', 'x'], ['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', 1]])
    expect(check('register', h).verdict).toBe('not-linearizable')
  })

  it('checks cas: ok only when the value matched; an unknown cas may have done nothing', () => {
    const good = history([['a', 'invoke', 'write', 'x', 1], ['a', 'ok', 'write', 'x'], ['a', 'invoke', 'cas', 'x', [1, 5]], ['a', 'ok', 'cas', 'x'], ['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', 5]])
    expect(check('register', good).verdict).toBe('linearizable')
    const bad = history([['a', 'invoke', 'write', 'x', 1], ['a', 'ok', 'write', 'x'], ['a', 'invoke', 'cas', 'x', [2, 5]], ['a', 'ok', 'cas', 'x']])
    expect(check('register', bad).verdict).toBe('not-linearizable')
    const unknown = history([['a', 'invoke', 'write', 'x', 1], ['a', 'ok', 'write', 'x'], ['a', 'invoke', 'cas', 'x', [2, 5]], ['a', 'info', 'cas', 'x'], ['b', 'invoke', 'read', 'x'], ['b', 'ok', 'read', 'x', 1]])
    expect(check('register', unknown).verdict).toBe('linearizable')
  })
})

describe('kv model', () => {
  it('follows the shared append semantics: missing -> [v], array -> array + [v], value -> [old, v]', () => {
    const h = history([
      ['a', 'invoke', 'append', 'k', 1], ['a', 'ok', 'append', 'k'],
      ['a', 'invoke', 'append', 'k', 2], ['a', 'ok', 'append', 'k'],
      ['b', 'invoke', 'get', 'k'], ['b', 'ok', 'get', 'k', [1, 2]],
      ['a', 'invoke', 'put', 'j', 7], ['a', 'ok', 'put', 'j'],
      ['a', 'invoke', 'append', 'j', 8], ['a', 'ok', 'append', 'j'],
      ['b', 'invoke', 'sync-get', 'j'], ['b', 'ok', 'sync-get', 'j', [7, 8]],
      ['b', 'invoke', 'get', 'missing'], ['b', 'ok', 'get', 'missing', null],
    ])
    expect(check('kv', h).verdict).toBe('linearizable')
    const wrong = history([['a', 'invoke', 'append', 'k', 1], ['a', 'ok', 'append', 'k'], ['b', 'invoke', 'get', 'k'], ['b', 'ok', 'get', 'k', 1]])
    expect(check('kv', wrong).verdict).toBe('not-linearizable')
  })

  it('cas compares deeply, null matching a missing key', () => {
    const h = history([
      ['a', 'invoke', 'cas', 'k', [null, 3]], ['a', 'ok', 'cas', 'k'],
      ['a', 'invoke', 'append', 'k', 4], ['a', 'ok', 'append', 'k'],
      ['a', 'invoke', 'cas', 'k', [[3, 4], 9]], ['a', 'ok', 'cas', 'k'],
      ['b', 'invoke', 'get', 'k'], ['b', 'ok', 'get', 'k', 9],
    ])
    expect(check('kv', h).verdict).toBe('linearizable')
  })

  it('splits by key: each key checked alone (P-compositionality)', () => {
    const h = history([
      ['a', 'invoke', 'put', 'k1', 1], ['a', 'ok', 'put', 'k1'],
      ['b', 'invoke', 'put', 'k2', 2], ['b', 'ok', 'put', 'k2'],
      ['c', 'invoke', 'get', 'k2'], ['c', 'ok', 'get', 'k2', 1],
    ])
    const r = check('kv', h)
    expect(r.partitions).toBe(2)
    expect(r.verdict).toBe('not-linearizable')
    expect(r.explanation[0]).toContain('on key k2')
  })
})

describe('search limits and extension', () => {
  it('returns unknown when the time budget runs out', () => {
    // Many concurrent writes of unknown outcome and reads that force a search over their orders.
    const rows: Array<[string, HistoryEntry['type'], string, string, unknown?]> = []
    for (let i = 0; i < 40; i++) rows.push([`w${i}`, 'invoke', 'write', 'x', i])
    for (let i = 0; i < 40; i++) rows.push([`r${i}`, 'invoke', 'read', 'x'], [`r${i}`, 'ok', 'read', 'x', (i * 7) % 40])
    rows.push(['z', 'invoke', 'read', 'x'], ['z', 'ok', 'read', 'x', 1000])
    expect(check('register', history(rows), 50).verdict).toBe('unknown')
  })

  it('takes user models by name', () => {
    const counter: Model<number> = {
      name: 'test-counter', description: 'a counter', operations: ['incr', 'get'],
      init: () => 0,
      step: (s, op) => (op.f === 'incr' ? s + 1 : !op.known || op.output === s ? s : REJECT),
      stateKey: String,
    }
    registerModel(counter)
    const h = history([['a', 'invoke', 'incr', 'c'], ['b', 'invoke', 'incr', 'c'], ['a', 'ok', 'incr', 'c'], ['b', 'ok', 'incr', 'c'], ['c', 'invoke', 'get', 'c'], ['c', 'ok', 'get', 'c', 2]])
    expect(check('test-counter', h).verdict).toBe('linearizable')
  })
})

describe('Jepsen logs', () => {
  it('reads the in-repo etcd sample and finds it linearizable (its known verdict)', () => {
    const text = readFileSync(join(import.meta.dirname, '../testdata/jepsen-etcd/etcd_002.log'), 'utf8')
    const entries = parseJepsenLog(text)
    expect(entries.length).toBe(text.trim().split('\n').length)
    expect(check('register', entries).verdict).toBe('linearizable')
  })

  it('finds the in-repo etcd_000 sample not linearizable (its known verdict), naming the read that cannot be placed', () => {
    const text = readFileSync(join(import.meta.dirname, '../testdata/jepsen-etcd/etcd_000.log'), 'utf8')
    const r = check('register', parseJepsenLog(text))
    expect(r.verdict).toBe('not-linearizable')
    expect(r.explanation.join('\n')).toMatch(/\d+ read -> \d/)
  })

  it('finds the sample not linearizable once one read is changed', () => {
    const text = readFileSync(join(import.meta.dirname, '../testdata/jepsen-etcd/etcd_002.log'), 'utf8')
    const broken = text.replace('4\t:ok\t:read\t3\n', '4\t:ok\t:read\t1\n')
    expect(broken).not.toBe(text)
    expect(check('register', parseJepsenLog(broken)).verdict).toBe('not-linearizable')
  })
})
