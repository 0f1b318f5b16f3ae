/**
 * Fault tactics for `faultline check`: plan generators for the known-dangerous patterns of Redis
 * Cluster that random plans almost never hit, each an exact interleaving:
 *
 * - two replicas of one master starting elections in the same epoch (CLUSTER FAILOVER FORCE on
 *   both at nearly the same moment): every master must vote once per epoch (double-vote);
 * - two replicas of one master taking the same configEpoch without agreement (CLUSTER FAILOVER
 *   TAKEOVER on both, the spec's configEpoch collision case): the collision rule must resolve it
 *   (no-epoch-collision);
 * - a master cut off (crashed or isolated) long enough for a replica to be promoted, then back
 *   with its stale claim: the higher configEpoch must win (ignore-config-epoch);
 * - a master with two replicas at different offsets crashes: the one that lags must wait its
 *   rank delay before asking for votes (no-rank-delay).
 *
 * Targets and times come from `random`; each plan is an ordinary nemesis plan, safe for the
 * correct protocol, with every fault undone before `faultUs`.
 */
import type { Plan, PlanStep } from '../../sim/nemesis/types.ts'
import type { FaultTactic, NodeId } from '../../sim/protocol.ts'
import { type Micros, US_PER_MS, US_PER_S } from '../../sim/time.ts'
import { parseConfig } from './config.ts'
import { mastersAtCreation, replicaPlacement } from './persist.ts'

/**
 * Three masters, so a failover needs two votes and a failed master's replicas must ask the two
 * others; with 7 or 9 nodes (round-robin placement) n1 has replicas n4 and n7.
 */
const MASTERS = 3

/** redis-cli's create, MEETs, replication and the writable delay are done by 2.1 s (measured on 6 to 9 nodes). */
const CLUSTER_READY_US = 2500 * US_PER_MS

/**
 * Two commands count as "at once" when the second runs before any message from the first can
 * arrive: the check's latencies start at 1 ms.
 */
const SAME_MOMENT_US = 800

/** Node timeouts of the cut-off tactic: small enough that failure detection and an election fit in a 10 s fault phase. */
const CUT_OFF_NODE_TIMEOUTS_MS = [1000, 1500] as const

/**
 * How long a master stays cut off: the largest node timeout (PFAIL), the FAIL broadcast, the
 * election delay (500 ms + up to 500 ms + 1 s per better-ranked sibling) and the winner's PONG.
 */
const CUT_OFF_HOLD_US = (Math.max(...CUT_OFF_NODE_TIMEOUTS_MS) + 3000) * US_PER_MS

type Draw = Parameters<FaultTactic['plan']>[0]

/** Each master of the cluster redis-cli would create on these nodes, with its replicas. */
export function replicasByMaster(nodeIds: readonly NodeId[]): Map<NodeId, NodeId[]> {
  const config = parseConfig({ masters: MASTERS })
  const masters = mastersAtCreation(config, nodeIds.length)
  const out = new Map<NodeId, NodeId[]>(nodeIds.slice(0, masters).map((id) => [id, []]))
  for (const [replica, master] of Object.entries(replicaPlacement(config, nodeIds, masters))) out.get(master)?.push(replica)
  return out
}

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new Error('pick from an empty list')
  return item
}

/** A whole number of microseconds, uniform in [fromUs, toUs] (fromUs when the range is empty). */
function between(fromUs: Micros, toUs: Micros, random: () => number): Micros {
  return Math.round(fromUs + Math.max(0, toUs - fromUs) * random())
}

/** Two distinct replicas of one master that has at least two, in random order; null if none has. */
function siblingPair(nodeIds: readonly NodeId[], random: () => number): [NodeId, NodeId] | null {
  const withTwo = [...replicasByMaster(nodeIds).values()].filter((replicas) => replicas.length >= 2)
  if (withTwo.length === 0) return null
  const replicas = [...pick(withTwo, random)]
  const first = replicas.splice(Math.floor(random() * replicas.length), 1)[0]!
  return [first, pick(replicas, random)]
}

/** CLUSTER FAILOVER <mode> on two sibling replicas within SAME_MOMENT_US, some time after the cluster is up. */
function siblingRace(mode: 'FORCE' | 'TAKEOVER', { nodeIds, faultUs, random }: Draw): Plan {
  const pair = siblingPair(nodeIds, random)
  if (pair === null) return []
  // Leave a second before the heal so the race has been decided inside the fault phase.
  const atUs = between(CLUSTER_READY_US, faultUs - US_PER_S, random)
  const secondUs = atUs + Math.floor(random() * SAME_MOMENT_US)
  const command = { type: 'FAILOVER', mode }
  return [
    { at: atUs, do: 'command', node: pair[0], command },
    { at: secondUs, do: 'command', node: pair[1], command },
  ]
}

/**
 * A master crashes or is isolated long enough for its replica to win, then comes back with its
 * stale claim. It prefers a master with one replica: two siblings can split the two votes of a
 * three-master cluster, and the retry comes only 2 x auth timeout later. Messages are not lost
 * while it is cut off, for the same reason (Redis's TCP bus retransmits; a lost vote costs a retry).
 */
