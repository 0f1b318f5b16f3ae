import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { InputError } from '../time.ts'
import {
  applyNetworkChange,
  defaultNetworkConfig,
  linkFaults,
  networkConfigToJson,
  parseNetworkConfig,
} from './config.ts'
import { parseLatency } from './latency.ts'
import type { LinkFaults, NetworkConfig } from './types.ts'

const only = (faults: LinkFaults): LinkFaults => ({
  latency: faults.latency,
  loss: faults.loss,
  duplicate: faults.duplicate,
  reorder: faults.reorder,
  reorderWindowUs: faults.reorderWindowUs,
})

describe('defaults and per-link faults', () => {
  it('defaults to uniform 1ms..5ms with no faults and a 10ms reorder window', () => {
    expect(defaultNetworkConfig()).toEqual({
      latency: { kind: 'uniform', minUs: 1000, maxUs: 5000 },
      loss: 0,
      duplicate: 0,
      reorder: 0,
      reorderWindowUs: 10_000,
      links: {},
    })
    expect(defaultNetworkConfig()).not.toBe(defaultNetworkConfig())
  })

  it('merges a link override over the defaults, only on that directed link', () => {
    const config: NetworkConfig = { ...defaultNetworkConfig(), loss: 0.1, links: { 'n1->n2': { loss: 0.5, reorderWindowUs: 3 } } }
    expect(only(linkFaults(config, 'n1', 'n2'))).toEqual({ ...only(config), loss: 0.5, reorderWindowUs: 3 })
    expect(only(linkFaults(config, 'n2', 'n1'))).toEqual(only(config))
    expect(linkFaults(config, 'n1', 'n3')).toBe(config) // no override: no allocation
  })
})

describe('applyNetworkChange', () => {
  const base = (): NetworkConfig => ({ ...defaultNetworkConfig(), links: { 'n1->n2': { loss: 0.5 } } })

  it('changes the defaults when no links are given, keeping overrides', () => {
    const before = base()
    const after = applyNetworkChange(before, { latency: 'exp:1ms+2ms', loss: 0.2, duplicate: 0.1 })
    expect(after.latency).toEqual({ kind: 'exponential', minUs: 1000, meanUs: 2000 })
    expect([after.loss, after.duplicate, after.reorder]).toEqual([0.2, 0.1, 0])
    expect(after.links).toEqual({ 'n1->n2': { loss: 0.5 } })
    expect(linkFaults(after, 'n1', 'n2').loss).toBe(0.5)
    expect(before).toEqual(base()) // the input is untouched
  })

  it('with links, overrides exactly those directed links', () => {
    const before = base()
    const after = applyNetworkChange(before, { reorder: 0.3, latency: '10ms', links: [['n1', 'n2'], ['n3', 'n1']] })
    expect(only(after)).toEqual(only(before))
    expect(after.links).toEqual({
      'n1->n2': { loss: 0.5, reorder: 0.3, latency: { kind: 'fixed', us: 10_000 } },
      'n3->n1': { reorder: 0.3, latency: { kind: 'fixed', us: 10_000 } },
    })
    expect(linkFaults(after, 'n2', 'n1')).toBe(after)
    expect(before).toEqual(base())
    expect(applyNetworkChange(before, { loss: 1, links: [] })).toEqual(before)
  })

  it('rejects bad values naming the field', () => {
    expect(() => applyNetworkChange(base(), { loss: 1.5 })).toThrow(new InputError('bad network.loss 1.5: expected a probability between 0 and 1'))
    expect(() => applyNetworkChange(base(), { reorder: -0.1 })).toThrow('bad network.reorder -0.1')
    expect(() => applyNetworkChange(base(), { latency: 'fast' })).toThrow("bad network.latency 'fast': expected fixed:1ms")
  })
})

