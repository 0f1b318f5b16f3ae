/**
 * A model is a sequential specification: what one operation does to the state and whether
 * what it returned is possible. The checker searches for an order of the operations that
 * the model accepts (and that respects real time).
 *
 * To add a model: implement Model, then `registerModel(myModel)`; `faultline check-history
 * --model <name>` and protocols' `historyCheck: { kind: 'linearizable', model: '<name>' }`
 * find it by name. States must be treated as immutable values.
 */
import { InputError } from '../../sim/time.ts'
import type { Operation } from './operation.ts'

/** Returned by `step` when the operation cannot happen in that state with that output. */
export const REJECT: unique symbol = Symbol('reject')

export interface Model<State = unknown> {
  readonly name: string
  /** One line for help texts. */
  readonly description: string
  /** Operation names the model knows; anything else in a history is bad input. */
  readonly operations: readonly string[]
  init(): State
  /**
   * The state after `op`, or REJECT when the op cannot take effect here. For an op of unknown
   * outcome (`known` false) any output is possible, so only its effect matters.
   */
  step(state: State, op: Operation): State | typeof REJECT
  /**
   * A primitive (string, number, boolean or null) equal for equal states and only for them:
   * the memo of (linearized set, state) keys on it. `valueKey` from operation.ts fits JSON values.
   */
  stateKey(state: State): unknown
  /**
   * P-compositionality: splits the operations into independent histories (one per key)
   * that are checked separately. Without it the history is checked whole.
   */
  partition?(ops: readonly Operation[]): Operation[][]
  /** Shows a state in explanations. */
  describeState?(state: State): string
}

const registry = new Map<string, Model<never>>()

export function registerModel<S>(model: Model<S>): void {
  registry.set(model.name, model as unknown as Model<never>)
}

export function findModel(name: string): Model {
  const model = registry.get(name)
  if (!model) throw new InputError(`unknown model '${name}' (models: ${modelNames().join(', ')})`)
  return model as unknown as Model
}

export function modelNames(): string[] {
  return [...registry.keys()]
}

/** Groups operations by key, keeping their order: the usual partition for key-value stores. */
export function partitionByKey(ops: readonly Operation[]): Operation[][] {
  const groups = new Map<string, Operation[]>()
  for (const op of ops) {
    const key = op.key ?? ''
    let group = groups.get(key)
    if (!group) groups.set(key, (group = []))
    group.push(op)
  }
  return [...groups.values()]
}
