import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TraceError } from './errors.ts'
import type { TraceEvent, TraceHeader } from './events.ts'
import { parseTrace, readTraceFile } from './reader.ts'
import { anyEvents, makeHeader, numbered, sampleEvents, writeText } from './test-support.ts'
import { FileTraceSink, HashTraceSink, MemoryTraceSink, type TraceSink } from './writer.ts'

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`
}

function feed(sink: TraceSink, header: TraceHeader, events: readonly TraceEvent[]) {
  sink.header(header)
  for (const e of events) sink.event(e)
  return sink.finish({ events: events.length, endTimeUs: events.at(-1)?.t ?? 0, stoppedBy: 'time' })
}

/** Events big and many enough to cross 64 KiB chunk boundaries, with some lines larger than a chunk. */
function bulkyEvents(): TraceEvent[] {
  return numbered(
    Array.from({ length: 3_000 }, (_, k) => ({
      type: 'send' as const,
      id: k,
      from: 'n1',
      to: 'n2',
      mtype: 'Append',
      msg: { entries: 'é€𝄞x'.repeat(k % 500 === 0 ? 30_000 : k % 7) },
      due: k * 10 + 5,
    })),
  )
}

describe('trace sinks', () => {
  it('round-trips any well-formed events exactly, and the hash verifies', () => {
    fc.assert(
      fc.property(anyEvents, (events) => {
        const header = makeHeader()
        const text = writeText(header, events)
        const trace = parseTrace(text)
        expect(trace.header).toEqual(header)
        expect(trace.events).toEqual(JSON.parse(JSON.stringify(events)))
        // Exactly: writing what was read gives the same bytes, hence the same hash.
        expect(writeText(trace.header, trace.events)).toBe(text)
        const lines = text.slice(0, -1).split('\n')
        expect(lines).toHaveLength(events.length + 2)
        expect(trace.footer.hash).toBe(sha256(lines.slice(0, -1).join('\n') + '\n'))
      }),
      { numRuns: 300 },
    )
  })

  it('computes the hash over every line before the footer, across chunks and oversized lines', () => {
    const events = bulkyEvents()
    const memory = new MemoryTraceSink()
    const footer = feed(memory, makeHeader(), events)
    const text = memory.text()
    expect(text.length).toBeGreaterThan(4 * 64 * 1024)
    const footerStart = text.lastIndexOf('\n', text.length - 2) + 1
    expect(footer.hash).toBe(sha256(text.slice(0, footerStart)))
    expect(JSON.parse(text.slice(footerStart))).toEqual(footer)
    expect(parseTrace(text).events).toEqual(events)
  })

  it('gives the same footer from every sink', () => {
    const events = bulkyEvents()
    const fromMemory = feed(new MemoryTraceSink(), makeHeader(), events)
    const fromHash = feed(new HashTraceSink(), makeHeader(), events)
    expect(fromHash).toEqual(fromMemory)
    expect(fromMemory).toEqual({ type: 'footer', events: events.length, endTimeUs: events.at(-1)!.t, stoppedBy: 'time', hash: fromMemory.hash })
  })

  it('writes lines as JSON.stringify gives them, keeping the key order', () => {
    const sink = new MemoryTraceSink()
    const events = sampleEvents()
    feed(sink, makeHeader(), events)
    const lines = sink.lines()
    expect(lines[0]).toBe(JSON.stringify(makeHeader()))
    expect(lines.slice(1, -1)).toEqual(events.map((e) => JSON.stringify(e)))
    expect(lines[1]!.startsWith('{"i":0,"t":0,"type":"send"')).toBe(true)
  })

  it('refuses misuse: events before the header, after finish, and a wrong event count', () => {
    const [first] = sampleEvents()
    expect(() => new MemoryTraceSink().event(first!)).toThrow(/header\(\) first/)
    const sink = new MemoryTraceSink()
    sink.header(makeHeader())
    sink.event(first!)
    expect(() => sink.finish({ events: 2, endTimeUs: 0, stoppedBy: 'time' })).toThrow(/says 2 events but 1 were written/)
    sink.finish({ events: 1, endTimeUs: 0, stoppedBy: 'time' })
    expect(() => sink.event(first!)).toThrow(/open trace/)
    expect(() => sink.header(makeHeader())).toThrow(/only once/)
  })

  it('forgets everything on abort, and abort after finish keeps the trace', () => {
    const aborted = new MemoryTraceSink()
    aborted.header(makeHeader())
    aborted.abort()
    aborted.abort()
    expect(aborted.text()).toBe('')
    const finished = new MemoryTraceSink()
    feed(finished, makeHeader(), sampleEvents())
    finished.abort()
    expect(parseTrace(finished.text()).events).toHaveLength(4)
  })
})

describe('FileTraceSink', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-trace-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the same bytes as the memory sink and leaves no temporary file', () => {
    const path = join(dir, 'run.trace.jsonl')
    const events = bulkyEvents()
    const sink = new FileTraceSink(path)
    const footer = feed(sink, makeHeader(), events)
    const memory = new MemoryTraceSink()
    feed(memory, makeHeader(), events)
    expect(readdirSync(dir)).toEqual(['run.trace.jsonl'])
    expect(readFileSync(path, 'utf8')).toBe(memory.text())
    expect(readTraceFile(path).footer).toEqual(footer)
  })

  it('shows nothing under the real name until finish, then replaces an old trace whole', () => {
    const path = join(dir, 'run.trace.jsonl')
    writeFileSync(path, 'old')
    const sink = new FileTraceSink(path)
    sink.header(makeHeader())
    for (const e of bulkyEvents()) sink.event(e)
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(readdirSync(dir)).toHaveLength(2)
    sink.finish({ events: 3_000, endTimeUs: 0, stoppedBy: 'events' })
    expect(readTraceFile(path).footer.stoppedBy).toBe('events')
    expect(readdirSync(dir)).toEqual(['run.trace.jsonl'])
  })

  it('leaves no file at all when aborted, before or after writing events', () => {
    const early = new FileTraceSink(join(dir, 'a.jsonl'))
    early.abort()
    const late = new FileTraceSink(join(dir, 'b.jsonl'))
    late.header(makeHeader())
    for (const e of bulkyEvents()) late.event(e)
    late.abort()
    late.abort()
    expect(readdirSync(dir)).toEqual([])
  })

  it('keeps a finished trace when abort follows finish (as in a finally block)', () => {
    const path = join(dir, 'kept.jsonl')
    const sink = new FileTraceSink(path)
    feed(sink, makeHeader(), sampleEvents())
    sink.abort()
    expect(existsSync(path)).toBe(true)
    expect(readdirSync(dir)).toEqual(['kept.jsonl'])
  })

  it('fails with one TraceError line when the directory does not exist', () => {
    const path = join(dir, 'missing', 'run.jsonl')
    expect(() => new FileTraceSink(path)).toThrow(TraceError)
    expect(() => new FileTraceSink(path)).toThrow(`trace ${path}: cannot write the trace: no such file or directory`)
  })

  it('removes its temporary file and fails with one line when the final rename fails', () => {
    const path = join(dir, 'taken')
    mkdirSync(join(path, 'inside'), { recursive: true })
    const sink = new FileTraceSink(path)
    sink.header(makeHeader())
    expect(() => sink.finish({ events: 0, endTimeUs: 0, stoppedBy: 'time' })).toThrow(TraceError)
    expect(readdirSync(dir)).toEqual(['taken'])
    sink.abort()
  })

  it('gives two sinks for one path their own temporary files', () => {
    const path = join(dir, 'same.jsonl')
    const a = new FileTraceSink(path)
    const b = new FileTraceSink(path)
    expect(a.tempPath).not.toBe(b.tempPath)
    a.abort()
    b.abort()
  })
})
