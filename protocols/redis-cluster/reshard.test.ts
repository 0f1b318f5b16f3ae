/** Resharding under client load: ASK while a slot migrates, MOVED for clients with the old map. */
import { describe, expect, it } from 'vitest'
import { MemoryTraceSink } from '../../sim/trace/writer.ts'
import { keySlot } from './keyslot.ts'
import { slotMapProblem } from './convergence.ts'
import { cluster, nodeOf, ownerAddr, S } from './test-support.ts'

function reshardK0(trace: MemoryTraceSink) {
  const sim = cluster(6, {}, { trace, workload: { clients: 3, keys: 1, thinkUs: 20_000, mix: { get: 2, set: 2, mset: 1 } } })
  const slot = keySlot('k0')
  sim.run({ untilUs: 8 * S })
  const from = ownerAddr(sim, 'n1', slot)!
  const to = ['n1', 'n2', 'n3'].find((id) => id !== from)!
  sim.command(to, { type: 'SETSLOT', slot, state: 'IMPORTING', node: from })
  sim.command(from, { type: 'SETSLOT', slot, state: 'MIGRATING', node: to })
  sim.command(from, { type: 'MIGRATE', slot, to })
  sim.run({ untilUs: 9 * S }) // keys moved; clients are sent to `to` with ASK meanwhile
  sim.command(to, { type: 'SETSLOT', slot, state: 'NODE', node: to })
  sim.command(from, { type: 'SETSLOT', slot, state: 'NODE', node: to })
  sim.run({ untilUs: 15 * S })
  return { sim, slot, from, to }
}

describe('resharding', () => {
  it('moves a slot key by key: ASK during the migration, MOVED afterwards, no write lost', () => {
    const trace = new MemoryTraceSink()
    const { sim, slot, from, to } = reshardK0(trace)
    const text = trace.text()
    expect(text).toContain(`"error":"ASK ${slot} ${to}"`)
    expect(text).toContain(`"error":"MOVED ${slot} ${to}"`)
    expect(nodeOf(sim, to).data.get('k0')).not.toBeUndefined()
    expect(nodeOf(sim, from).data.has('k0')).toBe(false)
    for (const id of sim.nodeIds) expect(ownerAddr(sim, id, slot)).toBe(to)
    expect(slotMapProblem({ nodeIds: sim.nodeIds, node: (id) => sim.node(id) })).toBeNull()
    const result = sim.finish()
    expect(result.violation).toBeNull()
    const late = result.history.filter((h) => h.timeUs > 10 * S && h.type !== 'invoke')
    expect(late.length).toBeGreaterThan(50)
    expect(late.every((h) => h.type === 'ok')).toBe(true)
    expect((result.reports[0]!.data as { lost: number }).lost).toBe(0)
  })
})
