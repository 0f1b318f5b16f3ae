/**
 * The interactive viewer: a thin ink component over the pure model. It keeps the terminal
 * size (resize-aware), turns keys into actions, runs the play clock, and paints the lines
 * layout.ts computes. It draws one line fewer than the terminal has: ink clears the whole
 * screen, scrollback included, when its output fills the terminal.
 */
import { Box, Text, useApp, useInput, useStdout } from 'ink'
import { performance } from 'node:perf_hooks'
import { useEffect, useReducer, useRef, useState } from 'react'
import { keyNames } from './keys.ts'
import type { LiveRun } from './live.ts'
import { screen } from './layout.ts'
import { type Action, reduce, type ViewerState } from './model.ts'
import type { Session } from './session.ts'
import type { Line } from './text.ts'

/** Real milliseconds between play steps. */
export const TICK_MS = 100

/** Real milliseconds the engine runs between screen updates of a live run, and between session rebuilds. */
export const LIVE_SLICE_MS = 40
export const LIVE_REFRESH_MS = 250

/** The search index is built while the viewer idles: from this long after opening, in slices this long, with pauses between for keys. */
const INDEX_START_MS = 300
const INDEX_SLICE_MS = 25
const INDEX_PAUSE_MS = 15

export interface ViewerProps {
  session: Session
  initial: ViewerState
  /** A run still being produced: the viewer follows it (see live.ts). */
  live?: LiveRun
  /**
   * Wall time per engine slice and between redraws of a live run (LIVE_SLICE_MS,
   * LIVE_REFRESH_MS). Tests set both to 0, to redraw after every step however fast the engine.
   */
  liveTiming?: { sliceMs: number; refreshMs: number }
}

export function ViewerApp({ session: first, initial, live, liveTiming = LIVE_TIMING }: ViewerProps) {
  const { stdout } = useStdout()
  const { exit } = useApp()
  const size = useTerminalSize(stdout)
  const [session, setSession] = useState(first)
  const [state, dispatch] = useReducer((s: ViewerState, a: Action) => reduce(s, a, session), initial)
  useLiveRun(live, liveTiming, session, setSession, dispatch)
  useSearchIndex(session)
  useInput((input, key) => {
    for (const name of keyNames(input, key)) dispatch({ type: 'key', name })
  })
  useEffect(() => {
    if (!state.playing) return undefined
    const timer = setInterval(() => dispatch({ type: 'tick', elapsedMs: TICK_MS }), TICK_MS)
    return () => clearInterval(timer)
  }, [state.playing])
  useEffect(() => {
    if (state.quit) exit()
  }, [state.quit, exit])
  const lines = screen(session, state, size.columns, Math.max(1, size.rows - 1))
  return (
    <Box flexDirection="column">
      {lines.map((line, k) => <ScreenLine key={k} line={line} />)}
    </Box>
  )
}

function ScreenLine({ line }: { line: Line }) {
  return (
    <Text wrap="truncate">
      {line.map((s, k) => (
        <Text key={k} color={s.color} bold={s.bold} inverse={s.inverse}>{s.text}</Text>
      ))}
    </Text>
  )
}

/** Builds the event log's search index in idle slices, so a first search over a long trace answers at once. */
function useSearchIndex(session: Session): void {
  useEffect(() => {
    // A live run's session is replaced every refresh: its index would be thrown away.
    if (session.running) return undefined
    let timer: NodeJS.Timeout | undefined
    const step = () => {
      const startMs = performance.now()
      while (performance.now() - startMs < INDEX_SLICE_MS && session.search.buildNext());
      if (!session.search.complete) timer = setTimeout(step, INDEX_PAUSE_MS)
    }
    timer = setTimeout(step, INDEX_START_MS)
    return () => clearTimeout(timer)
  }, [session])
}

/** Runs a live run in slices, handing the viewer a grown session every refresh. */
const LIVE_TIMING = { sliceMs: LIVE_SLICE_MS, refreshMs: LIVE_REFRESH_MS }

function useLiveRun(live: LiveRun | undefined, timing: { sliceMs: number; refreshMs: number }, session: Session, setSession: (s: Session) => void, dispatch: (a: Action) => void): void {
  const lengthRef = useRef(session.length)
  useEffect(() => {
    if (live === undefined) return undefined
    let timer: NodeJS.Timeout | undefined
    let lastRefreshMs = 0
    const step = () => {
      const done = live.advance(timing.sliceMs)
      const nowMs = performance.now()
      if (done || nowMs - lastRefreshMs >= timing.refreshMs) {
        lastRefreshMs = nowMs
        const next = live.session()
        dispatch({ type: 'follow', lastIndex: lengthRef.current - 1, newLastIndex: next.length - 1 })
        lengthRef.current = next.length
        setSession(next)
      }
      // A macrotask between slices lets keys and resizes through.
      if (!done) timer = setTimeout(step, 0)
    }
    timer = setTimeout(step, 0)
    return () => clearTimeout(timer)
  }, [live, timing, setSession, dispatch])
}

function useTerminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 })
  const [size, setSize] = useState(read)
  useEffect(() => {
    const onResize = () => setSize(read())
    stdout.on('resize', onResize)
    return () => void stdout.off('resize', onResize)
  }, [stdout])
  return size
}
