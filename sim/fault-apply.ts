/**
 * Carries out one nemesis action on a running simulation: resolves its node selectors
 * (with the "nemesis" stream, at the moment the step runs) and calls the engine's fault
 * operations. A step whose selector finds nobody (no leader yet, nothing crashed) is
 * skipped and says so in the trace.
 */
import type { Simulation } from './engine.ts'
import { parseOffset } from './nemesis/offset.ts'
import type { SelectorWord } from './nemesis/selectors.ts'
import type { NodeSelector, PlanAction } from './nemesis/types.ts'
import { bridgeCut, groupsCut, halvesCut, isolateCut, majoritiesRingCut, oneWayCut, randomHalvesCut } from './network/shapes.ts'
import type { NodeSlot } from './node-slot.ts'
import type { NodeId, NodeView } from './protocol.ts'
import type { RandomStream } from './random.ts'

export interface FaultTarget {
  nodeIds: readonly NodeId[]
  rng: RandomStream
  slots: readonly NodeSlot[]
  sim: Simulation
  skip(step: number | undefined, reason: string): void
  /** A node's view, or null if view() threw (reported as a node error by the engine). */
  viewOf(slot: NodeSlot): NodeView | null
}

export function applyPlanAction(target: FaultTarget, action: PlanAction, step: number | undefined): void {
  const { sim, nodeIds, rng } = target
  const one = (selector: NodeSelector, then: (id: NodeId) => void): void => {
    const id = resolveSelector(target, selector)
    if (id === null) target.skip(step, `no node matches '${selector}' for ${action.do}`)
    else then(id)
  }
  switch (action.do) {
    case 'crash': return one(action.node, (id) => stop(target, action, id, step, () => sim.crash(id, step)))
    case 'restart': return one(action.node, (id) => sim.restart(id, step))
    case 'pause': return one(action.node, (id) => stop(target, action, id, step, () => sim.pause(id, step)))
    case 'resume': return one(action.node, (id) => sim.resume(id, step))
    case 'clock': return one(action.node, (id) => sim.setClock(id, clockChange(action), step))
    case 'command': return one(action.node, (id) => sim.command(id, action.command, step))
    case 'invoke':
      // `to` only picks the first attempt's node: with no leader to name, the client chooses as usual.
      return sim.invokeClient(action.client, action.op, action.to === undefined ? undefined : (resolveSelector(target, action.to) ?? undefined), step)
    case 'isolate': return withNodes(target, action.nodes, step, (ids) => sim.setPartition(isolateCut(ids, nodeIds), step))
    case 'one-way':
      return withNodes(target, action.from, step, (from) =>
        withNodes(target, action.to, step, (to) => sim.setPartition(oneWayCut(from, to, nodeIds), step)))
    case 'halves': return sim.setPartition(halvesCut(nodeIds), step)
    case 'random-halves': return sim.setPartition(randomHalvesCut(nodeIds, rng), step)
    case 'majorities-ring': return sim.setPartition(majoritiesRingCut(nodeIds, rng), step)
    case 'bridge': return sim.setPartition(bridgeCut(nodeIds, rng), step)
    case 'groups': return sim.setPartition(groupsCut(action.groups, nodeIds), step)
    case 'heal': return sim.setPartition(null, step)
    case 'network': {
      const { do: _do, ...change } = action
      delete (change as { at?: unknown }).at
      return sim.changeNetwork(change, step)
    }
  }
}

/** Crash or pause, cut off first when the step says `isolate`: the partition drops what the node still has in flight. */
function stop(target: FaultTarget, action: { do: string; isolate?: true }, id: NodeId, step: number | undefined, then: () => void): void {
  // A node the action cannot stop (already crashed, or not up for a pause) is not cut off either: the action skips it.
  const status = target.slots.find((s) => s.id === id)?.status
  const stoppable = action.do === 'crash' ? status !== 'crashed' : status === 'up'
  if (action.isolate === true && stoppable) target.sim.setPartition(isolateCut([id], target.nodeIds), step)
  then()
}

function clockChange(action: Extract<PlanAction, { do: 'clock' }>): { offsetUs?: number; driftPpm?: number } {
  const change: { offsetUs?: number; driftPpm?: number } = {}
  if (action.offset !== undefined) change.offsetUs = parseOffset(action.offset)
  if (action.driftPpm !== undefined) change.driftPpm = action.driftPpm
  return change
}

function withNodes(target: FaultTarget, selectors: readonly NodeSelector[], step: number | undefined, then: (ids: NodeId[]) => void): void {
  const ids = [...new Set(selectors.map((s) => resolveSelector(target, s)).filter((id): id is NodeId => id !== null))]
  if (ids.length === 0) target.skip(step, `no node matches ${selectors.join(', ')}`)
  else then(ids)
}

/** A node id, or the node a selector word picks now; null when none fits. */
export function resolveSelector(target: FaultTarget, selector: NodeSelector, among?: ReadonlySet<NodeId>): NodeId | null {
  const { rng } = target
  const slots = among === undefined ? target.slots : target.slots.filter((s) => among.has(s.id))
  switch (selector) {
    case 'random': {
      const up = slots.filter((s) => s.status === 'up')
      return up.length > 0 ? rng.pick(up).id : null
    }
    case 'crashed': return oldest(slots.filter((s) => s.status === 'crashed'))
    case 'paused': return oldest(slots.filter((s) => s.status === 'paused'))
    case 'leader': return currentLeader(slots, rng, target.viewOf)
    default: return slots.some((s) => s.id === selector) ? selector : null
  }
}

/**
 * Every node a selector word could pick now, in node order, without drawing from the stream:
 * "leader" any running node whose view says it leads (whatever its term), "random" any node up.
 */
export function nodesMatching(target: FaultTarget, word: SelectorWord): NodeId[] {
  const ids: NodeId[] = []
  for (const s of target.slots) {
    const matches = word === 'crashed' ? s.status === 'crashed' : word === 'paused' ? s.status === 'paused' : s.status === 'up' && (word === 'random' || target.viewOf(s)?.leads === true)
    if (matches) ids.push(s.id)
  }
  return ids
}

function oldest(slots: NodeSlot[]): NodeId | null {
  let best: NodeSlot | null = null
  for (const s of slots) if (best === null || s.since < best.since) best = s
  return best?.id ?? null
}

/**
 * Among running nodes whose view says they lead, the one with the highest term (ties: a
 * random one). A paused node is not running: it may believe it leads while another does.
 */
function currentLeader(slots: readonly NodeSlot[], rng: RandomStream, viewOf: (slot: NodeSlot) => NodeView | null): NodeId | null {
  const leaders = slots
    .filter((s) => s.status === 'up')
    .map((s) => ({ id: s.id, view: viewOf(s) }))
    .filter((x): x is { id: NodeId; view: NodeView } => x.view?.leads === true)
  if (leaders.length === 0) return null
  // A term that is not a finite number (a protocol's slip) counts as 0 rather than poisoning the choice.
  const termOf = (v: NodeView): number => (typeof v.term === 'number' && Number.isFinite(v.term) ? v.term : 0)
  const top = leaders.reduce((most, x) => Math.max(most, termOf(x.view)), Number.NEGATIVE_INFINITY)
  return rng.pick(leaders.filter((x) => termOf(x.view) === top)).id
}
