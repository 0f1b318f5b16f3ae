/**
 * Builds plans out of fault episodes: a fault applied at startUs and undone at endUs. Presets
 * and the swarm generator lay episodes out on tracks, one per sort of fault, then flatten them
 * into a plan. Every episode carries its own undo, so a plan built here ends with everything
 * undone as long as each track does.
 */
import type { RandomStream } from '../random.ts'
import { US_PER_MS, US_PER_S, type Micros } from '../time.ts'
import type { Plan, PlanAction, PlanStep } from './types.ts'

export interface Episode {
  startUs: Micros
  endUs: Micros
  apply: PlanAction[]
  undo: PlanAction[]
}

export interface FaultPair {
  apply: PlanAction[]
  undo: PlanAction[]
}

/** How often faults come and how long they last: inclusive [min, max] ranges. */
export interface Pace {
  gapUs: readonly [Micros, Micros]
  lengthUs: readonly [Micros, Micros]
}

/** Below this run length the default 1-5 s rhythm is scaled down, so short runs still see faults. */
export const FULL_PACE_DURATION_US = 20 * US_PER_S
const MIN_PACE_SCALE = 0.05

/** A pace in seconds (tuned for full-length runs), scaled down for runs shorter than 20 s. */
export function paceFor(durationUs: Micros, gapS: readonly [number, number], lengthS: readonly [number, number]): Pace {
  const scale = Math.min(1, Math.max(MIN_PACE_SCALE, durationUs / FULL_PACE_DURATION_US))
  const us = ([lo, hi]: readonly [number, number]) => [lo * scale * US_PER_S, hi * scale * US_PER_S] as const
  return { gapUs: us(gapS), lengthUs: us(lengthS) }
}

/** A time in [lo, hi] on a whole millisecond, so plans read as "2345ms", not "2345.678ms". */
export function drawUs(rng: RandomStream, [loUs, hiUs]: readonly [Micros, Micros]): Micros {
  const loMs = Math.ceil(loUs / US_PER_MS)
  return rng.int(loMs, Math.max(loMs, Math.floor(hiUs / US_PER_MS))) * US_PER_MS
}

/** The last moment an undo may run: a whole millisecond before the run ends. */
export const lastUndoUs = (durationUs: Micros): Micros => durationUs - US_PER_MS

/**
 * One fault at a time: wait a gap, apply, wait the fault's length, undo, repeat. The last
 * episode is cut short so its undo lands by endUs; none starts unless its shortest length fits.
 */
export function sequentialTrack(rng: RandomStream, endUs: Micros, pace: Pace, make: (rng: RandomStream) => FaultPair): Episode[] {
  const episodes: Episode[] = []
  for (let startUs = drawUs(rng, pace.gapUs); startUs + pace.lengthUs[0] <= endUs; ) {
    const episodeEndUs = Math.min(startUs + drawUs(rng, pace.lengthUs), endUs)
    episodes.push({ startUs, endUs: episodeEndUs, ...make(rng) })
    startUs = episodeEndUs + drawUs(rng, pace.gapUs)
  }
  return episodes
}

/**
 * Faults that may overlap, but never more than `budget` at once counting `occupied` (episodes
 * of other tracks that share the budget, such as crashes and pauses sharing "a minority down").
 * A candidate that would overrun the budget anywhere in its span is skipped.
 */
export function budgetTrack(
  rng: RandomStream,
  endUs: Micros,
  pace: Pace,
  budget: number,
  occupied: readonly Episode[],
  make: (rng: RandomStream) => FaultPair,
): Episode[] {
  const episodes: Episode[] = []
  // Candidates start ever later, so only episodes still in force can matter: keep a sliding
  // window of them (linear in the run's length; a scan of all earlier ones was cubic).
  const others = [...occupied].sort((a, b) => a.startUs - b.startUs)
  let nextOther = 0
  let live: Episode[] = []
  for (let startUs = drawUs(rng, pace.gapUs); startUs + pace.lengthUs[0] <= endUs; startUs += drawUs(rng, pace.gapUs)) {
    const episodeEndUs = Math.min(startUs + drawUs(rng, pace.lengthUs), endUs)
    while (nextOther < others.length && others[nextOther]!.startUs <= episodeEndUs) live.push(others[nextOther++]!)
    live = live.filter((e) => e.endUs >= startUs)
    if (mostAtOnce(live, startUs, episodeEndUs) >= budget) continue
    const episode = { startUs, endUs: episodeEndUs, ...make(rng) }
    episodes.push(episode)
    live.push(episode)
  }
  return episodes
}

/**
 * The most episodes in force at any moment of [fromUs, toUs]. Spans count as closed: an episode
 * ending at t and another starting at t overlap, since the order of their steps at t is up to
 * the plan's tie order, and the budget must hold whichever runs first.
 */
export function mostAtOnce(episodes: readonly Episode[], fromUs: Micros, toUs: Micros): number {
  const moments = [fromUs, ...episodes.map((e) => e.startUs).filter((t) => t > fromUs && t <= toUs)]
  const inForce = (t: Micros) => episodes.filter((e) => e.startUs <= t && e.endUs >= t).length
  return moments.reduce((most, t) => Math.max(most, inForce(t)), 0)
}

/** The plan: each episode's apply steps at its start and undo steps at its end; ties keep the episodes' order. */
export function episodesToPlan(episodes: readonly Episode[]): Plan {
  // Plain loops and one in-place stable sort: the checker builds some twenty of these a run.
  const steps: Plan = []
  for (const e of episodes) {
    for (const action of e.apply) steps.push({ ...action, at: e.startUs })
    for (const action of e.undo) steps.push({ ...action, at: e.endUs })
  }
  return steps.sort(byTime)
}

const byTime = (a: PlanStep, b: PlanStep): number => a.at - b.at

/** Episodes in start order (stable), as many as fit in maxSteps; stops at the first that does not. */
export function firstEpisodes(episodes: readonly Episode[], maxSteps: number): Episode[] {
  const byStart = [...episodes].sort((a, b) => a.startUs - b.startUs)
  const kept: Episode[] = []
  let steps = 0
  for (const e of byStart) {
    steps += e.apply.length + e.undo.length
    if (steps > maxSteps) break
    kept.push(e)
  }
  return kept
}
