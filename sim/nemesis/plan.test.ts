import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { InputError } from '../time.ts'
import { planArbitrary } from './arbitrary.ts'
import { loadPlanFile, parsePlan, planToJson } from './plan.ts'

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5']

/** The InputError message parsePlan throws for `json`, checked to be one line. */
function rejection(json: unknown, nodes: readonly string[] = NODES): string {
  try {
    parsePlan(json, nodes)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    const message = (error as Error).message
    expect(message).not.toMatch(/[\r\n]/)
    return message
  }
  throw new Error(`accepted: ${JSON.stringify(json)}`)
}

const step = (fields: Record<string, unknown>) => [{ at: '1s', ...fields }]

describe('parsePlan', () => {
  it('reads both forms, turns at into microseconds and sorts stably by time', () => {
    const steps = [
      { at: '2s', do: 'crash', node: 'n1' },
      { at: '500ms', do: 'isolate', nodes: ['leader'] },
      { at: '2s', do: 'restart', node: 'crashed' },
      { at: '1.5ms', do: 'heal' },
    ]
    const expected = [
      { at: 1_500, do: 'heal' },
      { at: 500_000, do: 'isolate', nodes: ['leader'] },
      { at: 2_000_000, do: 'crash', node: 'n1' },
      { at: 2_000_000, do: 'restart', node: 'crashed' },
    ]
    expect(parsePlan(steps, NODES)).toEqual(expected)
    expect(parsePlan({ steps }, NODES)).toEqual(expected)
  })

  it('canonicalises clock offsets and keeps every action field', () => {
    const plan = parsePlan(
      [
        { at: '1s', do: 'clock', node: 'n2', offset: '200ms', driftPpm: -50 },
        { at: '1s', do: 'network', reset: true, latency: 'exp:1ms+2ms', loss: 0.1, links: [['n1', 'n2']] },
        { at: '1s', do: 'groups', groups: [['n1', 'n2'], ['n3']] },
        { at: '1s', do: 'one-way', from: ['leader'], to: ['n3', 'n4'] },
      ],
      NODES,
    )
    expect(plan[0]).toEqual({ at: 1_000_000, do: 'clock', node: 'n2', offset: '+200ms', driftPpm: -50 })
    expect(plan[1]).toEqual({ at: 1_000_000, do: 'network', reset: true, latency: 'exp:1ms+2ms', loss: 0.1, links: [['n1', 'n2']] })
    expect(plan[2]).toEqual({ at: 1_000_000, do: 'groups', groups: [['n1', 'n2'], ['n3']] })
    expect(plan[3]).toEqual({ at: 1_000_000, do: 'one-way', from: ['leader'], to: ['n3', 'n4'] })
  })

  it('round-trips any plan through planToJson (and through JSON text)', () => {
    fc.assert(
      fc.property(planArbitrary(NODES, 600_000_000), (plan) => {
        expect(parsePlan(planToJson(plan), NODES)).toEqual(plan)
        expect(parsePlan(JSON.parse(JSON.stringify({ steps: planToJson(plan) })), NODES)).toEqual(plan)
      }),
    )
  })

  it('round-trips plans with command steps too', () => {
    fc.assert(
      fc.property(planArbitrary(NODES, 600_000_000, { commands: true }), (plan) => {
        expect(parsePlan(planToJson(plan), NODES)).toEqual(plan)
        expect(parsePlan(JSON.parse(JSON.stringify(planToJson(plan))), NODES)).toEqual(plan)
      }),
    )
  })

  it('writes the canonical JSON form with at first and fields in a fixed order', () => {
    const json = planToJson([{ at: 2_500_000, do: 'clock', driftPpm: 5, node: 'n1' }])
    expect(JSON.stringify(json)).toBe('[{"at":"2500ms","do":"clock","node":"n1","driftPpm":5}]')
  })
})

