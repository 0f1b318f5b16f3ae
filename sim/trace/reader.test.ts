import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { InputError } from '../time.ts'
import type { TraceEvent } from './events.ts'
import { openTrace, parseTrace, readTraceFile, SUPPORTED_VERSIONS, TraceError } from './reader.ts'
import { anyEvents, makeHeader, numbered, sampleEvents, writeText } from './test-support.ts'

const GOOD = writeText(makeHeader(), sampleEvents())
const LINES = GOOD.slice(0, -1).split('\n')

/**
 * The message parseTrace fails with; fails the test unless it is one line of a TraceError,
 * and unless openTrace (the viewer's lazy open, with its fast path) fails with the same.
 */
function rejection(text: string, source = 'run.jsonl'): string {
  const message = rejectionBy(() => parseTrace(text, source))
  expect(rejectionBy(() => openTrace(text, source))).toBe(message)
  return message
}

function rejectionBy(read: () => unknown): string {
  try {
    read()
  } catch (err) {
    expect(err).toBeInstanceOf(TraceError)
    expect(err).toBeInstanceOf(InputError)
    const message = (err as Error).message
    expect(message).not.toMatch(/[\r\n]/)
    return message
  }
  throw new Error('the trace was accepted')
}

/** Both readers accept the text with the same events, or both reject it with the same TraceError. */
function expectOnlyTraceErrors(text: string): void {
  let eager: unknown
  try {
    eager = parseTrace(text).events
  } catch (err) {
    expect(err).toBeInstanceOf(TraceError)
    expect(rejectionBy(() => openTrace(text))).toBe((err as Error).message)
    return
  }
  const lazy = openTrace(text)
  expect(Array.from({ length: lazy.length }, (_, i) => lazy.event(i))).toEqual(eager)
}

/** The good trace with line `n` (1-based) replaced. */
function withLine(n: number, line: string): string {
  return LINES.map((l, k) => (k === n - 1 ? line : l)).join('\n') + '\n'
}

/** Writes events through the sink (so the hash is right) after editing one of them. */
function rewritten(edit: (events: Array<Record<string, unknown>>) => void): string {
  const events = sampleEvents() as unknown as Array<Record<string, unknown>>
  edit(events)
  return writeText(makeHeader(), events as unknown as TraceEvent[])
}

describe('parseTrace accepts', () => {
  it('a trace as written, with or without its final newline', () => {
    const trace = parseTrace(GOOD)
    expect(trace.header).toEqual(makeHeader())
    expect(trace.events).toEqual(sampleEvents())
    expect(trace.footer.events).toBe(4)
    expect(parseTrace(GOOD.slice(0, -1)).events).toHaveLength(4)
  })

  it('a run with no events', () => {
    expect(parseTrace(writeText(makeHeader(), [])).events).toEqual([])
  })
})

