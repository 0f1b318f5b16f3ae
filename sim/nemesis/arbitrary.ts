/**
 * fast-check arbitraries for plans, built from fast-check primitives so that a failing plan
 * shrinks: steps (or whole fault episodes) are removed, times move earlier, and choices move
 * towards the first, simplest option (heal, crash leader, ...).
 *
 * planArbitrary: any valid plan (parsePlan accepts its JSON form), faults not necessarily undone,
 * waiting steps (`until`) and `isolate` flags included;
 * with `{ commands: true }` it also makes `command` steps (off by default: a command goes to the
 * protocol's onCommand handler, and a protocol without one reports a node error).
 * faultPlanArbitrary: every fault followed by its undo, at most a minority crashed or paused at
 * once, all undone a millisecond before durationUs: for liveness properties.
 */
import fc from 'fast-check'
import { formatDuration, type Micros } from '../time.ts'
import { minorityOf } from './effects.ts'
import { crashFault, pauseFault } from './faults.ts'
import { formatOffset } from './offset.ts'
import { sortSteps } from './plan.ts'
import { MAX_DRIFT_PPM } from './schema.ts'
import { episodesToPlan, lastUndoUs, mostAtOnce, type Episode, type FaultPair } from './timeline.ts'
import { WAITING_ACTIONS, type NodeSelector, type Plan, type PlanAction, type PlanStep } from './types.ts'
import { isSelectorWord } from './selectors.ts'

type NetworkAction = Extract<PlanAction, { do: 'network' }>
type Ids = readonly string[]

const MAX_STEPS = 30
const MAX_EPISODES = 12

export interface ActionOptions {
  /** Also make `command` steps (default false): scenario-only, so fault generators leave them out. */
  commands?: boolean
}

export function planArbitrary(nodes: Ids, durationUs: Micros, options: ActionOptions = {}): fc.Arbitrary<Plan> {
  const at = fc.integer({ min: 0, max: Math.max(0, durationUs - 1) })
  // Shrinks towards no window and no isolate flag: the plain step.
  const windowUs = fc.option(fc.integer({ min: 1, max: Math.max(1, durationUs) }), { nil: undefined })
  const step = fc
    .tuple(at, actionArbitrary(nodes, options), windowUs, fc.boolean())
    .map(([atUs, action, waitUs, isolate]): PlanStep => withExtras({ ...action, at: atUs }, waitUs, isolate))
  return fc.array(step, { maxLength: MAX_STEPS }).map(sortSteps)
}

/** Adds a waiting window where the step may have one (a one-node action on a selector word), and the isolate flag to crash and pause. */
function withExtras(step: PlanStep, waitUs: Micros | undefined, isolate: boolean): PlanStep {
  const out: PlanStep = isolate && (step.do === 'crash' || step.do === 'pause') ? { ...step, isolate: true } : step
  const word = 'node' in step && isSelectorWord(step.node)
  return waitUs !== undefined && word && (WAITING_ACTIONS as readonly string[]).includes(step.do) ? { ...out, until: step.at + waitUs } : out
}

/** Any single valid action over these nodes; the simplest (heal) first, so shrinking heads there. */
export function actionArbitrary(nodes: Ids, options: ActionOptions = {}): fc.Arbitrary<PlanAction> {
  const up = selector(nodes, ['leader', 'random'])
  const single = <D extends 'crash' | 'restart' | 'pause' | 'resume'>(name: D, words: NodeSelector[]) =>
    selector(nodes, words).map((node) => ({ do: name, node }) as PlanAction)
  const actions: Array<fc.Arbitrary<PlanAction>> = [
    fc.constant<PlanAction>({ do: 'heal' }),
    single('crash', ['leader', 'random']),
    single('restart', ['crashed']),
    single('pause', ['leader', 'random']),
    single('resume', ['paused']),
    partitionArbitrary(nodes),
    networkArbitrary(nodes),
    clockArbitrary(up),
  ]
  if (options.commands === true) actions.push(commandArbitrary(nodes))
  return fc.oneof(...actions)
}

/** The command types commandArbitrary draws from, the way Redis Cluster and Raft scenarios use them. */
export const COMMAND_TYPES = ['cluster-failover', 'cluster-meet', 'transfer-leadership'] as const