describe('command steps', () => {
  const failover = { at: '5s', do: 'command', node: 'n2', command: { type: 'cluster-failover', force: true } }

  it('reads a command for a node id, leader or random, with any JSON fields', () => {
    const nested = { type: 'cluster-meet', target: 'n3', ports: [7000, 7001], opts: { retry: null, note: 'x' } }
    const plan = parsePlan(
      [
        failover,
        { at: '6s', do: 'command', node: 'leader', command: { type: 'transfer-leadership', to: 'n4' } },
        { at: '7s', do: 'command', node: 'random', command: nested },
      ],
      NODES,
    )
    expect(plan).toEqual([
      { at: 5_000_000, do: 'command', node: 'n2', command: { type: 'cluster-failover', force: true } },
      { at: 6_000_000, do: 'command', node: 'leader', command: { type: 'transfer-leadership', to: 'n4' } },
      { at: 7_000_000, do: 'command', node: 'random', command: nested },
    ])
  })

  it('copies the command, as JSON text would: undefined fields dropped, -0 as 0, __proto__ a plain field', () => {
    const command = { type: 'x', list: [1, { deep: -0 }], gone: undefined }
    const [step] = parsePlan([{ at: '1s', do: 'command', node: 'n1', command }], NODES)
    expect(step).toEqual({ at: 1_000_000, do: 'command', node: 'n1', command: { type: 'x', list: [1, { deep: 0 }] } })
    const parsed = (step as Extract<typeof step, { do: 'command' }>).command
    expect(parsed).not.toBe(command)
    expect(Object.hasOwn(parsed, 'gone')).toBe(false)
    expect(Object.is((parsed.list as Array<{ deep: number }>)[1]!.deep, 0)).toBe(true)
    command.list.push(2)
    expect(parsed.list).toEqual([1, { deep: 0 }])
    const [proto] = parsePlan(JSON.parse('[{"at": "1s", "do": "command", "node": "n1", "command": {"type": "x", "__proto__": {"a": 1}}}]'), NODES)
    const withProto = (proto as Extract<typeof proto, { do: 'command' }>).command
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype)
    expect(Object.hasOwn(withProto, '__proto__')).toBe(true)
    expect(JSON.stringify(planToJson([proto!]))).toBe('[{"at":"1s","do":"command","node":"n1","command":{"type":"x","__proto__":{"a":1}}}]')
  })

  it('writes the canonical JSON form', () => {
    expect(JSON.stringify(planToJson(parsePlan([failover], NODES)))).toBe(
      '[{"at":"5s","do":"command","node":"n2","command":{"type":"cluster-failover","force":true}}]',
    )
  })

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['missing command', { do: 'command', node: 'n1' }, `plan steps[0].command: required for command: an object with a string field 'type'`],
    ['command as a string', { do: 'command', node: 'n1', command: 'cluster-failover' }, "plan steps[0].command: expected an object with a string field 'type'"],
    ['command as a list', { do: 'command', node: 'n1', command: [{ type: 'x' }] }, "plan steps[0].command: expected an object with a string field 'type'"],
    ['command null', { do: 'command', node: 'n1', command: null }, "plan steps[0].command: expected an object with a string field 'type'"],
    ['no type', { do: 'command', node: 'n1', command: { force: true } }, "plan steps[0].command: expected an object with a string field 'type'"],
    ['type not a string', { do: 'command', node: 'n1', command: { type: 3 } }, "plan steps[0].command: expected an object with a string field 'type'"],
    ['empty type', { do: 'command', node: 'n1', command: { type: '' } }, 'plan steps[0].command.type: must not be empty'],
    ['blank type', { do: 'command', node: 'n1', command: { type: ' \n' } }, 'plan steps[0].command.type: must not be empty'],
    ['NaN in a command', { do: 'command', node: 'n1', command: { type: 'x', args: [1, Number.NaN] } }, 'plan steps[0].command.args[1]: must be JSON data'],
    ['a function in a command', { do: 'command', node: 'n1', command: { type: 'x', f: () => 1 } }, 'plan steps[0].command.f: must be JSON data'],
    ['a Map in a command', { do: 'command', node: 'n1', command: { type: 'x', when: new Map() } }, 'plan steps[0].command.when: must be JSON data'],
    ['a hole in a list', { do: 'command', node: 'n1', command: { type: 'x', list: [1, , 3] } }, 'plan steps[0].command.list[1]: must be JSON data'],
    ['an odd key', { do: 'command', node: 'n1', command: { type: 'x', 'a b': { n: 1n } } }, 'plan steps[0].command["a b"].n: must be JSON data'],
    ['missing node', { do: 'command', command: { type: 'x' } }, 'plan steps[0].node: required for command'],
    ['unknown node', { do: 'command', node: 'n9', command: { type: 'x' } }, "plan steps[0].node: unknown node 'n9' (nodes: n1..n5)"],
    ['crashed node', { do: 'command', node: 'crashed', command: { type: 'x' } }, "plan steps[0].node: 'crashed' cannot be used with command: it takes a node id, 'leader' or 'random'"],
    ['paused node', { do: 'command', node: 'paused', command: { type: 'x' } }, "plan steps[0].node: 'paused' cannot be used with command"],
    ['nodes instead of node', { do: 'command', nodes: ['n1'], node: 'n1', command: { type: 'x' } }, "plan steps[0]: unknown field 'nodes' (command takes at, do, node, command, until, when and after)"],
  ]
  it.each(cases)('rejects %s', (_name, fields, expected) => {
    expect(rejection(step(fields))).toContain(expected)
  })

  it('rejects a command nested too deeply, or holding itself, without overflowing', () => {
    let deep: Record<string, unknown> = { type: 'x' }
    for (let i = 0; i < 40; i++) deep = { type: 'x', inner: deep }
    expect(rejection(step({ do: 'command', node: 'n1', command: deep }))).toMatch(/^plan steps\[0\]\.command(\.inner)+: nests too deeply \(at most 32 levels\)$/)
    const cycle: Record<string, unknown> = { type: 'x' }
    cycle.self = cycle
    expect(rejection(step({ do: 'command', node: 'n1', command: cycle }))).toContain('nests too deeply')
  })

  it('is named in the unknown-action list', () => {
    expect(rejection(step({ do: 'comand' }))).toMatch(/expected one of crash, .*, clock, command, invoke\)$/)
  })
})

