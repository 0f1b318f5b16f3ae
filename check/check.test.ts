import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../cli/main.ts'
import { planRun, type RunFlags } from '../cli/run-options.ts'
import { pingpong } from '../sim/builtin/pingpong.ts'
import { Simulation } from '../sim/engine.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { HashTraceSink } from '../sim/trace/writer.ts'
import { checkProtocol, type CheckReport } from './check.ts'
import { pingpongLinearizable, pingpongLive, pingpongNeverLive } from './test-protocols.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-check-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Replays a reproduce line through the CLI's own flag handling, returning the trace hash. */
function replayHash(protocol: AnyProtocol, command: string): string {
  const args = command.split(' ').slice(3)
  const flags: RunFlags = {}
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof RunFlags
    if (args[i + 1] === undefined || args[i + 1]!.startsWith('--')) (flags as Record<string, unknown>)[name] = true
    else (flags as Record<string, unknown>)[name] = args[++i]
  }
  const plan = planRun(protocol, flags)
  const sink = new HashTraceSink()
  const sim = new Simulation({ ...plan.options, trace: sink })
  sim.run({ untilUs: plan.durationUs })
  return sim.finish().traceHash!
}

/** Everything but the wall time: what must not depend on workers or speed. */
const stable = (r: CheckReport) => ({ ...r, wallMs: 0, workers: 0 })

describe('checkProtocol', () => {
  it('passes the correct pingpong, counting runs, events and simulated time', async () => {
    const report = await checkProtocol(pingpong, { runs: 8, seed: 5, outDir: null })
    expect(report.passed).toBe(true)
    expect(report.stoppedBy).toBe('runs')
    expect(report.runs).toBe(8)
    expect(report.events).toBeGreaterThan(1000)
    expect(report.simTimeUs).toBe(8 * 10_000_000)
    expect(report.seed).toBe('0x5')
  })

  it('catches the skip-sync mutant, shrinks it to a crash and a restart, and the reproduce command gives the same trace hash', async () => {
    const report = await checkProtocol(pingpong, { runs: 50, seed: 1, mutant: 'skip-sync', outDir: dir })
    const f = report.failure!
    expect(report.passed).toBe(false)
    expect(f.kind).toBe('invariant')
    expect(f.message).toContain('boots-always-increase')
    expect(f.steps.length).toBeLessThanOrEqual(f.originalSteps)
    expect(f.steps.length).toBeLessThanOrEqual(3)
    expect(f.steps.join(' ')).toMatch(/crash .*restart/)
    expect(f.reproduce).toContain('--mutant skip-sync')
    expect(f.reproduce).toContain('--lose-unsynced')
    expect(readFileSync(f.traceFile!, 'utf8')).toContain(f.traceHash!)
    // The real command line, through the CLI.
    const out: string[] = []
    const code = await main([...f.reproduce!.split(' ').slice(1), '--json'], { out: (t) => out.push(t), err: (t) => out.push(t) })
    expect(code).toBe(1)
    expect(JSON.parse(out.join('')).traceHash).toBe(f.traceHash)
  })

  it('runs the liveness phase: a healed pingpong agrees on a leader; an impossible condition fails as liveness', async () => {
    const live = await checkProtocol(pingpongLive, { runs: 6, seed: 2, outDir: null })
    expect(live.passed).toBe(true)
    // Runs end when liveness holds, soon after the heal at 10 s and well inside its 2 s bound.
    expect(live.simTimeUs).toBeLessThan(6 * 12_000_000)
    const never = await checkProtocol(pingpongNeverLive, { runs: 3, seed: 2, outDir: dir, shrinkBudgetMs: 5_000 })
    expect(never.failure?.kind).toBe('liveness')
    expect(never.failure?.message).toContain('no node has booted 1000 times')
    expect(replayHash(pingpongNeverLive, never.failure!.reproduce!)).toBe(never.failure!.traceHash)
  })

  it('checks histories: pingpong keeps its map in memory on the leader, which is not linearizable', async () => {
    const report = await checkProtocol(pingpongLinearizable, { runs: 20, seed: 3, outDir: dir, shrinkBudgetMs: 10_000 })
    const f = report.failure!
    expect(f.kind).toBe('linearizability')
    expect(f.details.join('\n')).toMatch(/no order of these operations on key k\d is valid/)
    // The run stopped where liveness held; the reproduce line replays exactly that much.
    expect(replayHash(pingpongLinearizable, f.reproduce!)).toBe(f.traceHash)
  })

  it('gives identical reports for 1 and 2 workers, passing and failing', async () => {
    for (const mutant of [null, 'skip-sync']) {
      const one = await checkProtocol(pingpong, { runs: 12, seed: 9, mutant, outDir: null })
      const two = await checkProtocol(pingpong, { runs: 12, seed: 9, mutant, outDir: null, workers: 2 })
      expect(stable(two)).toEqual(stable(one))
      expect(one.passed).toBe(mutant === null)
    }
  })

  it('splits runs across shards: together the shards make every run once', async () => {
    const whole = await checkProtocol(pingpong, { runs: 9, seed: 4, outDir: null })
    const parts = await Promise.all([1, 2, 3].map((index) => checkProtocol(pingpong, { runs: 9, seed: 4, outDir: null, shard: { index, count: 3 } })))
    expect(parts.map((p) => p.runs)).toEqual([3, 3, 3])
    expect(parts.reduce((sum, p) => sum + p.events, 0)).toBe(whole.events)
    expect(parts[1]!.shard).toBe('2/3')
  })

  it('stops at the time budget and says so', async () => {
    const report = await checkProtocol(pingpong, { runs: 100_000, seed: 4, outDir: null, timeBudgetMs: 200 })
    expect(report.stoppedBy).toBe('time-budget')
    expect(report.passed).toBe(true)
    expect(report.runs).toBeLessThan(100_000)
  })

  it('refuses bad options with one clear line', async () => {
    await expect(checkProtocol(pingpong, { mutant: 'nope' })).rejects.toThrow(/unknown mutant 'nope' for pingpong \(mutants: skip-sync\)/)
    await expect(checkProtocol(pingpong, { runs: 0 })).rejects.toThrow(/bad run count 0/)
    await expect(checkProtocol(pingpong, { shard: { index: 3, count: 2 } })).rejects.toThrow(/bad shard 3\/2/)
    await expect(checkProtocol(pingpongLive, { workers: 2 })).rejects.toThrow(/not in cli\/protocols.ts, so pass protocolModule/)
  })
})

describe('workers with a protocol outside the registry', () => {
  it('load it from protocolModule and agree with one thread', async () => {
    const protocolModule = { url: new URL('./test-protocols.ts', import.meta.url).href, exportName: 'pingpongLive' }
    const one = await checkProtocol(pingpongLive, { runs: 4, seed: 6, outDir: null })
    const two = await checkProtocol(pingpongLive, { runs: 4, seed: 6, outDir: null, workers: 2, protocolModule })
    expect(stable(two)).toEqual(stable(one))
  })
})
