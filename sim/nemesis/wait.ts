/**
 * Waiting steps: a step with `until` does not act at `at`; it notes which nodes its selector
 * word (or its `when` word) matches then, and from then on, after every event until `until`,
 * looks for a node that starts to match ("leader": a node that starts to lead, including one that
 * led at `at`, stepped down and wins again). The moment one appears it acts, once: on that node, or with `when`, on its own node
 * (so several steps can act together at the moment a new leader wins), or with `after`, that
 * long after the moment (still on the node it saw: "crash the new leader 900ms after it wins"). A plan cannot watch the cluster, so without this
 * a tactic has to poll ("isolate and pause the leader" every few milliseconds), and a shrinker
 * cannot remove polling steps without losing the moment they hit.
 *
 * The engine calls `check` only while a window is open, so plans without waiting steps pay one
 * comparison per event. Choices among several new nodes use the nemesis stream, as selectors do.
 */
import { applyPlanAction, nodesMatching, resolveSelector, type FaultTarget } from '../fault-apply.ts'
import type { NodeId } from '../protocol.ts'
import { NEMESIS } from '../queue-event.ts'
import { formatDuration, type Micros } from '../time.ts'
import { describeWaitFired } from './describe.ts'
import { isSelectorWord, type SelectorWord } from './selectors.ts'
import type { PlanStep } from './types.ts'

/** NEMESIS queue-event targets for waiting steps (a step's own event has -1): its window's end, and a delayed action. */
export const WINDOW_END = 1
export const DELAYED_ACTION = 2

interface OpenWait {
  readonly index: number
  readonly step: PlanStep
  readonly word: SelectorWord
  /** The nodes the word has matched since `at` without a break: they are not new. One that stops matching leaves. */
  before: Set<NodeId>
}

export class PlanWaits {
  private open: OpenWait[] = []
  /** Steps with `after` that have seen their node, by step index: the node they act on when their time comes. */
  private readonly delayed = new Map<number, { wait: OpenWait; node: NodeId }>()

  /** True while a waiting step's window is open. */
  get watching(): boolean {
    return this.open.length > 0
  }

  /** At the step's `at`: opens its window (parsePlan guarantees a selector word on a one-node action). */
  start(target: FaultTarget, step: PlanStep, index: number): void {
    const word = step.when ?? ('node' in step ? step.node : '')
    if (!isSelectorWord(word)) return target.skip(index, `a waiting ${step.do} needs a selector word to watch, not '${word}'`)
    this.open.push({ index, step, word, before: new Set(nodesMatching(target, word)) })
  }

  /**
   * After an event: each open step whose word now matches a node that it did not match just
   * before acts and closes. All steps judge the same moment first, then act in plan order (so
   * `when` steps waiting for the same new leader all fire, even after the first has paused it);
   * then steps that wait for what those actions did (a node newly crashed) get their turn, at the
   * same moment. True if any acted.
   */
  check(target: FaultTarget, nowUs: Micros): boolean {
    let acted = false
    // Each round closes at least one step, or leaves the loop.
    while (this.open.length > 0) {
      const matching = new Map<SelectorWord, NodeId[]>()
      const now = (word: SelectorWord) => matching.get(word) ?? matching.set(word, nodesMatching(target, word)).get(word)!
      const due: Array<{ wait: OpenWait; fresh: NodeId[] }> = []
      for (const wait of this.open) {
        const current = now(wait.word)
        const fresh = current.filter((id) => !wait.before.has(id))
        for (const id of wait.before) if (!current.includes(id)) wait.before.delete(id)
        if (fresh.length > 0) due.push({ wait, fresh })
      }
      if (due.length === 0) break
      let closed = 0
      for (const { wait, fresh } of due) {
        // A step that acts on the new node itself finds it again, unless an earlier step of this
        // round took it away (paused the new leader): then it waits on, for a node new after that.
        const nodes = wait.step.when === undefined ? fresh.filter((id) => nodesMatching(target, wait.word).includes(id)) : fresh
        if (nodes.length === 0) continue
        this.open = this.open.filter((w) => w !== wait)
        this.act(target, wait, nodes, nowUs)
        closed++
      }
      if (closed === 0) break
      acted = true
    }
    return acted
  }

  private act(target: FaultTarget, wait: OpenWait, fresh: NodeId[], nowUs: Micros): void {
    const id = resolveSelector(target, wait.word, new Set(fresh)) ?? fresh[0]!
    target.sim.note('nemesis', 'waited', { step: wait.index, node: id, text: describeWaitFired(wait.step, id, nowUs) })
    const afterUs = wait.step.after ?? 0
    if (afterUs > 0) {
      this.delayed.set(wait.index, { wait, node: id })
      target.sim.push(nowUs + afterUs, NEMESIS, DELAYED_ACTION, wait.index)
    } else {
      this.apply(target, wait, id)
    }
  }

  /** A delayed step's time has come: it acts now. */
  actDelayed(target: FaultTarget, index: number): void {
    const entry = this.delayed.get(index)
    if (entry === undefined) return
    this.delayed.delete(index)
    this.apply(target, entry.wait, entry.node)
  }

  private apply(target: FaultTarget, wait: OpenWait, node: NodeId): void {
    // Without `when` the step acts on the new node; with it, on its own node, resolved now.
    applyPlanAction(target, wait.step.when === undefined ? ({ ...wait.step, node } as PlanStep) : wait.step, wait.index)
  }

  /** At the step's `until`: a window still open closes, and the trace says nothing came. */
  end(target: FaultTarget, index: number): void {
    const wait = this.open.find((w) => w.index === index)
    if (wait === undefined) return
    this.open = this.open.filter((w) => w !== wait)
    const { step } = wait
    target.skip(index, `no new '${wait.word}' for ${step.do} between ${formatDuration(step.at)} and ${formatDuration(step.until ?? step.at)}`)
  }
}