describe('parsePlan rejections: one line naming the place', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object or list', 5, 'plan: expected {"steps": [...]} or a list of steps, got number 5'],
    ['null', null, 'plan: expected {"steps": [...]} or a list of steps, got null'],
    ['steps not a list', { steps: 'x' }, "plan steps: must be a list of steps like [{\"at\": \"2s\", \"do\": \"crash\", \"node\": \"n1\"}], got string 'x'"],
    ['steps missing', {}, 'plan steps: must be a list of steps'],
    ['unknown top-level field', { steps: [], extra: 1 }, `plan: unknown field 'extra' (a plan has only "steps")`],
    ['step not an object', [{ at: '1s', do: 'heal' }, 'crash'], "plan steps[1]: must be an object like {\"at\": \"2s\", \"do\": \"crash\", \"node\": \"n1\"}, got string 'crash'"],
    ['step is a list', [[]], 'plan steps[0]: must be an object like'],
    ['unknown action', [{}, {}, {}, { at: '1s', do: 'crsh' }].map((s, i) => (i < 3 ? { at: '1s', do: 'heal' } : s)), "plan steps[3]: unknown action 'crsh' (expected one of crash, restart, pause, resume, isolate,"],
    ['missing action', [{ at: '1s' }], 'plan steps[0].do: required: the action, one of crash, restart,'],
    ['unknown node', step({ do: 'crash', node: 'n9' }), "plan steps[0].node: unknown node 'n9' (nodes: n1..n5)"],
    ['missing node', step({ do: 'pause' }), 'plan steps[0].node: required for pause'],
    ['node not a string', step({ do: 'pause', node: 3 }), 'plan steps[0].node: must be a string naming a node'],
    ['unknown field', step({ do: 'crash', node: 'n1', nod: 'n1' }), "plan steps[0]: unknown field 'nod' (crash takes at, do, node, isolate, until, when and after)"],
    ['bad duration', step({ do: 'heal', at: '2 secs' }), "plan steps[0].at: bad time '2 secs': expected a number with a unit"],
    ['negative time', step({ do: 'heal', at: '-1s' }), "plan steps[0].at: bad time '-1s'"],
    ['time as a number', step({ do: 'heal', at: 2 }), 'plan steps[0].at: must be a duration string like "2s"'],
    ['missing time', [{ do: 'heal' }], 'plan steps[0].at: required for heal'],
    ['probability above 1', step({ do: 'network', loss: 1.5 }), 'plan steps[0].loss: must be a probability between 0 and 1'],
    ['negative probability', step({ do: 'network', duplicate: -0.1 }), 'plan steps[0].duplicate: must be a probability between 0 and 1'],
    ['probability as text', step({ do: 'network', reorder: '10%' }), 'plan steps[0].reorder: must be a probability between 0 and 1'],
    ['bad latency spec', step({ do: 'network', latency: 'gauss:3ms' }), "plan steps[0].latency: bad latency 'gauss:3ms'"],
    ['inverted latency range', step({ do: 'network', latency: 'uniform:5ms..1ms' }), "plan steps[0].latency: bad latency 'uniform:5ms..1ms'"],
    ['network with nothing to change', step({ do: 'network', links: [['n1', 'n2']] }), 'plan steps[0]: network needs at least one of reset, latency, loss, duplicate, reorder'],
    ['reset false', step({ do: 'network', reset: false }), 'plan steps[0].reset: must be true when given'],
    ['self link', step({ do: 'network', loss: 0.1, links: [['n1', 'n2'], ['n3', 'n3']] }), 'plan steps[0].links[1]: a link must join two different nodes'],
    ['duplicate link', step({ do: 'network', loss: 0.1, links: [['n1', 'n2'], ['n1', 'n2']] }), 'plan steps[0].links[1]: link n1->n2 is listed twice'],
    ['link not a pair', step({ do: 'network', loss: 0.1, links: [['n1']] }), 'plan steps[0].links[0]: each link must be a pair of node ids'],
    ['selector in a link', step({ do: 'network', loss: 0.1, links: [['leader', 'n1']] }), "plan steps[0].links[0][0]: 'leader' cannot be used with network: it takes node ids only"],
    ['duplicate node in groups', step({ do: 'groups', groups: [['n1', 'n2'], ['n3', 'n1']] }), "plan steps[0].groups[1][1]: node 'n1' appears more than once"],
    ['selector in groups', step({ do: 'groups', groups: [['leader'], ['n2']] }), "plan steps[0].groups[0][0]: 'leader' cannot be used with groups: it takes node ids only"],
    ['empty group', step({ do: 'groups', groups: [['n1'], []] }), 'plan steps[0].groups[1]: a group must not be empty'],
    ['groups not a list', step({ do: 'groups', groups: 'n1' }), 'plan steps[0].groups: must be a list of groups'],
    ['crashed for crash', step({ do: 'crash', node: 'crashed' }), "plan steps[0].node: 'crashed' cannot be used with crash: it takes a node id, 'leader' or 'random'"],
    ['paused for pause', step({ do: 'pause', node: 'paused' }), "plan steps[0].node: 'paused' cannot be used with pause"],
    ['random for restart', step({ do: 'restart', node: 'random' }), "plan steps[0].node: 'random' cannot be used with restart: it takes a node id or 'crashed'"],
    ['crashed for resume', step({ do: 'resume', node: 'crashed' }), "plan steps[0].node: 'crashed' cannot be used with resume: it takes a node id or 'paused'"],
    ['paused in isolate', step({ do: 'isolate', nodes: ['n1', 'paused'] }), "plan steps[0].nodes[1]: 'paused' cannot be used with isolate"],
    ['empty isolate', step({ do: 'isolate', nodes: [] }), 'plan steps[0].nodes: must list at least one node'],
    ['duplicate in isolate', step({ do: 'isolate', nodes: ['n2', 'n2'] }), "plan steps[0].nodes[1]: node 'n2' is listed twice"],
    ['node on both sides', step({ do: 'one-way', from: ['n1'], to: ['n2', 'n1'] }), "plan steps[0].to[1]: node 'n1' is in both from and to"],
    ['bad offset', step({ do: 'clock', node: 'n1', offset: '-2 s' }), "plan steps[0].offset: bad offset '-2 s': expected a signed duration"],
    ['drift out of range', step({ do: 'clock', node: 'n1', driftPpm: 2e6 }), 'plan steps[0].driftPpm: must be a number of parts per million'],
    ['clock with nothing to set', step({ do: 'clock', node: 'n1' }), 'plan steps[0]: clock needs an offset, a driftPpm or both'],
    ['newline in a value', step({ do: 'crash', node: 'n1\nn2' }), 'plan steps[0].node: unknown node "n1\\nn2"'],
  ]
  it.each(cases)('%s', (_name, json, expected) => {
    expect(rejection(json)).toContain(expected)
  })

  it('lists irregular node ids in full', () => {
    expect(rejection(step({ do: 'crash', node: 'x' }), ['a', 'b'])).toBe("plan steps[0].node: unknown node 'x' (nodes: a, b)")
  })

  it('names the source it was given', () => {
    expect(() => parsePlan(step({ do: 'hael' }), NODES, 'scenario.json')).toThrow(/^scenario\.json steps\[0\]: unknown action 'hael'/)
  })
})

