/** What a ZAB server shows the trace and the viewer. */
import type { NodeView } from '../../sim/protocol.ts'
import { Follower } from './follower.ts'
import { Leader } from './leader.ts'
import type { ZabNode } from './node.ts'
import { formatZxid } from './zxid.ts'

export interface ZabView extends NodeView {
  /** ELECTION, DISCOVERY, SYNCHRONIZATION or BROADCAST (Zab.tla's zabState). */
  zabState: string
  round: number
  vote: string
  acceptedEpoch: number
  currentEpoch: number
  lastZxid: string
  committed: string
  following: string | null
  serving: boolean
}

export function zabView(server: ZabNode): ZabView {
  const role = server.role
  const vote = server.currentVote ?? { ...server.election.proposal }
  return {
    role: server.state.toLowerCase(),
    leads: role instanceof Leader && role.established,
    term: server.store.currentEpoch,
    zabState: zabStateOf(server),
    round: server.election.logicalclock,
    vote: `${server.nodeOf(vote.leader)}@${formatZxid(vote.zxid)}/e${vote.peerEpoch}`,
    acceptedEpoch: server.store.acceptedEpoch,
    currentEpoch: server.store.currentEpoch,
    lastZxid: formatZxid(server.store.lastZxid()),
    committed: formatZxid(server.tree.lastZxid),
    following: role instanceof Follower ? role.leaderNode : null,
    serving: server.desk.serving,
  }
}

function zabStateOf(server: ZabNode): string {
  const role = server.role
  if (role instanceof Leader) {
    if (role.phase === 'broadcast') return 'BROADCAST'
    return role.phase === 'sync' ? 'SYNCHRONIZATION' : 'DISCOVERY'
  }
  if (role instanceof Follower) {
    if (role.phase === 'broadcast') return 'BROADCAST'
    return role.phase === 'syncing' || role.phase === 'newleader' ? 'SYNCHRONIZATION' : 'DISCOVERY'
  }
  return 'ELECTION'
}
