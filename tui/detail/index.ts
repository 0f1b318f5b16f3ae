/**
 * The detail pane for the selected node: laid out per protocol, chosen by the trace
 * header's protocol name, with a key/value rendering of the view for any other protocol.
 */
import type { NodeView } from '../../sim/protocol.ts'
import type { PaneContext } from '../panes/context.ts'
import { type Line, seg, title, windowAt } from '../text.ts'
import type { DetailContext } from './context.ts'
import { genericDetail } from './generic.ts'
import { raftDetail } from './raft.ts'
import { redisDetail } from './redis.ts'
import { zabDetail } from './zab.ts'

type DetailRenderer = (view: NodeView, width: number, ctx: DetailContext) => Line[]

const BY_PROTOCOL: Record<string, DetailRenderer> = {
  raft: raftDetail,
  zab: zabDetail,
  'redis-cluster': redisDetail,
}

export function detailLines(protocol: string, view: NodeView, width: number, ctx: DetailContext): Line[] {
  return (BY_PROTOCOL[protocol] ?? genericDetail)(view, width, ctx)
}

export function detailPane(ctx: PaneContext, width: number, height: number): Line[] {
  const { session, state, cluster } = ctx
  const node = session.nodes[state.selected] ?? session.nodes[0]!
  const status = cluster.status[node] ?? 'up'
  const view = cluster.views[node] ?? null
  const body = view === null
    ? [[seg(status === 'crashed' ? `${node} is crashed: only its durable storage survives` : `${node} has no view yet`, { color: 'gray' })]]
    : detailLines(session.protocol, view, width, { node, nodes: session.nodes, views: cluster.views })
  const shown = windowAt(body, state.scroll.detail, height - 1)
  const more = body.length > height - 1 ? ` ${shown.offset + 1}-${shown.offset + shown.items.length}/${body.length}` : ''
  return [title(`Node ${node}`, width, state.pane === 'detail', `${status}${more}`), ...shown.items]
}
