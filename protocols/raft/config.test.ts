import { describe, expect, it } from 'vitest'
import { InputError } from '../../sim/time.ts'
import { DEFAULT_CONFIG, parseRaftConfig } from './config.ts'

describe('parseRaftConfig', () => {
  it('fills defaults and keeps given fields', () => {
    expect(parseRaftConfig({})).toEqual(DEFAULT_CONFIG)
    expect(parseRaftConfig({ readMode: 'readindex', preVote: false })).toMatchObject({ readMode: 'readindex', preVote: false, heartbeatMs: 100 })
  })
  it.each([
    [null, /expected an object/],
    [[1], /expected an object/],
    [{ electionTimeout: 3 }, /unknown field 'electionTimeout'/],
    [{ heartbeatMs: 0 }, /heartbeatMs must be a positive/],
    [{ heartbeatMs: 'fast' }, /heartbeatMs must be a positive/],
    [{ snapshotThreshold: 1.5 }, /snapshotThreshold must be a whole number/],
    [{ maxEntriesPerAppend: 0 }, /maxEntriesPerAppend must be a whole number/],
    [{ preVote: 'yes' }, /preVote must be true or false/],
    [{ readMode: 'lease' }, /readMode must be 'log' or 'readindex'/],
    [{ electionTimeoutMinMs: 500, electionTimeoutMaxMs: 400 }, /electionTimeoutMaxMs must be at least/],
    [{ heartbeatMs: 200 }, /at most half of electionTimeoutMinMs/],
  ])('refuses %j with one clear InputError', (raw, message) => {
    expect(() => parseRaftConfig(raw)).toThrow(InputError)
    expect(() => parseRaftConfig(raw)).toThrow(message)
  })
})
