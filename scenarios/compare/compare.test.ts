import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../sim/clients/history.ts'
import type { RunResult } from '../../sim/result.ts'
import { InputError } from '../../sim/time.ts'
import { checkTableExpectation, comparisonSummary, evaluateComparison, formatComparison, loadComparisonFile, type ComparisonRun } from './compare.ts'
import { operations } from '../operations.ts'
import { runFigures } from './figures.ts'
import { lostWrites } from './lost.ts'
import { failureDetection } from './timeouts.ts'
import type { Comparison } from './types.ts'

const HERE = resolve(import.meta.dirname)
const FILE = join(HERE, 'cap-partition.compare.json')

describe('cap-partition, the shipped comparison', () => {
  let c: Comparison
  let run: ComparisonRun
  beforeAll(() => {
    c = loadComparisonFile(FILE)
    run = evaluateComparison(c)
  })
  const row = (label: string, side: string) => run.figures[run.runs.findIndex((r) => r.label === label)]!.rows.get(side)!

  it('holds: every scenario expectation and every table expectation', () => {
    expect(run.unjudged).toEqual([])
    expect(run.checks.filter((x) => !x.ok)).toEqual([])
    expect(run.ok).toBe(true)
  })

  it('Raft and ZAB acknowledge no write on the minority side and lose none', () => {
    for (const label of ['Raft', 'ZAB']) {
      expect(row(label, 'minority')).toMatchObject({ writes: 14, accepted: 0, refused: 0, unknown: 14, lost: 0, firstOkAfterCutMs: null })
      expect(row(label, 'majority')).toMatchObject({ writes: 28, refused: 0, lost: 0 })
      expect(row(label, 'majority').accepted).toBeGreaterThanOrEqual(25)
    }
  })

  it('Redis Cluster acknowledges minority writes, then refuses, and loses exactly the acknowledged ones', () => {
    const minority = row('Redis Cluster', 'minority')
    expect(minority).toMatchObject({ writes: 14, accepted: 8, refused: 6, unknown: 0, lost: 8 })
    expect(row('Redis Cluster', 'majority')).toMatchObject({ writes: 28, accepted: 16, refused: 1, unknown: 11, lost: 0 })
    const lost = run.figures[2]!.lost
    expect(lost.source).toBe('write-loss report')
    expect(lost.writes.map((w) => w.value)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10'])
    expect(lost.writes.every((w) => w.client === 'c1')).toBe(true)
  })

  it('recovery: the CP majorities write again within a second; Redis at once on the shard it keeps, on the cut-off shard only after the failover; everyone within 300 ms of the heal', () => {
    expect(row('Raft', 'majority').firstOkAfterCutMs!).toBeLessThan(1000)
    expect(row('ZAB', 'majority').firstOkAfterCutMs!).toBeLessThan(1000)
    expect(row('Redis Cluster', 'majority').firstOkAfterCutMs!).toBeLessThan(500)
    const c2 = operations(run.runs[2]!.run.result.history).filter((o) => o.client === 'c2' && o.f === 'set' && o.invokeUs >= 4_000_000 && o.outcome === 'ok')
    expect(Math.min(...c2.map((o) => o.endUs!))).toBeGreaterThan(9_500_000)
    for (const r of run.runs) for (const side of ['minority', 'majority']) expect(row(r.label, side).firstOkAfterHealMs!).toBeLessThan(300)
  })

  it('prints each scenario, the table and the verdict', () => {
    const text = formatComparison(c, run)
    expect(text).toMatch(/^Comparison cap-partition \(claim 27\)/)
    expect(text).toMatch(/== Redis Cluster: cap-redis/)
    expect(text).toMatch(/Redis Cluster\s+minority\s+c1 c5\s+14\s+8\s+6\s+0\s+8\s+7 ms\s+170 ms/)
    expect(text).toMatch(/Raft\s+minority\s+c1 c5\s+14\s+0\s+0\s+14\s+0\s+never/)
    expect(text).toMatch(/^unknown\s+info: /m)
    expect(text).toMatch(/^  Raft +election timeout 300-600 ms\n  ZAB +syncLimit 5 x tickTime 100 ms = 500 ms\n  Redis Cluster +node_timeout 3000 ms$/m)
    expect(text).toContain('All 64 expectations hold (19 of them the table\'s).')
  })

  it('every table expectation fails when its count is flipped', () => {
    for (const e of c.expect) {
      const flipped = { ...e, count: e.count === null ? { exactly: 0 } : flip(e.count) }
      expect(checkTableExpectation(flipped, c, run.figures).ok, e.says).toBe(false)
    }
  })

  it('summary for scenario list', () => {
    expect(comparisonSummary(c)).toEqual({ name: 'cap-partition', protocols: ['raft', 'zab', 'redis-cluster'], claims: [27], summary: c.summary })
  })
})

function flip(count: NonNullable<Comparison['expect'][number]['count']>) {
  if ('exactly' in count) return { atLeast: count.exactly + 1 }
  if ('atMost' in count) return { atLeast: count.atMost + 1 }
  if ('atLeast' in count) return count.atLeast === 0 ? null : { atMost: count.atLeast - 1 }
  return { atLeast: count.between[1] + 1 }
}

describe('figures from a history', () => {
  const entries = (client: string, f: string, t0: number, t1: number, outcome: 'ok' | 'fail' | 'info', op: number): HistoryEntry[] => [
    { index: 0, type: 'invoke', process: client, op, f, key: 'x', timeUs: t0 * 1000 },
    { index: 0, type: outcome, process: client, op, f, key: 'x', timeUs: t1 * 1000 },
  ]
  it('first ok counts from the side\'s first write after the cut or heal, not from the cut or heal', () => {
    const history = [...entries('c1', 'put', 1100, 1550, 'info', 0), ...entries('c1', 'put', 1600, 1650, 'ok', 1), ...entries('c1', 'get', 1000, 1001, 'ok', 2), ...entries('c1', 'put', 2200, 2210, 'ok', 3)]
    const { rows } = runFigures({ protocol: 'raft', history, reports: [] } as unknown as RunResult, { a: ['c1'] }, 1_000_000, 2_000_000)
    expect(rows.get('a')).toMatchObject({ writes: 2, accepted: 1, unknown: 1, firstOkAfterCutMs: 550, firstOkAfterHealMs: 10 })
  })
  it('failure detection is read from the config, per protocol', () => {
    expect(failureDetection('raft', { electionTimeoutMinMs: 1000, electionTimeoutMaxMs: 2000 })).toBe('election timeout 1000-2000 ms')
    expect(failureDetection('zab', { tickTimeMs: 2000, syncLimit: 5 })).toBe('syncLimit 5 x tickTime 2000 ms = 10000 ms')
    expect(failureDetection('redis-cluster', { nodeTimeoutMs: 15000 })).toBe('node_timeout 15000 ms')
    expect(failureDetection('zab', {})).toBeNull()
  })
})

describe('lost writes from a history', () => {
  let n = 0
  const op = (process: string, f: string, key: string, value: unknown, t0: number, t1: number, outcome: 'ok' | 'info' = 'ok', read?: unknown): HistoryEntry[] => {
    const id = n++
    return [
      { index: 0, type: 'invoke', process, op: id, f, key, ...(value === undefined ? {} : { value }), timeUs: t0 * 1000 },
      { index: 0, type: outcome, process, op: id, f, key, ...(read === undefined ? {} : { value: read }), timeUs: t1 * 1000 },
    ]
  }
  const result = (history: HistoryEntry[], protocol = 'raft'): RunResult => ({ protocol, history, reports: [] }) as unknown as RunResult
  const sides = { minority: ['c1'], majority: ['c2'] }

  it('an acknowledged put a later read cannot see is lost, and counted on its writer\'s side', () => {
    const h = [...op('c1', 'put', 'x', 'a', 0, 1), ...op('c1', 'put', 'x', 'b', 2, 3), ...op('c2', 'get', 'x', undefined, 10, 11, 'ok', 'a')]
    const lost = lostWrites(result(h), sides, 5000)
    expect(lost).toMatchObject({ source: 'history', total: 1, unreadKeys: [] })
    expect(lost.writes).toEqual([{ key: 'x', value: 'b', client: 'c1' }])
    expect(lost.bySide.get('minority')).toBe(1)
  })

  it('a linearizable history loses nothing; an unknown write is never lost', () => {
    const h = [...op('c1', 'put', 'x', 'a', 0, 1), ...op('c1', 'put', 'x', 'b', 2, 3, 'info'), ...op('c2', 'get', 'x', undefined, 10, 11, 'ok', 'a')]
    expect(lostWrites(result(h), sides, 5000).total).toBe(0)
  })

  it('a ZooKeeper plain get may be stale: only sync-get judges', () => {
    const h = [...op('c1', 'put', 'x', 'a', 0, 1), ...op('c1', 'put', 'x', 'b', 2, 3), ...op('c2', 'get', 'x', undefined, 10, 11, 'ok', 'a')]
    const lost = lostWrites(result(h, 'zab'), sides, 5000)
    expect(lost.total).toBe(0)
    expect(lost.unreadKeys).toEqual(['x'])
  })

  it('with a write-loss report, its figure counts and its detail lines name the writes', () => {
    const h = [...op('c1', 'set', 'x', 'a', 0, 1), ...op('c2', 'set', 'x', 'b', 2, 3), ...op('c2', 'get', 'x', undefined, 10, 11, 'ok', 'a')]
    const report = { invariant: 'write-loss', summary: '', details: ['set x="b" acknowledged at 0.003s: lost (failover)'], data: { lost: 1 } }
    const lost = lostWrites({ protocol: 'redis-cluster', history: h, reports: [report] } as unknown as RunResult, sides, 5000)
    expect(lost).toMatchObject({ source: 'write-loss report', total: 1, writes: [{ key: 'x', value: 'b', client: 'c2' }] })
    expect(lost.bySide.get('majority')).toBe(1)
  })

  it('a key written but not read after the heal is unjudged', () => {
    const h = [...op('c1', 'put', 'x', 'a', 0, 1), ...op('c2', 'get', 'x', undefined, 2, 3, 'ok', 'a')]
    expect(lostWrites(result(h), sides, 2500).unreadKeys).toEqual(['x'])
  })
})

describe('bad comparison files are refused with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-compare-'))
  const good = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>
  good.scenarios = (good.scenarios as Array<{ file: string }>).map((s) => ({ ...s, file: join(HERE, s.file) }))
  const write = (change: (f: Record<string, unknown>) => void, name = 'cap-partition'): string => {
    const f = structuredClone(good)
    change(f)
    const path = join(dir, `${name}.compare.json`)
    writeFileSync(path, JSON.stringify(f))
    return path
  }
  const refusal = (path: string): string => {
    try {
      loadComparisonFile(path)
    } catch (err) {
      expect(err).toBeInstanceOf(InputError)
      const message = (err as Error).message
      expect(message).not.toContain('\n')
      expect(message.startsWith(path)).toBe(true)
      return message
    }
    throw new Error(`${path} was accepted`)
  }

  it('accepts the good file from elsewhere (scenario paths may be absolute)', () => {
    expect(loadComparisonFile(write(() => {})).scenarios.map((s) => s.scenario.name)).toEqual(['cap-raft', 'cap-zab', 'cap-redis'])
  })

  it.each([
    ['not JSON', () => { const p = join(dir, 'x.compare.json'); writeFileSync(p, '{ nope'); return p }, /not valid JSON/],
    ['missing file', () => join(dir, 'missing.compare.json'), /no such comparison file/],
    ['unknown field', () => write((f) => (f.partiton = {})), /file: unknown field 'partiton'/],
    ['name not the file name', () => write(() => {}, 'other'), /name 'cap-partition' must equal the file name/],
    ['heal before the cut', () => write((f) => (f.partition = { from: '11s', to: '4s' })), /partition.to \(4s\) must be later than partition.from \(11s\)/],
    ['bad duration', () => write((f) => (f.partition = { from: 'soon', to: '11s' })), /partition.from: bad time 'soon'/],
    ['one scenario', () => write((f) => (f.scenarios = (f.scenarios as unknown[]).slice(0, 1))), /scenarios: a comparison needs at least two scenarios/],
    ['missing scenario file', () => write((f) => ((f.scenarios as Array<{ file: string }>)[1]!.file = 'nowhere.json')), /scenarios\[1\]: no scenario file .*nowhere.json/],
    ['a cut at another time', () => write((f) => (f.partition = { from: '5s', to: '11s' })), /scenarios\[0\] \(cap-raft\): no partition step at 5s/],
    ['a heal at another time', () => write((f) => (f.partition = { from: '4s', to: '12s' })), /no heal step at 12s/],
    ['a side across the cut', () => write((f) => (f.sides = { minority: ['c1', 'c2'], majority: ['c3'] })), /the minority side's clients sit on both sides of the cut \(c2 is beside n2\)/],
    ['a client on two sides', () => write((f) => (f.sides = { minority: ['c1'], majority: ['c1', 'c3'] })), /client c1 is on two sides/],
    ['a client that does not exist', () => write((f) => (f.sides = { minority: ['c1'], majority: ['c9'] })), /client c9 does not exist \(the scenario has 5 clients\)/],
    ['an unknown figure', () => write((f) => ((f.expect as Array<Record<string, unknown>>)[0]!.figure = 'acepted')), /expect\[0\].figure: must be one of "writes", "accepted"/],
    ['an unknown side', () => write((f) => ((f.expect as Array<Record<string, unknown>>)[0]!.side = 'left')), /expect\[0\].side: unknown side 'left' \(sides: minority, majority\)/],
    ['an unknown scenario', () => write((f) => ((f.expect as Array<Record<string, unknown>>)[0]!.scenario = 'cap-paxos')), /expect\[0\].scenario: unknown scenario 'cap-paxos'/],
    ['a bad count', () => write((f) => ((f.expect as Array<Record<string, unknown>>)[0]!.count = -1)), /expect\[0\].count: must be null \(never\), a whole number/],
  ])('%s', (_what, make, pattern) => {
    expect(refusal(make())).toMatch(pattern)
  })
})
