/**
 * The real command end to end: `faultline replay` through a pipe (text frames), a broken
 * trace (one line, exit 2), `run --frames`, and the interactive viewer in a pseudo-terminal
 * under tmux when tmux is installed (skipped cleanly when it is not).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readTraceFile } from '../sim/trace/reader.ts'
import { Session } from './session.ts'

const ROOT = join(import.meta.dirname, '..')
const BIN = join(ROOT, 'bin', 'faultline.mjs')
const dir = mkdtempSync(join(tmpdir(), 'faultline-tui-'))
const trace = join(dir, 'run.jsonl')

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

beforeAll(() => {
  const made = cli('run', 'pingpong', '--seed', '0x2a', '--nodes', '3', '--duration', '1s', '--nemesis', 'isolate-leader', '--trace', trace)
  expect(made.code).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('faultline replay without a terminal', () => {
  it('a malformed line deep in a trace whose hash was made right again is still reported at open', () => {
    // The open checks every line, not only the ones a frame shows: the frame asked for is the start.
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n')
    const k = lines.map((l) => l.includes('"type":"deliver"')).lastIndexOf(true)
    lines[k] = lines[k]!.replace(/"id":(\d+)/, '"id":"$1"')
    const prefix = lines.slice(0, -1).map((l) => `${l}\n`).join('')
    const footer = { ...JSON.parse(lines.at(-1)!), hash: `sha256:${createHash('sha256').update(prefix).digest('hex')}` }
    const forged = join(dir, 'forged.jsonl')
    writeFileSync(forged, `${prefix}${JSON.stringify(footer)}\n`)
    const r = cli('replay', forged, '--frames', 'start')
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err.trim()).toBe(`faultline: trace ${forged} line ${k + 1}: event 'deliver' field 'id' must be an integer, got '${/"id":"(\d+)"/.exec(lines[k]!)![1]}'`)
  })

  it('prints the frames asked for, whole and at the width asked', () => {
    const r = cli('replay', trace, '--frames', 'start,interesting,end', '--width', '80', '--height', '24')
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    const frames = r.out.trimEnd().split('\n\n')
    expect(frames.length).toBeGreaterThan(3)
    expect(frames[0]).toMatch(/^=== .*run\.jsonl · event start ===/)
    expect(r.out).toContain('partition isolate n')
    expect(r.out).toContain('reproduce: faultline verify')
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(80)
  })

  it('--event gives one frame at that event', () => {
    const r = cli('replay', trace, '--event', '7', '--width', '80')
    expect(r.code).toBe(0)
    expect(r.out.split('\n')[0]).toMatch(/event #7\b/)
    expect(r.out.match(/^=== /gm)).toHaveLength(1)
  })

  it('a truncated or malformed trace is one clear line and exit 2', () => {
    const text = readFileSync(trace, 'utf8')
    const cut = join(dir, 'cut.jsonl')
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)))
    const r = cli('replay', cut)
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/^faultline: trace .*cut\.jsonl line \d+: truncated/)
    const bad = cli('replay', trace, '--frames', 'later')
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/^faultline: bad --frames moment 'later'/)
  })
})

describe('faultline run --frames', () => {
  it('runs, prints its summary and reproduction line, then frames with that exact line', () => {
    const r = cli('run', 'pingpong', '--seed', '0x7', '--nodes', '3', '--duration', '500ms', '--frames', 'end')
    expect(r.code).toBe(0)
    const reproduce = 'faultline run pingpong --seed 0x7 --nodes 3 --duration 500ms'
    expect(r.out).toContain(`reproduce: ${reproduce}\n=== this run`)
    expect(r.out.split('\n').filter((l) => l === `reproduce: ${reproduce}`)).toHaveLength(2)
  })
})

const hasTmux = spawnSync('tmux', ['-V']).status === 0

describe.skipIf(!hasTmux)('faultline replay in a terminal (tmux)', () => {
  const name = `faultline-tui-${process.pid}`
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', name, ...args], { encoding: 'utf8' })
  const screen = () => tmux('capture-pane', '-p', '-t', name)
  const history = () => tmux('capture-pane', '-p', '-S', '-200', '-t', name)
  const waitFor = async (text: string) => {
    for (let k = 0; k < 200; k++) {
      if (screen().includes(text)) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`timed out waiting for '${text}' on the screen:\n${screen()}`)
  }
  afterAll(() => spawnSync('tmux', ['-L', name, 'kill-server']))

  // CI=true: ink draws nothing under CI until exit; a viewer on a terminal must draw anyway.
  it('opens at 80x24, steps with l, jumps with n, quits with q and keeps the scrollback', async () => {
    const next = new Session(readTraceFile(trace), { source: trace }).interest.next(11)
    const command = `printf 'before-%s\\n' 1 2 3; CI=true ${process.execPath} ${BIN} replay ${trace} --event 10; echo "exit=$?"; sleep 60`
    tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', command)
    try {
      await waitFor('event #10 of')
      tmux('send-keys', '-t', name, 'l')
      await waitFor('event #11 of')
      tmux('send-keys', '-t', name, 'n')
      await waitFor(`event #${next} of`)
      // Two keys in one write arrive as one chunk: each must still count.
      tmux('send-keys', '-t', name, 'hq')
      await waitFor('exit=0')
      expect(history()).toContain('before-1')
    } finally {
      tmux('kill-session', '-t', name)
    }
  })

  it('run --tui watches the run live, and prints the summary after q', async () => {
    const command = `CI=true ${process.execPath} ${BIN} run pingpong --seed 0x5 --nodes 3 --duration 20s --tui; echo "exit=$?"; sleep 60`
    tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', command)
    try {
      await waitFor('reproduce: faultline run pingpong --seed 0x5 --nodes 3 --duration 20s')
      await waitFor('stopped by time')
      tmux('send-keys', '-t', name, 'q')
      await waitFor('exit=0')
      expect(screen()).toMatch(/result +ok/)
    } finally {
      tmux('kill-session', '-t', name)
    }
  })
})
