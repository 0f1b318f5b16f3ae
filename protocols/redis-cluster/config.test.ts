import { describe, expect, it } from 'vitest'
import { InputError } from '../../sim/time.ts'
import { DEFAULT_CONFIG, parseConfig } from './config.ts'

describe('parseConfig', () => {
  it('completes a partial config with the defaults', () => {
    expect(parseConfig({ masters: 5, replicaOf: { n6: 'n1' } })).toEqual({ ...DEFAULT_CONFIG, masters: 5, replicaOf: { n6: 'n1' } })
  })

  it('rejects bad input with one clear line', () => {
    expect(() => parseConfig([])).toThrow(InputError)
    expect(() => parseConfig({ nodeTimeout: 5 })).toThrow(/unknown field 'nodeTimeout'/)
    expect(() => parseConfig({ nodeTimeoutMs: 10 })).toThrow(/nodeTimeoutMs must be a number of milliseconds, at least 100/)
    expect(() => parseConfig({ masters: 0 })).toThrow(/masters must be a whole number/)
    expect(() => parseConfig({ replicaOf: { n6: 1 } })).toThrow(/replicaOf must map replica addresses/)
  })
})
