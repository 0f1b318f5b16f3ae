import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../main.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) })
  return { code, out, err }
}

const scenario = (expectLeaders: number) => ({
  name: 'tiny', protocol: 'raft', claims: [1], summary: 'a leader is elected', seed: '0x2a', duration: '1s',
  captions: [{ on: { view: { leads: true } }, text: '{node} wins its election' }],
  expect: [{ says: `${expectLeaders} leader(s) at the end`, at: 'end', nodes: { view: { leads: true } }, count: expectLeaders }],
})

function file(content: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-scenario-cli-'))
  const path = join(dir, 'tiny.json')
  writeFileSync(path, JSON.stringify(content))
  return path
}

describe('faultline scenario', () => {
  it('lists the shipped scenarios with protocol, claims and summary', async () => {
    const r = await cli('scenario', 'list')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/raft-split-vote\s+Raft\s+#2\s+\S/)
  })

  it('runs a file: narration with captions, each expectation, the seed and the command; exit 0', async () => {
    const path = file(scenario(1))
    const r = await cli('scenario', 'run', path)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/> n\d wins its election/)
    expect(r.out).toContain('ok      1 leader(s) at the end')
    expect(r.out).toContain(`seed 0x2a; reproduce: faultline scenario run ${path}`)
  })

  it('exits 1 when an expectation fails, saying what the run showed', async () => {
    const r = await cli('scenario', 'run', file(scenario(2)))
    expect(r.code).toBe(1)
    expect(r.out).toContain('FAILED  2 leader(s) at the end')
    expect(r.out).toContain('saw 1')
  })

  it('saves a trace that carries the captions and that verify reproduces', async () => {
    const path = file(scenario(1))
    const trace = join(mkdtempSync(join(tmpdir(), 'faultline-scenario-trace-')), 't.jsonl')
    expect((await cli('scenario', 'run', path, '--trace', trace)).code).toBe(0)
    const header = JSON.parse(readFileSync(trace, 'utf8').split('\n')[0]!) as { config: { scenario: { name: string; captions: Array<{ text: string }> } } }
    expect(header.config.scenario.name).toBe('tiny')
    expect(header.config.scenario.captions[0]!.text).toMatch(/wins its election/)
    const verify = await cli('verify', trace)
    expect(verify.out).toContain('reproduced')
  })

  it('refuses unknown names, bad files and a trace over the scenario in one line, exit 2', async () => {
    for (const argv of [['scenario', 'run', 'no-such-scenario'], ['scenario', 'run', file({ ...scenario(1), nodes: 0 })], ['scenario', 'run', '/nonexistent/x.json'], ['scenario', 'run'], ['scenario', 'list', '--bogus']]) {
      const r = await cli(...argv)
      expect(r.code).toBe(2)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    }
    const path = file(scenario(1))
    expect((await cli('scenario', 'run', path, '--trace', path)).err).toMatch(/overwrite the scenario file/)
    // Bad output flags are refused before anything is printed.
    for (const argv of [['--frames', 'bogus'], ['--width', 'abc'], ['--trace', '/nonexistent/dir/x.jsonl'], ['--tui', '--variant', '7']]) {
      const r = await cli('scenario', 'run', path, ...argv)
      expect([r.code, r.out]).toEqual([2, ''])
    }
  })

  it('prints text frames at the captions when --tui has no terminal', async () => {
    const r = await cli('scenario', 'run', file(scenario(1)), '--tui')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/wins its election[\s\S]*── Cluster/)
  })

  it('runs the comparison by name and prints its table', async () => {
    const r = await cli('scenario', 'run', 'cap-partition')
    expect(r.out).toMatch(/Raft\s+minority/)
    expect(r.out).toMatch(/Redis Cluster\s+majority/)
    expect((await cli('scenario', 'run', 'cap-partition', '--json')).code).toBe(2)
  })
})