/**
 * A `command` step for a node up at the time (an id, 'leader' or 'random'): one of COMMAND_TYPES,
 * with optional fields (a flag, a node id, any JSON as `args`) in the form parsePlan gives back.
 */
export function commandArbitrary(nodes: Ids): fc.Arbitrary<PlanAction> {
  const fields = {
    type: fc.constantFrom(...COMMAND_TYPES),
    force: fc.boolean(),
    ...(nodes.length > 0 ? { target: fc.constantFrom(...nodes) } : {}),
    // Through JSON text, as a plan file holds it: -0 becomes 0, a "__proto__" key stays a field.
    args: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  }
  const command = fc.record(fields, { requiredKeys: ['type'] })
  return fc.tuple(selector(nodes, ['leader', 'random']), command).map(([node, body]): PlanAction => ({ do: 'command', node, command: body }))
}

function selector(nodes: Ids, words: readonly NodeSelector[]): fc.Arbitrary<NodeSelector> {
  return fc.constantFrom(...words, ...nodes)
}

/** Every partition action, each valid for these nodes (groups and one-way need ids to work with). */
export function partitionArbitrary(nodes: Ids): fc.Arbitrary<PlanAction> {
  const up = selector(nodes, ['leader', 'random'])
  const shapes: Array<fc.Arbitrary<PlanAction>> = [
    fc.constantFrom<PlanAction>({ do: 'halves' }, { do: 'random-halves' }, { do: 'majorities-ring' }, { do: 'bridge' }),
    fc.uniqueArray(up, { minLength: 1, maxLength: nodes.length + 2 }).map((list): PlanAction => ({ do: 'isolate', nodes: list })),
    oneWayArbitrary(up),
  ]
  if (nodes.length > 0) shapes.push(groupsArbitrary(nodes))
  return fc.oneof(...shapes)
}

function groupsArbitrary(nodes: Ids): fc.Arbitrary<PlanAction> {
  const placed = fc.uniqueArray(fc.tuple(fc.constantFrom(...nodes), fc.nat({ max: 2 })), { minLength: 1, selector: ([id]) => id })
  return placed.map((pairs): PlanAction => {
    const groups = [0, 1, 2].map((g) => pairs.filter(([, group]) => group === g).map(([id]) => id))
    return { do: 'groups', groups: groups.filter((g) => g.length > 0) }
  })
}

/** Each chosen node goes to `from` or `to`, so no node id is on both sides. */
function oneWayArbitrary(up: fc.Arbitrary<NodeSelector>): fc.Arbitrary<PlanAction> {
  return fc
    .uniqueArray(fc.tuple(up, fc.boolean()), { minLength: 2, maxLength: 8, selector: ([node]) => node })
    .map((sides): PlanAction => ({
      do: 'one-way',
      from: sides.filter(([, isFrom]) => isFrom).map(([node]) => node),
      to: sides.filter(([, isFrom]) => !isFrom).map(([node]) => node),
    }))
    .filter((action) => action.do === 'one-way' && action.from.length > 0 && action.to.length > 0)
}

const probabilityArbitrary = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000)
const latencyUs = fc.integer({ min: 1, max: 200_000 })

/** Latency spec strings of every form parseLatency reads. */
export const latencyArbitrary: fc.Arbitrary<string> = fc.oneof(
  latencyUs.map((us) => `fixed:${formatDuration(us)}`),
  fc.tuple(latencyUs, latencyUs).map(([a, b]) => `uniform:${formatDuration(Math.min(a, b))}..${formatDuration(Math.max(a, b))}`),
  latencyUs.map((us) => `exp:${formatDuration(us)}`),
  fc.tuple(latencyUs, latencyUs).map(([floor, mean]) => `exp:${formatDuration(floor)}+${formatDuration(mean)}`),
  fc.tuple(latencyUs, latencyUs).map(([a, b]) => `longtail:${formatDuration(Math.min(a, b))}..${formatDuration(Math.max(a, b))}`),
)

function linksArbitrary(nodes: Ids): fc.Arbitrary<Array<[string, string]>> {
  const link = fc.tuple(fc.constantFrom(...nodes), fc.constantFrom(...nodes)).filter(([from, to]) => from !== to)
  return fc.uniqueArray(link, { minLength: 1, maxLength: 6, selector: ([from, to]) => `${from}->${to}` })
}

