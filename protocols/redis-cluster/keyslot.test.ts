import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { crc16, keySlot } from './keyslot.ts'

/** Captured from a real redis-server 7.0.15 with CLUSTER KEYSLOT (see README: "keySlot fixture"). */
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'keyslot-real.json'), 'utf8')) as { keys: [string, number][] }

describe('keySlot', () => {
  it('agrees with CLUSTER KEYSLOT of a real Redis on 3000 varied keys', () => {
    expect(fixture.keys.length).toBe(3000)
    const wrong = fixture.keys.filter(([key, slot]) => keySlot(key) !== slot)
    expect(wrong).toEqual([])
  })

  it('uses the CRC16/XMODEM check value from the cluster spec', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3)
  })

  it('hashes only the first tag, and the whole key for an empty tag', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'))
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'))
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'))
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'))
    expect(keySlot('{k3}.b')).toBe(keySlot('k3'))
  })
})
