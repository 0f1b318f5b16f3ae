/**
 * The ink app itself, on a fake terminal (ink-testing-library does not work with ink 6):
 * a stdout with columns and rows that records what ink writes, and a stdin that feeds keys.
 * Few tests on purpose: the model and the frames carry the logic.
 */
import { EventEmitter } from 'node:events'
import { render } from 'ink'
import { createElement } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ViewerApp } from './app.tsx'
import { initialState } from './model.ts'
import { faultyRun, sessionOf } from './test-support.ts'
import { keepScrollback } from './viewer.ts'
import { LiveRun, LiveTraceSink } from './live.ts'
import { pingpong } from '../sim/builtin/pingpong.ts'
import { Simulation } from '../sim/engine.ts'
import { US_PER_S } from '../sim/time.ts'

class FakeStdout extends EventEmitter {
  isTTY = true
  writes: string[] = []
  constructor(public columns: number, public rows: number) {
    super()
  }
  write(chunk: string): boolean {
    this.writes.push(chunk)
    return true
  }
  /** The last frame ink drew, escape codes removed. */
  frame(): string {
    // eslint-disable-next-line no-control-regex
    return (this.writes.at(-1) ?? '').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true
  private queue: string[] = []
  setEncoding(): void {}
  setRawMode(): void {}
  ref(): void {}
  unref(): void {}
  read(): string | null {
    return this.queue.shift() ?? null
  }
  press(key: string): void {
    this.queue.push(key)
    this.emit('readable')
  }
}

const session = sessionOf(faultyRun())
const settle = () => new Promise((resolve) => setTimeout(resolve, 30))
let unmount: (() => void) | null = null
afterEach(() => unmount?.())

function start(columns: number, rows: number, index = 50) {
  const stdout = new FakeStdout(columns, rows)
  const stdin = new FakeStdin()
  const app = render(createElement(ViewerApp, { session, initial: initialState(session, index) }), {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
  })
  unmount = () => app.unmount()
  return { stdout, stdin, app }
}

describe('the ink viewer', () => {
  it('draws one line fewer than the terminal, each no wider than it', async () => {
    const { stdout } = start(80, 24)
    await settle()
    const lines = stdout.frame().split('\n')
    expect(lines).toHaveLength(23)
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80)
    expect(lines[2]).toContain('event #50 of')
  })

  it('steps with the keys of the table, and quits on q', async () => {
    const { stdout, stdin, app } = start(80, 24)
    await settle()
    stdin.press('l')
    await settle()
    expect(stdout.frame()).toContain('event #51 of')
    stdin.press('h')
    stdin.press('h')
    await settle()
    expect(stdout.frame()).toContain('event #49 of')
    stdin.press('?')
    await settle()
    expect(stdout.frame()).toContain('Keys (')
    stdin.press('q')
    await app.waitUntilExit()
    unmount = null
  })

  it('follows a resize', async () => {
    const { stdout } = start(80, 24)
    await settle()
    Object.assign(stdout, { columns: 120, rows: 40 })
    stdout.emit('resize')
    await settle()
    const lines = stdout.frame().split('\n')
    expect(lines).toHaveLength(39)
    expect(Math.max(...lines.map((l) => l.length))).toBe(120)
  })
})

describe('the ink viewer on a live run', () => {
  it('follows the run as it is made, and shows the finished trace at the end', async () => {
    const sink = new LiveTraceSink()
    const sim = new Simulation({ protocol: pingpong, seed: 3, nodes: 3, trace: sink })
    const live = new LiveRun(sim, 20 * US_PER_S, sink, 'faultline run pingpong --seed 0x3', 200)
    live.advance(0)
    const first = live.session()
    const stdout = new FakeStdout(100, 30)
    // Redraw after every 200-event step: the test must not depend on how fast the engine is.
    const liveTiming = { sliceMs: 0, refreshMs: 0 }
    const app = render(createElement(ViewerApp, { session: first, initial: initialState(first), live, liveTiming }), {
      stdout: stdout as unknown as NodeJS.WriteStream, stdin: new FakeStdin() as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
    })
    unmount = () => app.unmount()
    for (let k = 0; k < 300 && !stdout.frame().includes('stopped by'); k++) await settle()
    const running = stdout.writes.filter((w) => w.includes('running:'))
    expect(running.length).toBeGreaterThan(1)
    const end = stdout.frame()
    expect(end).toContain('stopped by time')
    // It followed: the last event of the finished trace is the one shown.
    expect(end).toContain(`event #${live.session().length - 1} of`)
  })
})

describe('keepScrollback', () => {
  it('drops the erase-scrollback sequence from writes until undone', () => {
    const stdout = new FakeStdout(80, 24)
    const restore = keepScrollback(stdout as unknown as NodeJS.WriteStream)
    stdout.write('\u001b[2J\u001b[3J\u001b[Hframe')
    restore()
    stdout.write('\u001b[3J')
    expect(stdout.writes).toEqual(['\u001b[2J\u001b[Hframe', '\u001b[3J'])
  })
})