function cutOffMaster({ nodeIds, faultUs, random }: Draw): Plan {
  const withReplicas = [...replicasByMaster(nodeIds)].filter(([, replicas]) => replicas.length > 0)
  const withOne = withReplicas.filter(([, replicas]) => replicas.length === 1)
  const candidates = (withOne.length > 0 ? withOne : withReplicas).map(([master]) => master)
  if (candidates.length === 0) return []
  const master = pick(candidates, random)
  const lastUs = faultUs - 100 * US_PER_MS
  const fromUs = between(CLUSTER_READY_US, lastUs - CUT_OFF_HOLD_US, random)
  // Late in the phase: a lost vote makes the replica retry only 2 x auth timeout later.
  const untilUs = between(Math.min(Math.max(fromUs + CUT_OFF_HOLD_US, lastUs - US_PER_S), lastUs), lastUs, random)
  const crash = random() < 0.5
  const steps: PlanStep[] = [
    { at: fromUs, do: 'network', loss: 0 },
    crash ? { at: fromUs, do: 'crash', node: master } : { at: fromUs, do: 'isolate', nodes: [master] },
    crash ? { at: untilUs, do: 'restart', node: master } : { at: untilUs, do: 'heal' },
    { at: untilUs, do: 'network', reset: true },
  ]
  return steps
}

/** How long one replica misses its master's stream before the master crashes: long enough for a write or two to miss it. */
const LAG_MIN_US = 300 * US_PER_MS
const LAG_MAX_US = 1000 * US_PER_MS

/**
 * A master with two replicas crashes while one of them lags: for a while before the crash the
 * master's messages to that replica are cut (one-way), so writes reach only its sibling. The
 * sibling then has the larger offset and the lagging replica rank 1: it must wait a second
 * longer before it asks for votes (no-rank-delay). Messages are not lost while the master is
 * down, so the sibling's offset reaches it (Redis's bus is TCP) and an election is not split.
 */
function laggingReplicaFailover({ nodeIds, faultUs, random }: Draw): Plan {
  const withTwo = [...replicasByMaster(nodeIds)].filter(([, replicas]) => replicas.length >= 2)
  if (withTwo.length === 0) return []
  const [master, replicas] = pick(withTwo, random)
  const lagging = pick(replicas, random)
  const lastUs = faultUs - 100 * US_PER_MS
  const lagUs = between(LAG_MIN_US, LAG_MAX_US, random)
  const cutUs = between(CLUSTER_READY_US, lastUs - CUT_OFF_HOLD_US - lagUs, random)
  const crashUs = cutUs + lagUs
  const restartUs = between(Math.min(crashUs + CUT_OFF_HOLD_US, lastUs), lastUs, random)
  return [
    { at: cutUs, do: 'one-way', from: [master], to: [lagging] },
    { at: crashUs, do: 'crash', node: master },
    { at: crashUs, do: 'heal' },
    { at: crashUs, do: 'network', loss: 0 },
    { at: restartUs, do: 'restart', node: master },
    { at: restartUs, do: 'network', reset: true },
  ]
}

export const redisTactics: readonly FaultTactic[] = [
  {
    name: 'force-failover-race',
    description:
      'CLUSTER FAILOVER FORCE on two replicas of one master at nearly the same moment: both ask the same masters in one epoch, and each master must vote once (double-vote)',
    nodes: [7, 9],
    configs: [{ masters: MASTERS }, { masters: MASTERS, nodeTimeoutMs: 2000 }],
    plan: (draw) => siblingRace('FORCE', draw),
  },
  {
    name: 'takeover-race',
    description:
      'CLUSTER FAILOVER TAKEOVER on two replicas of one master at nearly the same moment: both take the same configEpoch for the same slots without agreement, which the collision rule must resolve (no-epoch-collision)',
    nodes: [7, 9],
    configs: [{ masters: MASTERS }, { masters: MASTERS, nodeTimeoutMs: 2000 }],
    plan: (draw) => siblingRace('TAKEOVER', draw),
  },
  {
    name: 'cut-off-master',
    description:
      'a master with replicas crashes or is isolated until a replica is promoted, then returns with its stale claim: the higher configEpoch must win everywhere (ignore-config-epoch)',
    nodes: [6, 7, 8],
    configs: CUT_OFF_NODE_TIMEOUTS_MS.map((nodeTimeoutMs) => ({ masters: MASTERS, nodeTimeoutMs })),
    plan: cutOffMaster,
  },
  {
    name: 'lagging-replica-failover',
    description:
      'a master with two replicas crashes after its stream stopped reaching one of them: the lagging replica ranks second and must wait a second longer before it asks for votes (no-rank-delay)',
    nodes: [7, 9],
    configs: CUT_OFF_NODE_TIMEOUTS_MS.map((nodeTimeoutMs) => ({ masters: MASTERS, nodeTimeoutMs })),
    plan: laggingReplicaFailover,
  },
]
