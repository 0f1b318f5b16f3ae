/**
 * Runs a check's indices with a few runs always in flight, and hands their results back in
 * index order up to the first failure. A worker that finishes a run takes the next index at
 * once: runs differ tenfold in length (Raft, 5 nodes: 8 ms to 190 ms, median 23 ms), so waiting
 * for a whole batch before starting the next left 2 workers idle about a fifth of the time.
 * Which runs count does not depend on the order they finish in: the report is the same for any
 * worker count.
 */
import type { RunSummary } from './evaluate.ts'

export interface InOrderResult {
  /** Results of indices[0..n), in that order; the last is the first failure, if any. */
  results: RunSummary[]
  /** True when `overBudget` stopped new runs before the end. */
  outOfTime: boolean
}

/**
 * `run(i)` makes run `indices[i]`. At most `inFlight` runs are pending at once; none starts after
 * a failure at a lower index or once `overBudget()`. Every run started is awaited (a worker
 * pool is never closed under a pending run), and the first error thrown is rethrown.
 */
export async function runInOrder(count: number, inFlight: number, run: (i: number) => Promise<RunSummary>, overBudget: () => boolean): Promise<InOrderResult> {
  const done: Array<RunSummary | undefined> = []
  const pending = new Set<Promise<void>>()
  let next = 0
  let firstFailure = Infinity
  let error: { cause: unknown } | null = null
  let outOfTime = false
  for (;;) {
    while (pending.size < inFlight && next < count && next < firstFailure && error === null && !outOfTime) {
      if (overBudget()) {
        outOfTime = true
        break
      }
      const i = next++
      const settled: Promise<void> = run(i).then(
        (r) => {
          done[i] = r
          if (r.failed) firstFailure = Math.min(firstFailure, i)
        },
        (cause: unknown) => {
          error ??= { cause }
        },
      ).finally(() => pending.delete(settled))
      pending.add(settled)
    }
    if (pending.size === 0) break
    await Promise.race(pending)
    // Runs in this thread are synchronous: let the event loop breathe (a test runner's RPC, timers).
    await new Promise((resolve) => setImmediate(resolve))
  }
  if (error !== null) throw (error as { cause: unknown }).cause
  const last = Math.min(next, firstFailure + 1)
  return { results: done.slice(0, last) as RunSummary[], outOfTime: outOfTime && firstFailure === Infinity }
}
