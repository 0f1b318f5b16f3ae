/** The linearizability checker: models, history readers, and the search. */
import './models.ts'

export { checkLinearizable, type CheckOptions, type LinearizabilityResult, type Verdict } from './checker.ts'
export { findModel, modelNames, partitionByKey, registerModel, REJECT, type Model } from './model.ts'
export { kvModel, registerModelDef } from './models.ts'
export { canonical, describeOperation, sameValue, valueKey, type Operation } from './operation.ts'
export { operationsFromHistory, parseAnyHistory, parseHistoryJsonl, parseJepsenLog } from './history-input.ts'
