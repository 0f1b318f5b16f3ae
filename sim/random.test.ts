import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { RandomStream } from './random.ts'

describe('RandomStream', () => {
  it("draws exactly what seedrandom's alea gives for the stream's seed string", () => {
    for (const seed of [0, 1, 42, 0xdeadbeef, 123456789]) {
      const root = RandomStream.root(seed)
      for (const stream of [root, root.fork('net'), root.fork('node/n3'), root.fork('nemesis').fork('x')]) {
        const reference = seedrandom.alea(`0x${seed.toString(16)}|${stream.name}`)
        for (let i = 0; i < 2000; i++) expect(stream.next()).toBe(reference())
      }
    }
  })

  it('forks streams independent of one another and of the parent', () => {
    const a = RandomStream.root(7).fork('a')
    const b = RandomStream.root(7).fork('b')
    expect(a.next()).not.toBe(b.next())
    const root = RandomStream.root(7)
    const before = RandomStream.root(7).fork('a').next()
    root.next()
    expect(root.fork('a').next()).toBe(before)
  })
})
