import { describe, expect, it } from 'vitest'
import { isImmutable } from './freeze.ts'
import { NodeStorage } from './storage.ts'

describe('NodeStorage', () => {
  it('copies values in and out, so aliasing cannot persist anything', () => {
    const storage = new NodeStorage(false)
    const log = [{ term: 1 }]
    storage.put('log', log)
    log.push({ term: 2 })
    expect(storage.get('log')).toEqual([{ term: 1 }])
    storage.get<{ term: number }[]>('log')!.push({ term: 9 })
    expect(storage.length('log')).toBe(1)
  })

  it('takes a frozen list (a received message\'s entries) and can still append to it, drop and truncate it', () => {
    for (const loseUnsynced of [false, true]) {
      const storage = new NodeStorage(loseUnsynced)
      const entries = Object.freeze([Object.freeze({ term: 1 }), Object.freeze({ term: 2 })])
      storage.put('log', entries)
      storage.sync()
      storage.append('log', [Object.freeze({ term: 3 })])
      storage.dropPrefix('log', 1)
      storage.truncate('log', 1)
      expect(storage.list('log')).toEqual([{ term: 2 }])
      expect(storage.at('log', 0)).toBe(entries[1]) // its frozen items are kept as they are
      expect(entries).toHaveLength(2)
      storage.crash()
      expect(storage.list('log')).toEqual(loseUnsynced ? [{ term: 1 }, { term: 2 }] : [{ term: 2 }])
    }
  })

  it('appends and truncates lists', () => {
    const storage = new NodeStorage(false)
    storage.append('log', [1, 2])
    storage.append('log', [3])
    storage.truncate('log', 1)
    expect(storage.list('log')).toEqual([1])
    expect(storage.list('missing')).toEqual([])
  })

  it('reads slices and single items, and drops a prefix (compaction), all copied', () => {
    const storage = new NodeStorage(true)
    storage.append('log', [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }])
    storage.sync()
    expect(storage.slice('log', 1, 3)).toEqual([{ i: 2 }, { i: 3 }])
    storage.at<{ i: number }>('log', 0)!.i = 99
    expect(storage.at('log', 0)).toEqual({ i: 1 })
    storage.dropPrefix('log', 2)
    expect(storage.list('log')).toEqual([{ i: 3 }, { i: 4 }])
    expect(storage.crash()).toBe(1)
    expect(storage.length('log')).toBe(4)
  })

  it('keeps every write across a crash by default', () => {
    const storage = new NodeStorage(false)
    storage.put('term', 3)
    storage.append('log', ['a'])
    expect(storage.crash()).toBe(0)
    expect(storage.get('term')).toBe(3)
    expect(storage.list('log')).toEqual(['a'])
  })

  it('loses unsynced writes at a crash when that fault is on, and keeps synced ones', () => {
    const storage = new NodeStorage(true)
    storage.put('term', 1)
    storage.append('log', ['a'])
    storage.sync()
    storage.put('term', 2)
    storage.append('log', ['b'])
    storage.truncate('log', 0)
    expect(storage.get('term')).toBe(2)
    expect(storage.crash()).toBe(3)
    expect(storage.get('term')).toBe(1)
    expect(storage.list('log')).toEqual(['a'])
  })

  it('does not let the live view and the durable view share a list', () => {
    const storage = new NodeStorage(true)
    storage.append('log', ['a'])
    storage.sync()
    storage.append('log', ['b'])
    storage.crash()
    storage.append('log', ['c'])
    storage.crash()
    expect(storage.list('log')).toEqual(['a'])
  })

  it('keeps deeply frozen values as they are (they cannot change), and copies anything else', () => {
    const storage = new NodeStorage(true)
    const entry = Object.freeze({ term: 1, command: Object.freeze({ op: Object.freeze(['put', 'k']) }) })
    const halfFrozen = Object.freeze({ term: 2, command: { op: 'put' } })
    storage.append('log', [entry, halfFrozen])
    storage.sync()
    expect(storage.at('log', 0)).toBe(entry)
    expect(storage.list('log')[0]).toBe(entry)
    const copied = storage.at<{ command: { op: string } }>('log', 1)!
    expect(copied).not.toBe(halfFrozen)
    halfFrozen.command.op = 'mutated after the write'
    expect(storage.at('log', 1)).toEqual({ term: 2, command: { op: 'put' } })
    storage.crash()
    expect(storage.list('log')).toEqual([entry, { term: 2, command: { op: 'put' } }])
  })

  it('counts only primitives and frozen plain objects and arrays as immutable', () => {
    expect(isImmutable('text')).toBe(true)
    expect(isImmutable(null)).toBe(true)
    expect(isImmutable(Object.freeze([1, Object.freeze({ a: 'b' })]))).toBe(true)
    expect(isImmutable(Object.freeze([1, { a: 'b' }]))).toBe(false)
    expect(isImmutable(Object.freeze(new Map([[1, 2]])))).toBe(false)
    expect(isImmutable(Object.freeze(new Date(0)))).toBe(false)
    expect(isImmutable(Object.freeze({ at: Object.freeze(new Uint8Array(0)) }))).toBe(false)
    expect(isImmutable(() => 1)).toBe(false)
  })
})
