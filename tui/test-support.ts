/** Traces and sessions for the viewer's tests (imported by *.test.ts files only). */
import { raft } from '../protocols/raft/index.ts'
import { pingpong } from '../sim/builtin/pingpong.ts'
import type { PlanStep } from '../sim/nemesis/types.ts'
import { applyNetworkChange, defaultNetworkConfig } from '../sim/network/config.ts'
import { traced } from '../sim/testing.ts'
import { US_PER_MS } from '../sim/time.ts'
import type { EventOf, TraceEvent } from '../sim/trace/events.ts'
import { Session } from './session.ts'

/** A 3-node pingpong run: a one-way cut, an isolation, a crash and restart, a duplicate-prone network. */
export function faultyRun(seed = 0x2a) {
  const plan: PlanStep[] = [
    { at: 100 * US_PER_MS, do: 'one-way', from: ['n1'], to: ['n2'] },
    { at: 200 * US_PER_MS, do: 'isolate', nodes: ['n1'] },
    { at: 300 * US_PER_MS, do: 'heal' },
    { at: 350 * US_PER_MS, do: 'crash', node: 'n2' },
    { at: 450 * US_PER_MS, do: 'restart', node: 'n2' },
  ]
  return traced({ protocol: pingpong, seed, nodes: 3, plan, network: applyNetworkChange(defaultNetworkConfig(), { duplicate: 0.05 }), workload: { clients: 1 }, checkpointEvery: 200 }, 600 * US_PER_MS)
}

/** pingpong's skip-sync mutant losing its boot counter at a crash: a run that ends in a violation. */
export function violatingRun(seed = 0x2a) {
  const plan: PlanStep[] = [
    { at: 100 * US_PER_MS, do: 'crash', node: 'n1' },
    { at: 150 * US_PER_MS, do: 'restart', node: 'n1' },
  ]
  return traced({ protocol: pingpong, seed, nodes: 3, plan, mutant: 'skip-sync', loseUnsyncedWrites: true, workload: { clients: 0 } }, 400 * US_PER_MS)
}

/** Opened from the run's text as `replay` opens a file: events parsed when asked for. */
export function sessionOf(run: ReturnType<typeof faultyRun>, source = 'test.jsonl'): Session {
  return Session.fromText(run.text, { source })
}

/** Every event of a session, in order. */
export function allEvents(session: Session): TraceEvent[] {
  return Array.from({ length: session.length }, (_, i) => session.event(i))
}

/**
 * A Raft run carrying a scenario header as the scenario runner writes it (traceMeta
 * `{ scenario }`): 3 nodes, the leader isolated at 400 ms and the partition healed at 800 ms.
 * The captions' events are found in a first run and the run is made again with them in its
 * header: the header changes no event, so their indexes hold.
 */
export function scenarioRun(seed = 0x2a) {
  const options = {
    protocol: raft, seed, nodes: 3, workload: { clients: 0 },
    plan: [{ at: 400 * US_PER_MS, do: 'isolate', nodes: ['leader'] }, { at: 800 * US_PER_MS, do: 'heal' }] as PlanStep[],
  }
  const untilUs = 1200 * US_PER_MS
  const events = traced(options, untilUs).events
  const first = (match: (e: TraceEvent) => boolean): TraceEvent => events.find(match)!
  const note = (kind: string, node?: string) => first((e) => e.type === 'note' && e.kind === kind && (node === undefined || e.node === node)) as EventOf<'note'>
  const caption = (e: TraceEvent, text: string) => ({ i: e.i, t: e.t, text })
  const elected = note('became leader')
  const stepped = note('stepped down')
  const scenario = {
    name: 'raft-isolated-leader',
    summary: 'An isolated leader steps down by check-quorum while the majority elects a new one.',
    claims: [1, 3],
    variant: null,
    captions: [
      caption(note('election started'), `${elected.node}'s election timer fires first: it becomes a candidate, votes for itself and asks the others for theirs.`),
      caption(elected, 'A majority voted for it: it leads term 1.'),
      caption(elected, 'Its first AppendEntries will tell the others.'),
      caption(first((e) => e.type === 'partition'), 'The leader is cut off from both followers; it does not know yet, and keeps sending heartbeats that the network drops.'),
      caption(stepped, 'Check-quorum: the leader has heard from no majority within an election timeout, so it steps down rather than keep serving reads it cannot vouch for. '
        + 'This is etcd-io/raft\'s CheckQuorum option, not part of the Raft paper\'s basic algorithm: without it the old leader would stay leader of term 1 until it heard of term 2.'),
      caption(note('became leader', 'n3'), 'The majority side elects n3 in term 2.'),
    ],
    expect: [
      { says: 'one leader in term 2', ok: true, detail: 'saw 1', i: note('became leader', 'n3').i },
      { says: 'the isolated leader steps down', ok: false, detail: 'flipped to fail on purpose', i: stepped.i },
      { says: 'no violation', ok: true, detail: '', i: null },
    ],
  }
  return { scenario, ...traced({ ...options, traceMeta: { scenario } }, untilUs) }
}
