/**
 * The one error the trace code throws for bad input (a missing, truncated, edited or
 * malformed trace, or a trace path that cannot be written). It is an InputError, so the
 * CLI prints its message as one line and exits with code 2.
 */
import { oneLine } from '../text.ts'
import { InputError } from '../time.ts'

/** Re-exported for the trace code's messages (fields.ts); the one implementation is in sim/text.ts. */
export { quote } from '../text.ts'

export class TraceError extends InputError {
  override name = 'TraceError'
  /** The file path or label the trace came from. */
  readonly source: string
  /** 1-based line of the problem, or null when it concerns the whole file. */
  readonly line: number | null

  constructor(source: string, line: number | null, detail: string) {
    super(`${traceLabel(source)}${line === null ? '' : ` line ${line}`}: ${oneLine(detail)}`)
    this.source = source
    this.line = line
  }
}

/** "trace run.jsonl", or just "trace" when the caller gave no better name. */
function traceLabel(source: string): string {
  return source === 'trace' ? 'trace' : `trace ${oneLine(source)}`
}

/** "no such file or directory", "permission denied", ... from a Node system error. */
export function systemReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  }
  if (typeof code === 'string' && Object.hasOwn(known, code)) return known[code]!
  const message = err instanceof Error ? err.message : String(err)
  return message.split('\n')[0] ?? message
}
