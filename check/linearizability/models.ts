/**
 * The built-in models. `register`: one value with read, write and cas (Jepsen's etcd test,
 * Porcupine's etcd model). `kv`: many keys with get, sync-get, put, append and cas, with the
 * semantics Raft's state machine and ZAB's data tree implement (see check/README.md);
 * histories are split by key and each key checked as its own register-like object.
 */
import { sameValue, valueKey, type Operation } from './operation.ts'
import { partitionByKey, REJECT, registerModel, type Model } from './model.ts'

type Value = unknown

/** cas input is [expected, new]; anything else is malformed and cannot take effect. */
function casArgs(input: unknown): [Value, Value] | null {
  return Array.isArray(input) && input.length === 2 ? [input[0], input[1]] : null
}

function read(state: Value, op: Operation): Value | typeof REJECT {
  if (!op.known) return state
  return sameValue(op.output, state) ? state : REJECT
}

function cas(state: Value, op: Operation): Value | typeof REJECT {
  const args = casArgs(op.input)
  if (!args) return REJECT
  if (sameValue(args[0], state)) return args[1] ?? null
  // A cas of unknown outcome that found another value did nothing; an ok one cannot have.
  return op.known ? REJECT : state
}

function appendTo(state: Value, value: Value): Value {
  if (state === null || state === undefined) return [value]
  if (Array.isArray(state)) return [...state, value]
  return [state, value]
}

export const registerModelDef: Model<Value> = {
  name: 'register',
  description: 'one register: read, write, cas [expected, new] (Jepsen etcd)',
  operations: ['read', 'get', 'write', 'put', 'cas'],
  init: () => null,
  step(state, op) {
    switch (op.f) {
      case 'read':
      case 'get':
        return read(state, op)
      case 'write':
      case 'put':
        return op.input ?? null
      case 'cas':
        return cas(state, op)
      default:
        return REJECT
    }
  },
  stateKey: valueKey,
  // A history with keys is one register per key (the same split is sound for any register set).
  partition: partitionByKey,
  describeState: (state) => JSON.stringify(state ?? null),
}

export const kvModel: Model<Value> = {
  name: 'kv',
  description: 'key-value map: get, sync-get, put, append, cas [expected, new]; checked key by key',
  operations: ['get', 'sync-get', 'read', 'put', 'write', 'append', 'cas'],
  init: () => null,
  // A key of the map is a register with append besides; sync-get is a read like get.
  step(state, op) {
    if (op.f === 'append') return appendTo(state, op.input ?? null)
    if (op.f === 'sync-get') return read(state, op)
    return registerModelDef.step(state, op)
  },
  stateKey: valueKey,
  partition: partitionByKey,
  describeState: (state) => JSON.stringify(state ?? null),
}

registerModel(registerModelDef)
registerModel(kvModel)
