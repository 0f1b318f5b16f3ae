/**
 * The safety properties of Zab.tla, checked after every event. One shared record
 * (record.ts) follows the run; each invariant reports the first violation of its property.
 */
import type { Invariant } from '../../sim/protocol.ts'
import type { ZabNode } from './node.ts'
import { type Property, ZabRecord } from './record.ts'

const PROPERTIES: ReadonlyArray<[Property, string]> = [
  ['leadership', 'zab-leadership'],
  ['integrity', 'zab-integrity'],
  ['agreement', 'zab-agreement'],
  ['total-order', 'zab-total-order'],
  ['primary-order', 'zab-primary-order'],
  ['primary-integrity', 'zab-primary-integrity'],
]

/**
 * zab-leadership: at most one established leader per epoch.
 * zab-integrity: a delivered transaction was proposed by a leader, and one zxid names one transaction.
 * zab-agreement / zab-total-order / zab-primary-order: every server delivers a prefix of one
 *   committed sequence, in zxid order, skipping nothing (Agreement, Total order, Local and
 *   Global primary order, prefix consistency).
 * zab-primary-integrity: a leader starts its epoch holding every transaction committed before it.
 */
export function zabInvariants(): Invariant<ZabNode>[] {
  const record = new ZabRecord()
  return PROPERTIES.map(([property, name]) => ({
    name,
    check(ctx) {
      record.update(ctx)
      return record.violations.get(property) ?? null
    },
  }))
}