describe('loadPlanFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-plan-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const loadError = (path: string) => {
    try {
      loadPlanFile(path, NODES)
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      expect((error as Error).message).not.toMatch(/[\r\n]/)
      return (error as Error).message
    }
    throw new Error('accepted')
  }

  it('reads a plan file', () => {
    const path = file('ok.json', JSON.stringify({ steps: [{ at: '2s', do: 'crash', node: 'n1' }] }))
    expect(loadPlanFile(path, NODES)).toEqual([{ at: 2_000_000, do: 'crash', node: 'n1' }])
  })

  it('names the file for a missing file, a directory, bad JSON and a bad step', () => {
    const missing = join(dir, 'nope.json')
    expect(loadError(missing)).toBe(`plan file ${missing}: no such file`)
    const sub = join(dir, 'sub')
    mkdirSync(sub)
    expect(loadError(sub)).toBe(`plan file ${sub}: is a directory`)
    const broken = file('broken.json', '{"steps": [\n  {"at": "1s",\n')
    expect(loadError(broken)).toMatch(new RegExp(`^plan file ${broken}: not valid JSON \\(`))
    const bad = file('bad.json', '[{"at": "1s", "do": "crash", "node": "n7"}]')
    expect(loadError(bad)).toBe(`${bad} steps[0].node: unknown node 'n7' (nodes: n1..n5)`)
  })
})

