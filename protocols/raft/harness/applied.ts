/**
 * The tester's record of what each server applied (6.5840 config.go keeps `logs[i][index]`
 * from the apply channel). We read each node's `applied` list (the harness-facing apply
 * channel of RaftNode) after every engine event, so nothing is missed when a node crashes
 * or trims its list, and check what the tester's applier checks: applies arrive in order,
 * and no two servers ever apply different commands at one index.
 *
 * A node that installs a snapshot jumps its lastApplied without applying entries. The MIT
 * snapshot carries the applied commands themselves (the tester decodes them); ours carries
 * the key-value state, so an index a node covers only by a snapshot counts as applied with
 * the value the cluster committed there (every snapshotted entry was applied, and seen here,
 * on the node that took the snapshot). The protocol's own State Machine Safety invariant,
 * run by the engine after every event, checks the snapshots themselves.
 */
import type { RaftNode } from '../node.ts'

export class ApplyTracker {
  /** Per server: index -> the applied command, as JSON text. */
  private readonly logs: Array<Map<number, string>>
  /** Per server: indexes up to this one are covered by a snapshot (installed or loaded at restart). */
  private readonly coveredThrough: number[]
  /** Per server: the last index seen applied (or covered). */
  readonly lastApplied: number[]
  /** Every index ever applied by any server, with its command (JSON): the cluster's committed log. */
  private readonly committed = new Map<number, string>()
  /** The first apply error seen (config.go's applyErr): out-of-order apply, or a disagreement. */
  applyErr: string | null = null

  constructor(servers: number) {
    this.logs = Array.from({ length: servers }, () => new Map())
    this.coveredThrough = new Array<number>(servers).fill(0)
    this.lastApplied = new Array<number>(servers).fill(0)
  }

  /** A restarted server: forget what it applied (as start1 does); it resumes from its snapshot. */
  restarted(i: number, node: RaftNode): void {
    this.logs[i]!.clear()
    this.coveredThrough[i] = node.lastApplied
    this.lastApplied[i] = node.lastApplied
  }

  /** Reads what `node` (server i) applied since the last call. Cheap when nothing changed. */
  collect(i: number, node: RaftNode): void {
    if (node.lastApplied === this.lastApplied[i]) return
    const last = this.lastApplied[i]!
    const applied = node.applied
    let k = applied.length
    while (k > 0 && applied[k - 1]!.index > last) k--
    if (k === applied.length || applied[k]!.index !== last + 1) {
      // No entry applied right after `last`: a snapshot install moved lastApplied (or a bug skipped indexes).
      const firstApplied = k === applied.length ? node.lastApplied + 1 : applied[k]!.index
      if (node.log.snapshotIndex < firstApplied - 1) {
        this.applyErr ??= `server ${i} apply out of order: expected index ${last + 1}, got ${firstApplied}`
        this.lastApplied[i] = node.lastApplied
        return
      }
      this.coveredThrough[i] = Math.max(this.coveredThrough[i]!, firstApplied - 1)
    }
    for (; k < applied.length; k++) this.record(i, applied[k]!.index, JSON.stringify(applied[k]!.command) ?? 'null')
    this.lastApplied[i] = node.lastApplied
  }

  private record(i: number, index: number, command: string): void {
    const previous = this.committed.get(index)
    if (previous !== undefined && previous !== command) {
      this.applyErr ??= `commit index=${index} server=${i} ${short(command)} != ${short(previous)} (applied earlier by another server)`
    }
    if (previous === undefined) this.committed.set(index, command)
    this.logs[i]!.set(index, command)
  }

  /** What server i applied at index (JSON text), or undefined. */
  appliedAt(i: number, index: number): string | undefined {
    const own = this.logs[i]!.get(index)
    if (own !== undefined) return own
    return index <= this.coveredThrough[i]! ? this.committed.get(index) : undefined
  }

  /** config.go's nCommitted: how many servers applied index, and the command, or a disagreement. */
  nCommitted(index: number): { count: number; command: string | undefined; disagreement: string | null } {
    let count = 0
    let command: string | undefined
    for (let i = 0; i < this.logs.length; i++) {
      const c = this.appliedAt(i, index)
      if (c === undefined) continue
      if (count > 0 && c !== command) return { count, command, disagreement: `committed values do not match: index ${index}, ${short(command!)}, ${short(c)}` }
      count++
      command = c
    }
    return { count, command, disagreement: null }
  }
}

/** Long commands (the byte test's 5000 characters) are cut short in messages. */
function short(json: string): string {
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}
