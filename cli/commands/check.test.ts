import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { historyToJsonl, type HistoryEntry } from '../../sim/clients/history.ts'
import { main } from '../main.ts'

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'faultline.mjs')
const SAMPLE = join(import.meta.dirname, '..', '..', 'check', 'testdata', 'jepsen-etcd', 'etcd_002.log')
const dir = mkdtempSync(join(tmpdir(), 'faultline-check-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) })
  return { code, out, err }
}

describe('faultline check', () => {
  it('passes pingpong: runs, events, time, seed and a rerun line; exit 0', async () => {
    const r = await cli('check', 'pingpong', '--runs', '4', '--seed', '0x10', '--duration', '2s')
    expect(r.code).toBe(0)
    expect(r.out).toContain('faultline check pingpong · seed 0x10')
    expect(r.out).toMatch(/runs\s+4 of 4/)
    expect(r.out).toMatch(/events\s+[\d,]+/)
    expect(r.out).toMatch(/time\s+8\.000000s simulated in [\d.]+s wall/)
    expect(r.out).toContain('rerun: faultline check pingpong --seed 0x10 --runs 4 --duration 2s')
  })

  it('fails a mutant with the violation, the shrunk steps, the trace and one reproduce command that replays it; exit 1', async () => {
    const traceOut = join(dir, 'shrunk.jsonl')
    const r = await cli('check', 'pingpong', '--mutant', 'skip-sync', '--runs', '40', '--seed', '1', '--out-dir', dir, '--trace-out', traceOut)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/FAILED at run \d+ \(invariant\): boots-always-increase/)
    expect(r.out).toMatch(/shrunk\s+\d+ fault steps -> \d+ in \d+ shrinks/)
    expect(r.out).toContain(`trace       ${traceOut} (sha256:`)
    const hash = /\((sha256:[0-9a-f]+)\)/.exec(r.out)![1]
    const command = /reproduce: faultline (.*)/.exec(r.out)![1]!.split(' ')
    const again = await cli(...command)
    expect(again.code).toBe(1)
    expect(again.out).toContain(hash)
  })

  it('draws protocol configs from --config, and the reproduce command carries the config file', async () => {
    const configs = join(dir, 'configs.json')
    writeFileSync(configs, JSON.stringify([{ heartbeatMs: 30 }, { heartbeatMs: 70, suspectAfterMs: 300 }]))
    const r = await cli('check', 'pingpong', '--mutant', 'skip-sync', '--runs', '40', '--seed', '2', '--out-dir', dir, '--config', configs)
    expect(r.code).toBe(1)
    const command = /reproduce: faultline (.*)/.exec(r.out)![1]!.split(' ')
    expect(command).toContain('--config')
    const again = await cli(...command)
    expect(again.out).toContain(/\((sha256:[0-9a-f]+)\)/.exec(r.out)![1])
    writeFileSync(configs, JSON.stringify({ heartbeatMs: -1 }))
    const bad = await cli('check', 'pingpong', '--config', configs)
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/heartbeatMs must be a positive number/)
  })

  it('prints a JSON report with --json', async () => {
    const r = await cli('check', 'pingpong', '--runs', '2', '--seed', '3', '--duration', '1s', '--json')
    const report = JSON.parse(r.out)
    expect(report).toMatchObject({ protocol: 'pingpong', seed: '0x3', passed: true, runs: 2, failure: null })
  })

  it.each([
    [['check', 'pingpong', '--runs', 'lots'], /bad --runs 'lots'/],
    [['check', 'pingpong', '--shard', '3/2'], /bad --shard '3\/2'/],
    [['check', 'pingpong', '--workers', '0'], /bad --workers '0'/],
    [['check', 'pingpong', '--time-budget', 'soon'], /bad --time-budget 'soon'/],
    [['check', 'pingpong', '--mutant', 'nope'], /unknown mutant 'nope'/],
    [['check', 'nope'], /unknown protocol 'nope'/],
  ])('refuses %j with one line and exit 2', async (argv, message) => {
    const r = await cli(...argv)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(r.err.trim().split('\n')).toHaveLength(1)
  })
})

function entries(rows: Array<[string, HistoryEntry['type'], string, string, unknown?]>): string {
  const open = new Map<string, number>()
  let n = 0
  const list = rows.map(([process, type, f, key, value], index): HistoryEntry => {
    let op = open.get(process)
    if (type === 'invoke') open.set(process, (op = n++))
    return { index, type, process, op: op!, f, key, timeUs: index * 10, ...(value === undefined ? {} : { value }) }
  })
  return historyToJsonl(list)
}

describe('faultline check-history', () => {
  const good = join(dir, 'good.jsonl')
  const bad = join(dir, 'bad.jsonl')
  writeFileSync(good, entries([['c1', 'invoke', 'put', 'k0', 1], ['c1', 'ok', 'put', 'k0'], ['c2', 'invoke', 'get', 'k0'], ['c2', 'ok', 'get', 'k0', 1]]))
  writeFileSync(bad, entries([['c1', 'invoke', 'put', 'k0', 1], ['c1', 'ok', 'put', 'k0'], ['c2', 'invoke', 'get', 'k0'], ['c2', 'ok', 'get', 'k0', 2]]))

  it('exit 0 for a linearizable history (ours and Jepsen\'s)', async () => {
    const r = await cli('check-history', good, '--model', 'kv')
    expect(r.code).toBe(0)
    expect(r.out).toContain('linearizable (model kv, 2 operations in 1 partition')
    expect((await cli('check-history', SAMPLE, '--model', 'register')).code).toBe(0)
  })

  it('exit 1 and the operations that cannot be ordered for a violation', async () => {
    const r = await cli('check-history', bad, '--model', 'kv')
    expect(r.code).toBe(1)
    expect(r.out).toContain('not-linearizable')
    expect(r.out).toContain('c2 get k0 -> 2')
  })

  it('exit 3 when the time budget runs out', async () => {
    const rows: Array<[string, HistoryEntry['type'], string, string, unknown?]> = []
    for (let i = 0; i < 40; i++) rows.push([`w${i}`, 'invoke', 'write', 'x', i])
    for (let i = 0; i < 40; i++) rows.push([`r${i}`, 'invoke', 'read', 'x'], [`r${i}`, 'ok', 'read', 'x', (i * 7) % 40])
    rows.push(['z', 'invoke', 'read', 'x'], ['z', 'ok', 'read', 'x', 1000])
    const hard = join(dir, 'hard.jsonl')
    writeFileSync(hard, entries(rows))
    const r = await cli('check-history', hard, '--model', 'register', '--time-budget', '50ms')
    expect(r.code).toBe(3)
    expect(r.out).toContain('unknown')
  })

  it.each([
    [[join(dir, 'missing.jsonl'), '--model', 'kv'], /cannot read the history .*no such file/],
    [['GOOD', '--model', 'graph'], /unknown model 'graph' \(models: register, kv/],
    [['GOOD'], /needs --model/],
    [['GARBAGE', '--model', 'kv'], /line 1 is not a Jepsen history line/],
  ])('refuses bad input %j with one line and exit 2', async (argv, message) => {
    const garbage = join(dir, 'garbage.txt')
    writeFileSync(garbage, 'hello\n')
    const args = argv.map((a) => (a === 'GOOD' ? good : a === 'GARBAGE' ? garbage : a))
    const r = await cli('check-history', ...args)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(r.err.trim().split('\n')).toHaveLength(1)
  })

  it('works from the installed command, with exit codes intact', () => {
    const r = spawnSync(process.execPath, [BIN, 'check-history', bad, '--model', 'kv'], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('')
  })
})
