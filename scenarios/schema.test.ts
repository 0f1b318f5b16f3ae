import { describe, expect, it } from 'vitest'
import { InputError } from '../sim/time.ts'
import { parseScenario } from './schema.ts'
import { loadScenarioFile } from './run.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const base = () => ({
  name: 'x', protocol: 'raft', summary: 'a leader is elected', duration: '2s', clients: 1,
  steps: [{ at: '1s', do: 'invoke', client: 'c1', op: { f: 'put', key: 'k', value: 1 } }],
  expect: [{ says: 'one leader', at: 'end', nodes: { view: { leads: true } }, count: 1 }],
})

function refusal(change: (s: Record<string, unknown>) => void): string {
  const s = base() as Record<string, unknown>
  change(s)
  try {
    parseScenario(s, 'f.json')
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    const message = (err as Error).message
    expect(message).not.toContain('\n')
    return message
  }
  throw new Error('accepted')
}

describe('parseScenario', () => {
  it('reads a good file, durations in microseconds and counts in one form', () => {
    const s = parseScenario(base(), 'f.json')
    expect(s.durationUs).toBe(2_000_000)
    expect(s.nodes).toEqual(['n1', 'n2', 'n3', 'n4', 'n5'])
    expect(s.plan[0]).toMatchObject({ at: 1_000_000, do: 'invoke', client: 'c1' })
    expect(s.expect[0]).toMatchObject({ kind: 'nodes', at: 'end', count: { exactly: 1 } })
    expect(s.variants).toHaveLength(1)
  })

  it('refuses bad files with one line naming the file and the field', () => {
    expect(refusal((s) => (s.protocl = 'raft'))).toBe(`f.json: file: unknown field 'protocl'`)
    expect(refusal((s) => (s.protocol = 'paxos'))).toMatch(/^f\.json: protocol: must be one of "raft", "zab", "redis-cluster"/)
    expect(refusal((s) => (s.duration = 'soon'))).toMatch(/^f\.json: duration: bad duration 'soon'/)
    expect(refusal((s) => ((s.expect as object[])[0] = { says: 'x', at: 'end' }))).toMatch(/^f\.json: expect\[0\]: needs exactly one kind field .*it has none/)
    expect(refusal((s) => ((s.expect as object[])[0] = { says: 'x', violation: null, ops: {} }))).toMatch(/it has ops and violation/)
    expect(refusal((s) => ((s.expect as object[])[0] = { violation: null }))).toMatch(/expect\[0\]\.says: every expectation needs "says"/)
    expect(refusal((s) => ((s.expect as object[])[0] = { says: 'x', at: 'end', nodes: {}, count: { atleast: 1 } }))).toMatch(/expect\[0\]\.count: must be a whole number/)
    expect(refusal((s) => ((s.expect as object[])[0] = { says: 'x', at: '1s', node: 'n9', view: { leads: true } }))).toMatch(/unknown node 'n9'/)
    expect(refusal((s) => ((s.expect as object[])[0] = { says: 'x', at: '9s', node: 'n1', view: { leads: true } }))).toMatch(/after the run's end/)
    expect(refusal((s) => (s.steps = [{ at: '1s', do: 'crash', node: 'n7' }]))).toMatch(/^f\.json: steps steps\[0\]\.node: unknown node 'n7'/)
    expect(refusal((s) => (s.captions = [{ text: 'x', at: '1s', on: { event: { type: 'crash' } } }]))).toMatch(/exactly one of "at" and "on"/)
    expect(refusal((s) => (s.expect = []))).toMatch(/needs at least one expectation/)
    expect(refusal((s) => (s.variants = [{ label: 'a' }, { label: 'a' }]))).toMatch(/label 'a' is used twice/)
    expect(refusal((s) => ((s.expect as object[])[0] = { says: 'x', report: 'write-loss', count: 1 }))).toMatch(/exactly one of "figure" and "detail"/)
  })

  it('loads files: missing, not JSON, and what the engine refuses (an unknown mutant) in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-scenario-'))
    const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name))
    expect(() => loadScenarioFile(join(dir, 'none.json'))).toThrow(/^no scenario file .*none\.json$/)
    expect(() => loadScenarioFile(write('bad.json', '{ "name": '))).toThrow(/bad\.json: not valid JSON/)
    const mutant = write('m.json', JSON.stringify({ ...base(), mutant: 'no-such-bug' }))
    expect(() => loadScenarioFile(mutant)).toThrow(/m\.json: .*no-such-bug/)
    const variants = write('v.json', JSON.stringify({ ...base(), variants: [{ label: 'buggy', mutant: 'nope' }] }))
    expect(() => loadScenarioFile(variants)).toThrow(/v\.json \(variant 'buggy'\): .*nope/)
    const client = write('c.json', JSON.stringify({ ...base(), steps: [{ at: '1s', do: 'invoke', client: 'c2', op: { f: 'get' } }] }))
    expect(() => loadScenarioFile(client)).toThrow(/c\.json: bad plan: step 1 invokes on c2, scripted clients: c1$/)
  })
})
