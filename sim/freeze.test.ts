import { describe, expect, it } from 'vitest'
import { deepFreeze, deepFreezeShared, isImmutable } from './freeze.ts'

describe('deepFreeze', () => {
  it('freezes every object and list inside, however it got there', () => {
    const inner = { op: 'put' }
    const msg = deepFreeze({ type: 'x', entries: [Object.freeze({ command: inner })] })
    expect(Object.isFrozen(msg.entries)).toBe(true)
    expect(Object.isFrozen(inner)).toBe(true)
    expect(() => ((inner as { op: string }).op = 'get')).toThrow(TypeError)
  })
})

describe('deepFreezeShared', () => {
  it('freezes all the way down, invisibly to JSON, copies and equality', () => {
    const entry = deepFreezeShared({ term: 2, command: { op: { f: 'put', key: 'k', value: [1] } } })
    expect(Object.isFrozen(entry.command.op.value)).toBe(true)
    expect(isImmutable(entry)).toBe(true)
    expect(JSON.stringify(entry)).toBe('{"term":2,"command":{"op":{"f":"put","key":"k","value":[1]}}}')
    expect(entry).toStrictEqual({ term: 2, command: { op: { f: 'put', key: 'k', value: [1] } } })
    expect(structuredClone(entry)).toStrictEqual(entry)
  })

  it('cannot be forged: a spread copy or an object inheriting from a marked one is still walked and frozen', () => {
    const entry = deepFreezeShared({ term: 1, command: null })
    const copy = { ...entry, extra: { mutable: true } }
    expect(isImmutable(copy)).toBe(false)
    deepFreeze(copy)
    expect(Object.isFrozen(copy.extra)).toBe(true)
    const child = Object.create(entry) as { own: { mutable: boolean } }
    child.own = { mutable: true }
    expect(isImmutable(child)).toBe(false)
    deepFreeze(child)
    expect(Object.isFrozen(child.own)).toBe(true)
  })

  it('walks (and does not mark) an object someone else froze, whose contents may be unfrozen', () => {
    const inner = { mutable: true }
    const shallow = Object.freeze({ inner })
    deepFreezeShared(shallow)
    expect(Object.isFrozen(inner)).toBe(true)
  })
})
