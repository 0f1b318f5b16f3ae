import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sameJson, Tracer } from './tracer.ts'
import { MemoryTraceSink } from './trace/writer.ts'
import type { NodeView } from './protocol.ts'

describe('sameJson', () => {
  it('agrees with comparing JSON texts, for JSON data', () => {
    const json = fc.jsonValue({ maxDepth: 3 })
    fc.assert(fc.property(json, json, (a, b) => {
      const snapshot = JSON.parse(JSON.stringify(a))
      const textEqual = JSON.stringify(snapshot) === JSON.stringify(b)
      if (textEqual) expect(sameJson(snapshot, b)).toBe(true)
      if (sameJson(snapshot, b)) expect(JSON.parse(JSON.stringify(b))).toEqual(snapshot)
    }))
  })

  it('treats an undefined field like a missing one, as JSON does', () => {
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true)
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false)
  })
})

describe('Tracer views', () => {
  function viewsOf(steps: NodeView[]): unknown[] {
    const sink = new MemoryTraceSink()
    const tracer = new Tracer(sink, 1000)
    sink.header({ type: 'header', format: 'faultline-trace', version: 1, seed: '0x1', protocol: 'x', mutant: null, nodes: ['n1'], clients: [], config: {}, plan: [], checkpointEvery: 1000 })
    steps.forEach((v, i) => tracer.view(i, 'n1', v, i === 0))
    return sink.lines().slice(1).map((l) => JSON.parse(l))
  }

  it('records the whole view first, then only changed fields, and nothing when nothing changed', () => {
    const log = [1, 1]
    const events = viewsOf([{ role: 'f', log }, { role: 'f', log }, { role: 'l', log }])
    expect(events).toEqual([
      { i: 0, t: 0, type: 'view', node: 'n1', view: { role: 'f', log: [1, 1] } },
      { i: 1, t: 2, type: 'view', node: 'n1', changes: { role: 'l' } },
    ])
  })

  it('sees a change made by mutating the same object the protocol returned before', () => {
    const sink = new MemoryTraceSink()
    const tracer = new Tracer(sink, 1000)
    sink.header({ type: 'header', format: 'faultline-trace', version: 1, seed: '0x1', protocol: 'x', mutant: null, nodes: ['n1'], clients: [], config: {}, plan: [], checkpointEvery: 1000 })
    const shared: NodeView = { role: 'f', log: [1] }
    tracer.view(0, 'n1', shared, true)
    ;(shared.log as number[]).push(2)
    tracer.view(1, 'n1', shared, false)
    expect(JSON.parse(sink.lines()[2]!)).toMatchObject({ changes: { log: [1, 2] } })
  })

  it('records a field that disappeared in removed, apart from one that became null', () => {
    const events = viewsOf([{ role: 'l', lease: 5, leader: 'n1' }, { role: 'l', leader: null }])
    expect(events[1]).toMatchObject({ changes: { leader: null }, removed: ['lease'] })
  })
})
