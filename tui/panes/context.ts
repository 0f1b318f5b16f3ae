/** What every pane selector reads: the opened trace, the viewer's state, the cluster at its moment. */
import type { ClusterState } from '../../sim/trace/timeline.ts'
import type { ViewerState } from '../model.ts'
import type { Session } from '../session.ts'
import type { Color } from '../text.ts'

export interface PaneContext {
  session: Session
  state: ViewerState
  cluster: ClusterState
}

export function paneContext(session: Session, state: ViewerState): PaneContext {
  return { session, state, cluster: session.stateAt(state.index) }
}

/** Role colours shared by every protocol: leaders green, candidates yellow, followers cyan. */
export function roleColor(role: unknown): Color | undefined {
  const r = String(role ?? '').toLowerCase()
  if (/leader|leading|master|primary/.test(r)) return 'green'
  if (/candidate|looking|pre-?candidate|electing/.test(r)) return 'yellow'
  if (/follower|following|replica|slave|observer|observing/.test(r)) return 'cyan'
  return undefined
}
