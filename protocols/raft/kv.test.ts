import { describe, expect, it } from 'vitest'
import { jsonEqual, KvStore } from './kv.ts'
import type { KvCommand } from './messages.ts'

let seq = 0
const cmd = (op: KvCommand['op'], client = 'c1', s = ++seq): KvCommand => ({ type: 'kv', client, seq: s, op })

describe('the key-value state machine', () => {
  it('get returns null for a missing key, put sets it', () => {
    const kv = new KvStore()
    expect(kv.apply(cmd({ f: 'get', key: 'a' }))).toEqual({ ok: true, value: null })
    expect(kv.apply(cmd({ f: 'put', key: 'a', value: 1 }))).toEqual({ ok: true })
    expect(kv.apply(cmd({ f: 'get', key: 'a' }))).toEqual({ ok: true, value: 1 })
  })
  it('append: missing -> [v], array -> array + [v], other x -> [x, v]; earlier results stay unchanged', () => {
    const kv = new KvStore()
    kv.apply(cmd({ f: 'append', key: 'a', value: 1 }))
    const before = kv.apply(cmd({ f: 'get', key: 'a' })).value
    kv.apply(cmd({ f: 'append', key: 'a', value: 2 }))
    expect(kv.read('a')).toEqual([1, 2])
    expect(before).toEqual([1])
    kv.apply(cmd({ f: 'put', key: 'b', value: 7 }))
    kv.apply(cmd({ f: 'append', key: 'b', value: 8 }))
    expect(kv.read('b')).toEqual([7, 8])
  })
  it('cas succeeds on a deep-equal expected value (null matches missing), else fails definitely', () => {
    const kv = new KvStore()
    expect(kv.apply(cmd({ f: 'cas', key: 'a', expected: null, value: 1 }))).toEqual({ ok: true })
    expect(kv.apply(cmd({ f: 'cas', key: 'a', expected: 2, value: 3 }))).toEqual({ ok: false, error: 'cas-mismatch', definite: true })
    kv.apply(cmd({ f: 'append', key: 'b', value: 1 }))
    expect(kv.apply(cmd({ f: 'cas', key: 'b', expected: [1], value: 'x' }))).toEqual({ ok: true })
    expect(kv.read('b')).toBe('x')
  })
  it('applies a retried write once, and answers the retry with the first result', () => {
    const kv = new KvStore()
    const first = cmd({ f: 'append', key: 'a', value: 1 }, 'c9', 5)
    expect(kv.apply(first)).toEqual({ ok: true })
    expect(kv.apply({ ...first })).toEqual({ ok: true })
    expect(kv.read('a')).toEqual([1])
    const cas = cmd({ f: 'cas', key: 'a', expected: 0, value: 2 }, 'c9', 6)
    expect(kv.apply(cas)).toMatchObject({ error: 'cas-mismatch' })
    kv.apply(cmd({ f: 'put', key: 'a', value: 0 }, 'c8', 1))
    expect(kv.apply({ ...cas })).toMatchObject({ error: 'cas-mismatch' }) // the first result, not a second try
    expect(kv.read('a')).toBe(0)
  })
  it('snapshots and restores data and sessions', () => {
    const kv = new KvStore()
    kv.apply(cmd({ f: 'put', key: 'a', value: [1, { x: 2 }] }, 'c1', 1))
    const copy = new KvStore()
    copy.restore(JSON.parse(JSON.stringify(kv.snapshot())))
    expect(copy.read('a')).toEqual([1, { x: 2 }])
    copy.apply(cmd({ f: 'put', key: 'a', value: 'again' }, 'c1', 1))
    expect(copy.read('a')).toEqual([1, { x: 2 }])
  })
  it('jsonEqual compares deeply', () => {
    expect(jsonEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(jsonEqual([1], { 0: 1 })).toBe(false)
  })
})
