/**
 * Opens the interactive viewer (following a live run when given one) on a terminal and resolves when the user quits. The screen
 * stays as it was on exit (no alternate screen), and the scrollback is never erased: ink
 * sends "erase scrollback" (ESC [3J) inside its clear-terminal sequence when a frame
 * shrinks below the window, so writes pass through a filter that drops that one sequence.
 */
import { render } from 'ink'
import { createElement } from 'react'
import { ViewerApp } from './app.tsx'
import type { LiveRun } from './live.ts'
import type { ViewerState } from './model.ts'
import type { Session } from './session.ts'

const ERASE_SCROLLBACK = '\u001b[3J'

export async function openViewer(session: Session, initial: ViewerState, live?: LiveRun, stdout: NodeJS.WriteStream = process.stdout, stdin: NodeJS.ReadStream = process.stdin): Promise<void> {
  const restore = keepScrollback(stdout)
  try {
    const props = live === undefined ? { session, initial } : { session, initial, live }
    const app = render(createElement(ViewerApp, props), { stdout, stdin, exitOnCtrlC: false, patchConsole: false })
    await app.waitUntilExit()
  } finally {
    restore()
  }
}

/** Makes `stream.write` drop the erase-scrollback sequence; returns the function that undoes it. */
export function keepScrollback(stream: NodeJS.WriteStream): () => void {
  const original = stream.write
  const filtered = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const cleaned = typeof chunk === 'string' ? chunk.replaceAll(ERASE_SCROLLBACK, '') : chunk
    return (original as (...args: unknown[]) => boolean).call(this, cleaned, ...rest)
  }
  stream.write = filtered as typeof stream.write
  return () => {
    stream.write = original
  }
}
