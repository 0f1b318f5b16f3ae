import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from './main.ts'

const BIN = join(import.meta.dirname, '..', 'bin', 'faultline.mjs')

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) })
  return { code, out, err }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'faultline-cli-'))

describe('faultline run', () => {
  it('prints a summary with the seed and a command that reproduces the run', async () => {
    const r = await cli('run', 'pingpong', '--seed', '0x2a', '--duration', '2s', '--nemesis', 'isolate-leader', '--clients', '2')
    expect(r.code).toBe(0)
    expect(r.out).toContain('seed 0x2a')
    expect(r.out).toMatch(/trace\s+sha256:[0-9a-f]{64}/)
    expect(r.out).toContain('reproduce: faultline run pingpong --seed 0x2a --duration 2s --nemesis isolate-leader --clients 2')
  })

  it('reproduces the same trace hash from the printed command', async () => {
    const first = await cli('run', 'pingpong', '--duration', '1s', '--nemesis', 'chaos', '--loss', '0.1')
    const command = /reproduce: faultline (.*)/.exec(first.out)![1]!.split(' ')
    const again = await cli(...command)
    const hash = (out: string) => /sha256:[0-9a-f]+/.exec(out)![0]
    expect(hash(again.out)).toBe(hash(first.out))
  })

  it('picks and prints a seed when none is given', async () => {
    const r = await cli('run', 'pingpong', '--duration', '200ms')
    expect(r.out).toMatch(/seed 0x[0-9a-f]+/)
  })

  it('reports JSON with --json', async () => {
    const r = await cli('run', 'pingpong', '--seed', '7', '--duration', '1s', '--json')
    const report = JSON.parse(r.out)
    expect(report).toMatchObject({ seed: '0x7', protocol: 'pingpong', ok: true, stoppedBy: 'time', simTimeUs: 1_000_000 })
    expect(report.reproduce).toBe('faultline run pingpong --seed 0x7 --duration 1s')
  })

  it('exits 1 with the violation when a mutant breaks an invariant', async () => {
    const r = await cli('run', 'pingpong', '--seed', '1', '--duration', '20s', '--nemesis', 'crash-restart', '--mutant', 'skip-sync', '--lose-unsynced')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/VIOLATION of boots-always-increase/)
  })

  it('writes a trace file whole, leaving no temporary file, and verify re-runs it to the same hash', async () => {
    const dir = tmp()
    const file = join(dir, 'run.jsonl')
    expect((await cli('run', 'pingpong', '--seed', '3', '--duration', '1s', '--nemesis', 'crash-restart', '--trace', file)).code).toBe(0)
    expect(readdirSync(dir)).toEqual(['run.jsonl'])
    const v = await cli('verify', file)
    expect(v.code).toBe(0)
    expect(v.out).toContain('reproduced')
  })

  it('writes the clients\' history as JSON Lines with --history', async () => {
    const file = join(tmp(), 'history.jsonl')
    await cli('run', 'pingpong', '--seed', '5', '--duration', '2s', '--clients', '2', '--history', file)
    const entries = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(entries.length).toBeGreaterThan(10)
    expect(entries[0]).toMatchObject({ index: 0, type: 'invoke', process: expect.stringMatching(/^c[12]$/) })
  })

  it('rejects a trace edited after it was written (exit 2, one line)', async () => {
    const file = join(tmp(), 'run.jsonl')
    await cli('run', 'pingpong', '--seed', '3', '--duration', '500ms', '--trace', file)
    writeFileSync(file, readFileSync(file, 'utf8').replace('"type":"timer"', '"type":"timer" '))
    const v = await cli('verify', file)
    expect(v.code).toBe(2)
    expect(v.err).toMatch(/hash mismatch/)
    expect(v.err.trim().split('\n')).toHaveLength(1)
  })

  it('says NOT reproduced (exit 1) for a valid trace whose header does not give its events', async () => {
    const file = join(tmp(), 'run.jsonl')
    await cli('run', 'pingpong', '--seed', '3', '--duration', '500ms', '--trace', file)
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    lines[0] = lines[0]!.replace('"seed":"0x3"', '"seed":"0x4"')
    const body = lines.slice(0, -1).map((l) => `${l}\n`).join('')
    const footer = { ...JSON.parse(lines.at(-1)!), hash: `sha256:${createHash('sha256').update(body).digest('hex')}` }
    writeFileSync(file, `${body}${JSON.stringify(footer)}\n`)
    const v = await cli('verify', file)
    expect(v.code).toBe(1)
    expect(v.out).toMatch(/NOT reproduced/)
  })
})

