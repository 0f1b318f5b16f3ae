/**
 * Follows a plan's effect symbolically, without running anything: which nodes are crashed or
 * paused, whether a partition is in place, which network and clock changes are still in force.
 * Nodes picked at run time ("leader", "random") become placeholders, counted as the worst case
 * (the selector always finds a node; a waiting step counts as if its node comes). Generators and tests use it to check a plan's hygiene:
 * at most a minority down at once, and everything undone by the end.
 */
import { formatDuration, type Micros } from '../time.ts'
import { describeStep } from './describe.ts'
import { linkKey } from '../network/types.ts'
import type { PlanStep, Plan } from './types.ts'

export interface FaultState {
  /** Oldest first, as the "crashed" selector resolves; "?3" stands for a node picked at run time. */
  crashed: string[]
  paused: string[]
  partitioned: boolean
  /** The defaults for every link were changed and not reset. */
  networkChanged: boolean
  changedLinks: Set<string>
  /** Nodes whose clock has a non-zero offset or drift. */
  skewed: Set<string>
}

export interface PlanEffects {
  /** The most nodes crashed or paused at once, and when that first happened. */
  maxDown: number
  maxDownAtUs: Micros
  final: FaultState
}

export const minorityOf = (nodeCount: number): number => Math.floor((nodeCount - 1) / 2)

export function emptyFaultState(): FaultState {
  return { crashed: [], paused: [], partitioned: false, networkChanged: false, changedLinks: new Set(), skewed: new Set() }
}

export function planEffects(plan: Plan): PlanEffects {
  const state = emptyFaultState()
  const clocks = new Map<string, { offset: boolean; drift: boolean }>()
  let placeholders = 0
  const chosen = (node: string): string => (node === 'leader' || node === 'random' ? `?${++placeholders}` : node)
  let maxDown = 0
  let maxDownAtUs = 0
  for (const step of plan) {
    applyStep(state, clocks, step, chosen)
    const down = state.crashed.length + state.paused.length
    if (down > maxDown) [maxDown, maxDownAtUs] = [down, step.at]
  }
  return { maxDown, maxDownAtUs, final: state }
}

function applyStep(
  state: FaultState,
  clocks: Map<string, { offset: boolean; drift: boolean }>,
  step: PlanStep,
  chosen: (node: string) => string,
): void {
  // A stop with `isolate` cuts the node off first: that partition stays until a heal.
  if ((step.do === 'crash' || step.do === 'pause') && step.isolate === true) state.partitioned = true
  switch (step.do) {
    case 'crash':
      return down(state.crashed, chosen(step.node))
    case 'restart':
      return up(state.crashed, step.node, 'crashed')
    case 'pause':
      return down(state.paused, chosen(step.node))
    case 'resume':
      return up(state.paused, step.node, 'paused')
    case 'heal':
      state.partitioned = false
      return
    case 'command':
    case 'invoke':
      // A command or a client operation is no fault: whatever the protocol does with it, nothing here is left to undo.
      return
    case 'network':
      return applyNetwork(state, step)
    case 'clock': {
      const node = chosen(step.node)
      const was = clocks.get(node) ?? { offset: false, drift: false }
      const now = {
        offset: step.offset === undefined ? was.offset : step.offset !== '0ms',
        drift: step.driftPpm === undefined ? was.drift : step.driftPpm !== 0,
      }
      clocks.set(node, now)
      if (now.offset || now.drift) state.skewed.add(node)
      else state.skewed.delete(node)
      return
    }
    default:
      // Every other action is a partition, and each replaces the one before.
      state.partitioned = true
  }
}

function down(list: string[], node: string): void {
  if (!list.includes(node)) list.push(node)
}

/** Undoing by selector word takes the oldest (as the engine does); by id, that node if it is down. */
function up(list: string[], node: string, word: string): void {
  const i = node === word ? 0 : list.indexOf(node)
  if (i >= 0 && i < list.length) list.splice(i, 1)
}

function applyNetwork(state: FaultState, step: Extract<PlanStep, { do: 'network' }>): void {
  const changes = step.latency !== undefined || step.loss !== undefined || step.duplicate !== undefined || step.reorder !== undefined
  if (step.links === undefined) {
    if (step.reset) [state.networkChanged, state.changedLinks] = [false, new Set()]
    if (changes) state.networkChanged = true
    return
  }
  for (const [from, to] of step.links) {
    if (step.reset) state.changedLinks.delete(linkKey(from, to))
    if (changes) state.changedLinks.add(linkKey(from, to))
  }
}

/** What is still in force at the end, as short phrases ("n2 crashed", "partitioned"); empty when clean. */
export function leftovers(state: FaultState): string[] {
  const out = [...state.crashed.map((n) => `${n} crashed`), ...state.paused.map((n) => `${n} paused`)]
  if (state.partitioned) out.push('partitioned')
  if (state.networkChanged) out.push('network changed')
  out.push(...[...state.changedLinks].map((link) => `link ${link} changed`))
  out.push(...[...state.skewed].map((n) => `${n} clock skewed`))
  return out
}

/**
 * The ways a generated plan breaks the rules presets and generators promise: steps out of order
 * or outside [0, durationUs), more than a minority down at once, or faults left in force.
 * A waiting step (`until`, `after`) is counted at its `at`: when it acts depends on the run, so
 * plans checked here (presets, random fault plans) use none.
 */
export function planProblems(plan: Plan, nodeCount: number, durationUs: Micros): string[] {
  const problems: string[] = []
  plan.forEach((step, i) => {
    if (!Number.isInteger(step.at) || step.at < 0 || step.at >= durationUs) {
      problems.push(`step ${i} (${describeStep(step)}) is outside 0..${formatDuration(durationUs)}`)
    }
    if (i > 0 && step.at < plan[i - 1]!.at) problems.push(`step ${i} (${describeStep(step)}) is out of order`)
  })
  const effects = planEffects(plan)
  if (effects.maxDown > minorityOf(nodeCount)) {
    problems.push(`${effects.maxDown} of ${nodeCount} nodes down at ${formatDuration(effects.maxDownAtUs)}`)
  }
  const left = leftovers(effects.final)
  if (left.length > 0) problems.push(`ends with ${left.join(', ')}`)
  return problems
}
