import { describe, expect, it } from 'vitest'
import { InputError } from '../../sim/time.ts'
import { DEFAULT_CONFIG, parseZabConfig } from './config.ts'

describe('parseZabConfig', () => {
  it('fills defaults and keeps given fields', () => {
    expect(parseZabConfig({})).toEqual(DEFAULT_CONFIG)
    expect(parseZabConfig({ tickTimeMs: 50, commitLogCount: 20 })).toEqual({ ...DEFAULT_CONFIG, tickTimeMs: 50, commitLogCount: 20 })
  })

  it.each([
    [null, /expected an object/],
    [[], /expected an object/],
    [{ tickMs: 1 }, /unknown field 'tickMs'/],
    [{ tickTimeMs: 0 }, /tickTimeMs must be a positive number/],
    [{ initLimit: 2.5 }, /initLimit must be a positive whole number/],
    [{ syncLimit: '5' }, /syncLimit must be a positive whole number/],
    [{ finalizeWaitMs: 500, maxNotificationIntervalMs: 100 }, /maxNotificationIntervalMs must be at least finalizeWaitMs/],
  ])('rejects %j with one clear line', (raw, message) => {
    expect(() => parseZabConfig(raw)).toThrow(InputError)
    expect(() => parseZabConfig(raw)).toThrow(message)
  })
})
