/**
 * ZooKeeper's atomic broadcast (ZAB): Fast Leader Election, discovery, synchronisation and
 * broadcast, over a replicated key-value tree. See README.md for the mapping to ZooKeeper's
 * classes and Zab.tla, the mutants, and where this model simplifies.
 */
import { defaultOp } from '../../sim/clients/workload.ts'
import type { Protocol } from '../../sim/protocol.ts'
import { DEFAULT_CONFIG, parseZabConfig, type ZabConfig } from './config.ts'
import { zabInvariants } from './invariants.ts'
import { zabLiveness } from './liveness.ts'
import type { ZabMsg } from './messages.ts'
import { ZAB_MUTANTS } from './mutants.ts'
import { ZabNode } from './node.ts'
import { ZAB_TACTICS } from './tactics.ts'

export const zab: Protocol<ZabMsg, ZabConfig, ZabNode> = {
  name: 'zab',
  summary: "ZooKeeper's ZAB: fast leader election, discovery, DIFF/TRUNC/SNAP sync and quorum broadcast of a key-value tree",
  defaultConfig: DEFAULT_CONFIG,
  parseConfig: parseZabConfig,
  createNode: (ctx, { config, mutant }) => new ZabNode(ctx, config, mutant),
  messageType: (msg) => (msg.type === 'NOTIFICATION' ? `NOTIFICATION(${msg.state})` : (msg.body?.type ?? 'ACK-FRAME')),
  invariants: () => zabInvariants(),
  mutants: ZAB_MUTANTS,
  faultTactics: ZAB_TACTICS,
  // Reads are sync-gets, so the history is linearizable; plain `get` may be stale (try --mix get:1,put:1).
  workload: { mix: { 'sync-get': 2, put: 1, append: 1, cas: 1 } },
  readOnlyOps: ['get', 'sync-get'],
  makeOp: (draw) => (draw.f === 'sync-get' ? { f: 'sync-get', key: draw.key } : defaultOp(draw)),
  liveness: ({ config }) => zabLiveness(config),
  historyCheck: { kind: 'linearizable', model: 'kv' },
}

export { ZabNode } from './node.ts'
export type { ZabConfig } from './config.ts'
