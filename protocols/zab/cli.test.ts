/** ZAB through the command line: a run, its reproduce line, a mutant caught, a bad config refused. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../cli/main.ts'

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) })
  return { code, out, err }
}

describe('faultline run zab', () => {
  it('runs under faults, prints the seed and the command that reproduces the same trace', async () => {
    const first = await cli('run', 'zab', '--seed', '0x2a', '--duration', '3s', '--nemesis', 'isolate-leader', '--clients', '3')
    expect(first.code).toBe(0)
    expect(first.out).toContain('ok (no invariant violated)')
    const command = /reproduce: faultline (.*)/.exec(first.out)![1]!.split(' ')
    const again = await cli(...command)
    const hash = (out: string) => /sha256:[0-9a-f]+/.exec(out)![0]
    expect(hash(again.out)).toBe(hash(first.out))
  })

  it('exits 1 when a mutant breaks an invariant', async () => {
    const r = await cli('run', 'zab', '--seed', '1', '--duration', '20s', '--nemesis', 'isolate-leader', '--clients', '3', '--mutant', 'elect-by-id')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/VIOLATION of zab-/)
  })

  it('refuses a bad config with one line and exit 2', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'faultline-zab-')), 'zab.json')
    writeFileSync(file, JSON.stringify({ tickTimeMs: -5 }))
    const r = await cli('run', 'zab', '--config', file, '--duration', '1s')
    expect(r.code).toBe(2)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toContain('tickTimeMs must be a positive number')
  })
})
