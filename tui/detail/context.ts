/** What a protocol's detail pane may read besides the selected node's view: the other nodes' views. */
import type { NodeId, NodeView } from '../../sim/protocol.ts'

export interface DetailContext {
  /** The selected node. */
  node: NodeId
  /** Every node, in the header's order. */
  nodes: readonly NodeId[]
  /** Every node's view at this moment (null while crashed or before its first view). */
  views: Readonly<Record<NodeId, NodeView | null>>
}