describe('waiting steps and the isolate flag', () => {
  it('reads until as microseconds and writes it back as a duration', () => {
    const json = [{ at: '1.25s', do: 'pause', node: 'leader', isolate: true, until: '2s' }, { at: '1s', do: 'restart', node: 'crashed', until: '1500ms' }]
    const plan = parsePlan(json, NODES)
    expect(plan).toEqual([{ at: 1_000_000, do: 'restart', node: 'crashed', until: 1_500_000 }, { at: 1_250_000, do: 'pause', node: 'leader', isolate: true, until: 2_000_000 }])
    expect(planToJson(plan)).toEqual([{ at: '1s', do: 'restart', node: 'crashed', until: '1500ms' }, { at: '1250ms', do: 'pause', node: 'leader', isolate: true, until: '2s' }])
  })

  it('reads when, and lets a step that names it act on a node id', () => {
    const plan = parsePlan([{ at: '1s', until: '2s', when: 'leader', do: 'crash', node: 'n2' }], NODES)
    expect(plan).toEqual([{ at: 1_000_000, until: 2_000_000, when: 'leader', do: 'crash', node: 'n2' }])
    expect(planToJson(plan)).toEqual([{ at: '1s', do: 'crash', node: 'n2', until: '2s', when: 'leader' }])
  })

  it.each([
    [{ do: 'crash', node: 'n1', until: '2s' }, "plan steps[0].until: a step waits for a node a selector word picks ('leader', 'random', 'crashed', 'paused'): node 'n1' cannot wait, unless \"when\" names the word to watch"],
    [{ do: 'pause', node: 'leader', until: '1s' }, 'plan steps[0].until: must be later than at (1s)'],
    [{ do: 'pause', node: 'leader', until: 2 }, 'plan steps[0].until: must be a duration string like "2s"'],
    [{ do: 'heal', until: '2s' }, "plan steps[0]: unknown field 'until' (heal takes at and do)"],
    [{ do: 'isolate', nodes: ['leader'], until: '2s' }, "plan steps[0]: unknown field 'until' (isolate takes at, do and nodes)"],
    [{ do: 'pause', node: 'leader', isolate: false }, 'plan steps[0].isolate: must be true when given (it cuts the node off before stopping it)'],
    [{ do: 'restart', node: 'crashed', isolate: true }, "plan steps[0]: unknown field 'isolate' (restart takes at, do, node, until, when and after)"],
    [{ do: 'clock', node: 'n2', offset: '5ms', until: '3s' }, "plan steps[0].until: a step waits for a node a selector word picks ('leader', 'random', 'crashed', 'paused'): node 'n2' cannot wait, unless \"when\" names the word to watch"],
    [{ do: 'crash', node: 'n1', when: 'leader' }, 'plan steps[0].when: needs until: the end of the window in which the step waits'],
    [{ do: 'crash', node: 'n1', when: 'boss', until: '2s' }, "plan steps[0].when: must be a selector word: 'leader', 'random', 'crashed', 'paused'"],
  ])('rejects %j in one line', (fields, message) => {
    expect(rejection(step(fields))).toBe(message)
  })
})