/** A network change with at least one knob; links only when there are two nodes to link. */
export function networkArbitrary(nodes: Ids): fc.Arbitrary<PlanAction> {
  const fields = {
    reset: fc.constant(true as const),
    latency: latencyArbitrary,
    loss: probabilityArbitrary,
    duplicate: probabilityArbitrary,
    reorder: probabilityArbitrary,
    ...(nodes.length >= 2 ? { links: linksArbitrary(nodes) } : {}),
  }
  return fc
    .record(fields, { requiredKeys: [] })
    .filter((f) => ['reset', 'latency', 'loss', 'duplicate', 'reorder'].some((knob) => knob in f))
    .map((f): NetworkAction => ({ do: 'network', ...f }))
}

const offsetArbitrary = fc.integer({ min: -5_000_000, max: 5_000_000 }).map(formatOffset)
const driftArbitrary = fc.integer({ min: -MAX_DRIFT_PPM, max: MAX_DRIFT_PPM })

function clockArbitrary(node: fc.Arbitrary<NodeSelector>): fc.Arbitrary<PlanAction> {
  return fc.oneof(
    fc.tuple(node, offsetArbitrary).map(([n, offset]): PlanAction => ({ do: 'clock', node: n, offset })),
    fc.tuple(node, driftArbitrary).map(([n, driftPpm]): PlanAction => ({ do: 'clock', node: n, driftPpm })),
    fc.tuple(node, offsetArbitrary, driftArbitrary).map(([n, offset, driftPpm]): PlanAction => ({ do: 'clock', node: n, offset, driftPpm })),
  )
}

/** A fault and its undo. Crash and pause pick by selector word, so "restart crashed" always undoes them. */
function faultPairArbitrary(nodes: Ids): fc.Arbitrary<FaultPair> {
  const heal: PlanAction = { do: 'heal' }
  const word = fc.constantFrom<NodeSelector>('leader', 'random')
  const pairs: Array<fc.Arbitrary<FaultPair>> = [
    partitionArbitrary(nodes).map((action) => ({ apply: [action], undo: [heal] })),
    word.map(crashFault),
    word.map(pauseFault),
    networkArbitrary(nodes).map((action) => ({ apply: [action], undo: [networkUndo(action)] })),
  ]
  if (nodes.length > 0) {
    const clock = fc.tuple(fc.constantFrom(...nodes), offsetArbitrary, driftArbitrary)
    pairs.push(
      clock.map(([node, offset, driftPpm]) => ({
        apply: [{ do: 'clock', node, offset, driftPpm }],
        undo: [{ do: 'clock', node, offset: '0ms', driftPpm: 0 }],
      })),
    )
  }
  return fc.oneof(...pairs)
}

function networkUndo(action: PlanAction): PlanAction {
  const links = action.do === 'network' ? action.links : undefined
  return links === undefined ? { do: 'network', reset: true } : { do: 'network', reset: true, links: links.map(([a, b]) => [a, b]) }
}

export function faultPlanArbitrary(nodes: Ids, durationUs: Micros): fc.Arbitrary<Plan> {
  const endUs = lastUndoUs(durationUs)
  if (endUs < 1) return fc.constant([])
  const episode = fc.record({
    startUs: fc.integer({ min: 0, max: endUs - 1 }),
    lengthUs: fc.integer({ min: 1, max: endUs }),
    fault: faultPairArbitrary(nodes),
  })
  return fc.array(episode, { maxLength: MAX_EPISODES }).map((drawn) => {
    const episodes = drawn
      .map(({ startUs, lengthUs, fault }): Episode => ({ startUs, endUs: Math.min(startUs + lengthUs, endUs), ...fault }))
      .sort((a, b) => a.startUs - b.startUs)
    return episodesToPlan(withinDownBudget(episodes, minorityOf(nodes.length)))
  })
}

/** Drops crash and pause episodes that would take more than `budget` nodes down at once. */
function withinDownBudget(episodes: readonly Episode[], budget: number): Episode[] {
  const down: Episode[] = []
  return episodes.filter((e) => {
    const takesDown = e.apply.some((a) => a.do === 'crash' || a.do === 'pause')
    if (!takesDown) return true
    if (mostAtOnce([...down, e], e.startUs, e.endUs) > budget) return false
    down.push(e)
    return true
  })
}