describe('faultline run --check-history', () => {
  // A run `faultline check raft --mutant stale-read --seed 5` found and shrank: one isolated leader.
  const plan = [{ at: '1353.047ms', do: 'isolate', nodes: ['leader'] }, { at: '10s', do: 'heal' }]
  const runArgs = (dir: string, ...extra: string[]) => {
    const file = join(dir, 'plan.json')
    writeFileSync(file, JSON.stringify(plan))
    return ['run', 'raft', '--seed', '0xd09baa20', '--nodes', '3', '--duration', '10090.95ms', '--plan', file, '--clients', '2', '--latency', 'exp:1ms+3ms', '--loss', '0.066', '--duplicate', '0.017', '--reorder', '0.06', '--lose-unsynced', '--check-history', ...extra]
  }

  it('fails a run whose history is not linearizable, with the operations no order explains, and keeps the flag in the reproduce line', async () => {
    const r = await cli(...runArgs(tmp(), '--mutant', 'stale-read'))
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/history +NOT LINEARIZABLE \(model kv\)/)
    expect(r.out).toContain('no order of these operations on key')
    expect(r.out).toMatch(/result +NOT LINEARIZABLE/)
    expect(r.out).toMatch(/reproduce: .*--mutant stale-read --lose-unsynced --check-history$/m)
  })

  it('passes the same run of the correct protocol', async () => {
    const r = await cli(...runArgs(tmp()))
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/history +linearizable \(model kv\)/)
  })

  it('is bad input for a protocol that promises no linearizable history', async () => {
    const r = await cli('run', 'redis-cluster', '--check-history', '--duration', '1s')
    expect(r.code).toBe(2)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/--check-history: redis-cluster promises no linearizable history/)
  })
})

describe('bad input: one line on stderr, exit 2, no stack trace', () => {
  const dir = tmp()
  const badPlan = join(dir, 'bad-plan.json')
  writeFileSync(badPlan, JSON.stringify({ steps: [{ at: '1s', do: 'crash', node: 'n9' }] }))
  const notJson = join(dir, 'not.json')
  writeFileSync(notJson, '{ nope')
  const infinite = join(dir, 'infinite.json')
  writeFileSync(infinite, '{"heartbeatMs": 1e400}')
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown protocol', ['run', 'paxos'], /unknown protocol 'paxos'/],
    ['bad seed', ['run', 'pingpong', '--seed', '-3'], /bad seed/],
    ['unknown flag', ['run', 'pingpong', '--frobnicate'], /unknown option '--frobnicate'/],
    ['duration without unit', ['run', 'pingpong', '--duration', '10'], /bad --duration '10'/],
    ['missing plan file', ['run', 'pingpong', '--plan', join(dir, 'missing.json')], /no such file/],
    ['plan naming an unknown node', ['run', 'pingpong', '--plan', badPlan], /unknown node 'n9'/],
    ['plan that is not JSON', ['run', 'pingpong', '--plan', notJson], /JSON/],
    ['unknown preset', ['run', 'pingpong', '--nemesis', 'armageddon'], /unknown nemesis preset/],
    ['plan and preset together', ['run', 'pingpong', '--plan', badPlan, '--nemesis', 'chaos'], /cannot be used with/],
    ['bad loss', ['run', 'pingpong', '--loss', '1.5'], /bad --loss/],
    ['bad latency', ['run', 'pingpong', '--latency', 'soon'], /bad .*latency/],
    ['unknown mutant', ['run', 'pingpong', '--mutant', 'nope'], /unknown mutant 'nope'/],
    ['too many nodes', ['run', 'pingpong', '--nodes', '0'], /bad --nodes/],
    ['unknown command', ['launch'], /unknown command 'launch'/],
    ['mistyped command with arguments', ['rn', 'pingpong'], /unknown command 'rn'/],
    ['mistyped flag (suggestion on the same line)', ['run', 'pingpong', '--seeed', '1'], /unknown option '--seeed' \(Did you mean --seed\?\)/],
    ['no command', [], /missing command/],
    ['trace over an input', ['run', 'pingpong', '--plan', badPlan, '--trace', badPlan], /also an input of this run/],
    ['trace and history the same file', ['run', 'pingpong', '--trace', join(dir, 'x'), '--history', join(dir, 'x')], /name the same file/],
    ['output in a missing directory', ['run', 'pingpong', '--history', join(dir, 'nope', 'h.jsonl')], /no such directory/],
    ['config JSON cannot carry', ['run', 'pingpong', '--config', infinite], /not plain JSON data/],
    ['missing trace', ['verify', join(dir, 'none.jsonl')], /none\.jsonl/],
  ]
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const r = await cli(...argv)
      expect(r.code).toBe(2)
      expect(r.err).toMatch(message)
      expect(r.err.trim().split('\n')).toHaveLength(1)
      expect(r.err).not.toMatch(/\n\s+at /)
    })
  }
})

describe('help and version', () => {
  it('prints help for the program and for each command', async () => {
    const top = await cli('--help')
    expect(top.code).toBe(0)
    expect(top.out).toMatch(/run.*\n.*verify/s)
    const run = await cli('run', '--help')
    expect(run.out).toContain('--nemesis <name>')
    expect(run.out).toContain('isolate-leader')
  })

  it('prints the version', async () => {
    expect((await cli('--version')).out.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })
})

describe('the real command, in separate processes', () => {
  it('writes byte-identical traces for the same seed in two processes', () => {
    const dir = tmp()
    const run = (name: string) =>
      execFileSync(process.execPath, [BIN, 'run', 'pingpong', '--seed', '0xfeed', '--duration', '3s', '--nemesis', 'chaos', '--clients', '2', '--trace', join(dir, name)], { encoding: 'utf8' })
    run('a.jsonl')
    run('b.jsonl')
    const a = readFileSync(join(dir, 'a.jsonl'))
    expect(a.length).toBeGreaterThan(10_000)
    expect(a.equals(readFileSync(join(dir, 'b.jsonl')))).toBe(true)
  })

  it('exits 2 with one line and no stack trace on bad input', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', 'pingpong', '--seed', 'banana'], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toEqual(["faultline: bad seed 'banana': expected a non-negative integer below 2^53, in hex (0x1f) or decimal"])
  })
})