describe('parseTrace rejects, in one line naming the source and line', () => {
  it('an empty file', () => {
    expect(rejection('')).toBe('trace run.jsonl line 1: the file is empty (a trace starts with a header line)')
    expect(rejection('\n \n')).toMatch(/line 1: the file is empty/)
  })

  it('a file cut in the middle of a line', () => {
    const cut = GOOD.slice(0, GOOD.indexOf('"type":"deliver"'))
    expect(rejection(cut)).toBe('trace run.jsonl line 3: truncated: the last line is cut off (the run did not finish writing it)')
  })

  it('a file without its footer', () => {
    expect(rejection(LINES.slice(0, -1).join('\n') + '\n')).toBe('trace run.jsonl line 5: truncated: no footer (the run did not finish writing it)')
    expect(rejection(LINES[0] + '\n')).toBe('trace run.jsonl line 1: truncated: no footer (the run did not finish writing it)')
  })

  it('a line that is not JSON', () => {
    expect(rejection(withLine(3, '{"i":1,"t":10,'))).toMatch(/^trace run\.jsonl line 3: not valid JSON \(.+\)$/)
  })

  it('a line that is JSON but not an object, and an empty line', () => {
    expect(rejection(withLine(3, '[1,2]'))).toBe('trace run.jsonl line 3: expected a JSON object, got an array')
    expect(rejection(withLine(3, ''))).toBe('trace run.jsonl line 3: empty line (every line of a trace is one JSON object)')
  })

  it('an unknown event type, or none', () => {
    expect(rejection(rewritten((e) => (e[1]!.type = 'teleport')))).toBe("trace run.jsonl line 3: unknown event type 'teleport'")
    expect(rejection(rewritten((e) => delete e[1]!.type))).toBe("trace run.jsonl line 3: event is missing field 'type'")
    expect(rejection(rewritten((e) => (e[1]!.type = 'constructor')))).toBe("trace run.jsonl line 3: unknown event type 'constructor'")
  })

  it('an event missing a required field', () => {
    expect(rejection(rewritten((e) => delete e[1]!.id))).toBe("trace run.jsonl line 3: event 'deliver' is missing field 'id'")
  })

  it('a field of the wrong kind, or an unknown node', () => {
    expect(rejection(rewritten((e) => (e[1]!.id = '0')))).toBe("trace run.jsonl line 3: event 'deliver' field 'id' must be an integer, got '0'")
    expect(rejection(rewritten((e) => (e[3]!.step = 1.5)))).toBe("trace run.jsonl line 5: event 'crash' field 'step' must be an integer, got 1.5")
    expect(rejection(rewritten((e) => (e[3]!.node = 'n9')))).toBe("trace run.jsonl line 5: event 'crash' field 'node' must be a node id from the header, got 'n9'")
    expect(rejection(rewritten((e) => (e[2]!.view = { term: 1 })))).toMatch(/line 4: event 'view' field 'view' must be a view \(an object with a string 'role'\), got an object$/)
  })

  it('a drop with an unknown reason, and a view event with nothing in it', () => {
    const drop = { type: 'drop', id: 0, from: 'n1', to: 'n2', mtype: 'Ping', reason: 'gremlins' }
    expect(rejection(writeText(makeHeader(), numbered([drop as never])))).toBe(
      "trace run.jsonl line 2: event 'drop' field 'reason' must be one of loss, partition, node-down, restarted, got 'gremlins'",
    )
    expect(rejection(writeText(makeHeader(), numbered([{ type: 'view', node: 'n1' }])))).toBe(
      "trace run.jsonl line 2: event 'view' needs field 'view', 'changes' or 'removed'",
    )
  })

  it('events numbered out of order', () => {
    expect(rejection(rewritten((e) => (e[1]!.i = 5)))).toBe('trace run.jsonl line 3: event \'deliver\' has i 5, expected 1 (events are numbered from 0, one per line)')
    expect(rejection(rewritten((e) => delete e[0]!.i))).toBe("trace run.jsonl line 2: event 'send' is missing field 'i'")
  })

  it('time going backward, or not an integer', () => {
    expect(rejection(rewritten((e) => (e[2]!.t = 5)))).toBe('trace run.jsonl line 4: time goes backward: t 5 after 10')
    expect(rejection(rewritten((e) => (e[0]!.t = -1)))).toBe('trace run.jsonl line 2: time goes backward: t -1 after 0')
    expect(rejection(rewritten((e) => (e[1]!.t = 10.5)))).toBe("trace run.jsonl line 3: event 'deliver' field 't' must be an integer, got 10.5")
  })

  it('a file changed after it was written, by one byte', () => {
    const edited = GOOD.replace('"mtype":"Ping"', '"mtype":"Pong"')
    expect(edited).not.toBe(GOOD)
    expect(rejection(edited)).toBe('trace run.jsonl line 6: hash mismatch: the file was changed after it was written')
  })

  it('a footer that miscounts, is malformed, or is not last', () => {
    const footer = JSON.parse(LINES[5]!)
    expect(rejection(withLine(6, JSON.stringify({ ...footer, events: 3 })))).toBe('trace run.jsonl line 6: the footer counts 3 events but the trace has 4')
    expect(rejection(withLine(6, JSON.stringify({ ...footer, hash: 'md5:x' })))).toBe("trace run.jsonl line 6: footer field 'hash' must be 'sha256:' and 64 hex digits, got 'md5:x'")
    expect(rejection(withLine(6, JSON.stringify({ ...footer, stoppedBy: 'boredom' })))).toMatch(/line 6: footer field 'stoppedBy' must be one of time, events/)
    expect(rejection(GOOD + LINES[1] + '\n')).toBe('trace run.jsonl line 7: content after the footer (the footer must be the last line)')
    expect(rejection(GOOD + '\n')).toBe('trace run.jsonl line 7: content after the footer (the footer must be the last line)')
  })

  it('a file that is not a faultline trace, or of another version', () => {
    expect(rejection(withLine(1, JSON.stringify({ ...makeHeader(), format: 'otherline' })))).toBe(
      "trace run.jsonl line 1: not a faultline trace: format is 'otherline', expected 'faultline-trace'",
    )
    expect(rejection(withLine(1, JSON.stringify({ ...makeHeader(), version: 99 })))).toBe(
      `trace run.jsonl line 1: unsupported trace version 99: this faultline reads version ${SUPPORTED_VERSIONS.join(', ')}`,
    )
    expect(rejection(LINES.slice(1).join('\n'))).toBe("trace run.jsonl line 1: not a faultline trace: the first line must be its header, found type 'send'")
    expect(rejection('{"hello":"world"}\n')).toBe("trace run.jsonl line 1: not a faultline trace: the first line must be its header, found type nothing")
  })

  it('a header with a bad field, and a second header', () => {
    const { seed: _seed, ...noSeed } = makeHeader()
    expect(rejection(withLine(1, JSON.stringify(noSeed)))).toBe("trace run.jsonl line 1: header is missing field 'seed'")
    expect(rejection(withLine(1, JSON.stringify({ ...makeHeader(), nodes: ['n1', 'n1'] })))).toMatch(/line 1: header field 'nodes' must be a list of distinct, non-empty node ids/)
    expect(rejection(withLine(3, LINES[0]!))).toBe('trace run.jsonl line 3: a second header (only the first line is a header)')
  })

  it('names the trace plainly when no source is given', () => {
    expect(() => parseTrace('')).toThrow(/^trace line 1: the file is empty/)
  })

  it('never throws anything but a TraceError, whatever the bytes', () => {
    const cut = fc.tuple(fc.nat(GOOD.length), fc.nat(GOOD.length), fc.string({ maxLength: 3 }))
    fc.assert(
      fc.property(cut, ([from, length, insert]) => {
        // Some edits are harmless (the final newline, a footer field outside the hash): only the kind of failure matters.
        expectOnlyTraceErrors(GOOD.slice(0, from) + insert + GOOD.slice(from + (length % 8)))
      }),
      { numRuns: 1_000 },
    )
    fc.assert(fc.property(fc.string(), (text) => void expect(() => parseTrace(text)).toThrow(TraceError)))
    fc.assert(fc.property(fc.jsonValue(), (value) => expectOnlyTraceErrors(`${LINES[0]}\n${JSON.stringify(value)}\n${LINES[5]}\n`)))
  })

  it('never throws anything but a TraceError when a field of any event holds any value', () => {
    const edit = fc.tuple(anyEvents, fc.nat(), fc.nat(), fc.option(fc.jsonValue(), { nil: undefined }))
    fc.assert(
      fc.property(edit, ([events, which, field, value]) => {
        if (events.length === 0) return
        const event = events[which % events.length] as unknown as Record<string, unknown>
        const keys = Object.keys(event)
        if (value === undefined) delete event[keys[field % keys.length]!]
        else event[keys[field % keys.length]!] = value
        expectOnlyTraceErrors(writeText(makeHeader(), events))
      }),
      { numRuns: 500 },
    )
  })

  it('any single-character edit of a valid trace is rejected', () => {
    fc.assert(
      fc.property(anyEvents, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (events, at, ch) => {
        const text = writeText(makeHeader(), events)
        const footerStart = text.lastIndexOf('\n', text.length - 2) + 1
        const pos = at % footerStart
        if (text[pos] === ch) return
        expect(() => parseTrace(text.slice(0, pos) + ch + text.slice(pos + 1))).toThrow(TraceError)
      }),
      { numRuns: 200 },
    )
  })
})

describe('readTraceFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-read-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads a trace file, naming the path in errors', () => {
    const path = join(dir, 'ok.jsonl')
    writeFileSync(path, GOOD)
    expect(readTraceFile(path).events).toEqual(sampleEvents())
    const bad = join(dir, 'bad.jsonl')
    writeFileSync(bad, GOOD.replace('"Ping"', '"Pang"'))
    expect(() => readTraceFile(bad)).toThrow(`trace ${bad} line 6: hash mismatch: the file was changed after it was written`)
  })

  it('fails with one line for a missing file or a directory', () => {
    const missing = join(dir, 'nope.jsonl')
    expect(() => readTraceFile(missing)).toThrow(TraceError)
    expect(() => readTraceFile(missing)).toThrow(`trace ${missing}: cannot read the trace: no such file or directory`)
    expect(() => readTraceFile(dir)).toThrow(`trace ${dir}: cannot read the trace: it is a directory`)
  })
})