describe('parseNetworkConfig / networkConfigToJson', () => {
  it('reads the documented JSON form, filling in defaults', () => {
    const config = parseNetworkConfig({
      latency: 'uniform:1ms..5ms',
      loss: 0.01,
      duplicate: 0,
      reorder: 0,
      reorderWindow: '10ms',
      links: { 'n1->n2': { loss: 0.5 } },
    })
    expect(config).toEqual({ ...defaultNetworkConfig(), loss: 0.01, links: { 'n1->n2': { loss: 0.5 } } })
    expect(parseNetworkConfig({})).toEqual(defaultNetworkConfig())
    expect(parseNetworkConfig(undefined)).toEqual(defaultNetworkConfig())
    expect(parseNetworkConfig({ latency: 'longtail:1ms..50ms' }).latency).toEqual(parseLatency('longtail:1ms..50ms'))
  })

  it('writes latency and the reorder window as strings', () => {
    expect(networkConfigToJson(defaultNetworkConfig())).toEqual({
      latency: 'uniform:1ms..5ms',
      loss: 0,
      duplicate: 0,
      reorder: 0,
      reorderWindow: '10ms',
      links: {},
    })
  })

  const p = fc.double({ min: 0, max: 1, noNaN: true })
  const latency = fc.constantFrom('fixed:0ms', 'uniform:1ms..5ms', 'exp:1.5ms+2ms', 'longtail:1ms..50ms', 'exp:250us')
  const windowUs = fc.integer({ min: 0, max: 1_000_000 })
  const override = fc.record(
    { latency: latency.map((s) => parseLatency(s)), loss: p, duplicate: p, reorder: p, reorderWindowUs: windowUs },
    { requiredKeys: [] },
  )
  const configArb: fc.Arbitrary<NetworkConfig> = fc.record({
    latency: latency.map((s) => parseLatency(s)),
    loss: p,
    duplicate: p,
    reorder: p,
    reorderWindowUs: windowUs,
    links: fc.dictionary(fc.tuple(fc.constantFrom('n1', 'n2', 'n3'), fc.constantFrom('n1', 'n2', 'c1')).map(([a, b]) => `${a}->${b}`), override),
  })

  it('round-trips any config, through JSON text too', () => {
    fc.assert(
      fc.property(configArb, (config) => {
        expect(parseNetworkConfig(networkConfigToJson(config))).toEqual(config)
        expect(parseNetworkConfig(JSON.parse(JSON.stringify(networkConfigToJson(config))))).toEqual(config)
      }),
    )
  })

  it.each([
    [null, 'bad network: expected an object like'],
    [[], 'bad network: expected an object like'],
    [{ los: 0.1 }, "bad network: unknown field 'los' (known: latency, loss, duplicate, reorder, reorderWindow, links)"],
    [{ loss: '0.1' }, 'bad network.loss "0.1": expected a probability between 0 and 1'],
    [{ duplicate: 2 }, 'bad network.duplicate 2: expected a probability between 0 and 1'],
    [{ reorder: null }, 'bad network.reorder null: expected a probability between 0 and 1'],
    [{ latency: 5 }, 'bad network.latency 5: expected a latency spec like "uniform:1ms..5ms"'],
    [{ latency: 'uniform:5ms..1ms' }, "bad network.latency 'uniform:5ms..1ms': min 5ms is above max 1ms"],
    [{ reorderWindow: 10 }, 'bad network.reorderWindow 10: expected a duration like "10ms"'],
    [{ reorderWindow: '10' }, "bad network.reorderWindow '10': expected a number with a unit"],
    [{ links: [] }, 'bad network.links: expected an object like'],
    [{ links: { n1n2: {} } }, `bad network.links key 'n1n2': expected a directed link like "n1->n2"`],
    [{ links: { 'n1->n2->n3': {} } }, `bad network.links key 'n1->n2->n3'`],
    [{ links: { '->n2': {} } }, `bad network.links key '->n2'`],
    [{ links: { 'n1->n2': 0.5 } }, 'bad network.links["n1->n2"]: expected an object like { "loss": 0.5 }'],
    [{ links: { 'n1->n2': { loss: 7 } } }, 'bad network.links["n1->n2"].loss 7: expected a probability'],
    [{ links: { 'n1->n2': { links: {} } } }, `bad network.links["n1->n2"]: unknown field 'links'`],
    [{ links: { 'n1->n2': { latency: 'slow' } } }, `bad network.links["n1->n2"].latency 'slow': expected fixed:1ms`],
  ])('rejects %j with one line naming the field', (raw, message) => {
    expect(() => parseNetworkConfig(raw)).toThrow(InputError)
    expect(() => parseNetworkConfig(raw)).toThrow(message)
    try {
      parseNetworkConfig(raw)
    } catch (e) {
      expect((e as Error).message).not.toContain('\n')
    }
  })
})

describe('resetNetwork', () => {
  it('restores every link, or only the listed ones', async () => {
    const { resetNetwork, applyNetworkChange, defaultNetworkConfig } = await import('./config.ts')
    const initial = applyNetworkChange(defaultNetworkConfig(), { loss: 0.1, links: [['n1', 'n2']] })
    const degraded = applyNetworkChange(applyNetworkChange(initial, { loss: 0.9 }), { loss: 0.5, links: [['n1', 'n2'], ['n2', 'n3']] })
    expect(resetNetwork(degraded, initial)).toEqual(initial)
    const partly = resetNetwork(degraded, initial, [['n1', 'n2'], ['n2', 'n3']])
    expect(partly.loss).toBe(0.9)
    expect(partly.links).toEqual(initial.links)
  })
})
