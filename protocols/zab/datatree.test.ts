import { describe, expect, it } from 'vitest'
import { DataTree } from './datatree.ts'
import type { Txn } from './messages.ts'

let zxid = 0
const t = (client: string, seq: number, op: Txn['op']): Txn => ({ zxid: ++zxid, client, seq, op })

describe('DataTree (the shared kv semantics)', () => {
  it('get of a missing key is null; put sets it', () => {
    const tree = new DataTree()
    expect(tree.read('k')).toBeNull()
    expect(tree.apply(t('c1', 0, { f: 'put', key: 'k', value: 7 }))).toEqual({ ok: true })
    expect(tree.read('k')).toBe(7)
  })

  it('append makes an array: missing -> [v], array -> array + [v], scalar -> [scalar, v]', () => {
    const tree = new DataTree()
    tree.apply(t('c1', 0, { f: 'append', key: 'a', value: 1 }))
    tree.apply(t('c1', 1, { f: 'append', key: 'a', value: 2 }))
    expect(tree.read('a')).toEqual([1, 2])
    tree.apply(t('c1', 2, { f: 'put', key: 'b', value: 5 }))
    tree.apply(t('c1', 3, { f: 'append', key: 'b', value: 6 }))
    expect(tree.read('b')).toEqual([5, 6])
  })

  it('cas succeeds on a deep-equal expected value (null matches missing) and fails definitely otherwise', () => {
    const tree = new DataTree()
    expect(tree.apply(t('c1', 0, { f: 'cas', key: 'k', expected: null, value: [1] }))).toEqual({ ok: true })
    expect(tree.apply(t('c1', 1, { f: 'cas', key: 'k', expected: [1], value: 2 }))).toEqual({ ok: true })
    expect(tree.apply(t('c1', 2, { f: 'cas', key: 'k', expected: 1, value: 3 }))).toEqual({ ok: false, error: 'cas-mismatch', definite: true })
    expect(tree.read('k')).toBe(2)
  })

  it('applies a client write once: a retry (same client and seq) gets the first result', () => {
    const tree = new DataTree()
    tree.apply(t('c1', 4, { f: 'append', key: 'k', value: 'x' }))
    tree.apply(t('c1', 4, { f: 'append', key: 'k', value: 'x' }))
    expect(tree.read('k')).toEqual(['x'])
    tree.apply(t('c2', 0, { f: 'cas', key: 'j', expected: null, value: 1 }))
    expect(tree.apply(t('c2', 0, { f: 'cas', key: 'j', expected: null, value: 1 }))).toEqual({ ok: true })
  })

  it('round-trips through a snapshot', () => {
    const tree = new DataTree()
    tree.apply(t('c1', 0, { f: 'put', key: 'k', value: { a: 1 } }))
    const copy = DataTree.fromSnapshot(JSON.parse(JSON.stringify(tree.toSnapshot())))
    expect(copy.read('k')).toEqual({ a: 1 })
    expect(copy.session('c1')?.seq).toBe(0)
    expect(copy.lastZxid).toBe(tree.lastZxid)
  })
})
