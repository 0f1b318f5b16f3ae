/**
 * `faultline replay <trace>`: the viewer on a trace file. Interactive when stdout is a
 * terminal; text frames of chosen moments otherwise, or whenever --frames is given.
 * Also used by `faultline run --tui` and `run --frames` on the trace a run just made.
 */
import { Command } from 'commander'
import { InputError } from '../../sim/time.ts'
import { DEFAULT_FRAMES, FRAME_HEIGHT, FRAME_WIDTH, renderFrames } from '../../tui/frames.ts'
import { MIN_HEIGHT, MIN_WIDTH } from '../../tui/layout.ts'
import { initialState, parseMoment } from '../../tui/model.ts'
import { Session } from '../../tui/session.ts'
import type { Simulation } from '../../sim/engine.ts'
import type { LiveTraceSink } from '../../tui/live.ts'
import { EXIT_OK } from '../exit.ts'
import { wholeNumber } from '../run-options.ts'

/** Wall time the run gets before the live viewer first draws, so it opens on something. */
const LIVE_FIRST_SLICE_MS = 50

export interface ViewFlags {
  frames?: string
  at?: string
  event?: string
  width?: string
  height?: string
}

export function replayCommand(out: (text: string) => void, exit: (code: number) => void): Command {
  return new Command('replay')
    .summary('view a trace: interactive in a terminal, text frames otherwise')
    .description('Opens the viewer on a trace file written by `faultline run --trace`: the cluster, the partition, messages in flight, each node\'s protocol state, the event log and the invariants, at any moment of the run. When stdout is not a terminal, or with --frames, prints text frames of chosen moments instead.')
    .argument('<trace>', 'a trace file (JSON Lines)')
    .option('--frames <spec>', `print text frames of these moments, comma-separated: 1.5s, #1234, start, end, violation, interesting, every:500ms (default ${DEFAULT_FRAMES})`)
    .option('--at <time>', 'start at this simulated time (like 1.5s)')
    .option('--event <n>', 'start at this event index')
    .option('--width <columns>', `frame width for text frames (default: the terminal's, else ${FRAME_WIDTH})`)
    .option('--height <rows>', `frame height for text frames (default ${FRAME_HEIGHT})`)
    .addHelpText('after', '\nKeys: press ? in the viewer (the table is in tui/README.md). Exit codes: 0 ok, 2 a malformed or truncated trace or bad options.')
    .action(async (file: string, flags: ViewFlags) => {
      // Checked whole at open (a bad trace is exit 2 here, never later); events parsed when shown.
      await viewTrace(Session.open(file, { source: file }), flags, out)
      exit(EXIT_OK)
    })
}

/** A run's trace, just made (`run --tui`, `run --frames`): the same viewer, with the run's exact reproduction line. */
export async function viewRunTrace(text: string, reproduce: string, flags: ViewFlags, out: (text: string) => void): Promise<void> {
  await viewTrace(Session.fromText(text, { source: 'this run', reproduce }), flags, out)
}

async function viewTrace(session: Session, flags: ViewFlags, out: (text: string) => void): Promise<void> {
  if (flags.at !== undefined && flags.event !== undefined) throw new InputError('give --at or --event, not both')
  const start = startIndex(session, flags)
  if (flags.frames === undefined && isInteractive()) {
    const { openViewer } = await loadViewer()
    return openViewer(session, initialState(session, start ?? session.length - 1))
  }
  const spec = flags.frames ?? (start === undefined ? DEFAULT_FRAMES : `#${start}`)
  const width = flags.width === undefined ? Math.max(MIN_WIDTH, process.stdout.columns || FRAME_WIDTH) : wholeNumber(flags.width, '--width', MIN_WIDTH, 1000)
  const height = flags.height === undefined ? FRAME_HEIGHT : wholeNumber(flags.height, '--height', MIN_HEIGHT, 1000)
  const frames = renderFrames(session, spec, width, height)
  if (frames.length === 0) out(`no frames: '${spec}' names no moment of this trace`)
  out(frames.join('\n\n'))
}

/**
 * Loads ink for a terminal on both sides. ink reads `CI` once, when it is first imported, and
 * under CI it draws nothing until the app exits: a viewer opened from a shell that exports
 * CI=true (CI jobs, some dotfiles) would sit blank. Both ends are terminals here, so the
 * user is watching: the flag is dropped for this process before ink loads.
 */
async function loadViewer(): Promise<typeof import('../../tui/viewer.ts')> {
  delete process.env.CI
  delete process.env.CONTINUOUS_INTEGRATION
  return import('../../tui/viewer.ts')
}

/** The viewer is interactive only with a terminal on both sides. */
export function isInteractive(): boolean {
  return process.stdout.isTTY === true && process.stdin.isTTY === true
}

/**
 * `run --tui` on a terminal: the viewer opens at once and follows the run as it is made.
 * Resolves when the user quits, with the run complete (finished at full speed if the viewer
 * was closed early), so the caller reports it as any other run; the result is the wall time
 * the engine took, in milliseconds, the time spent looking left out.
 */
export async function watchRun(sim: Simulation, untilUs: number, sink: LiveTraceSink, reproduce: string): Promise<number> {
  const { openViewer } = await loadViewer()
  const { LiveRun } = await import('../../tui/live.ts')
  const live = new LiveRun(sim, untilUs, sink, reproduce)
  live.advance(LIVE_FIRST_SLICE_MS)
  const session = live.session()
  try {
    await openViewer(session, initialState(session), live)
  } finally {
    live.complete()
  }
  return live.engineMs
}

function startIndex(session: Session, flags: ViewFlags): number | undefined {
  if (flags.at !== undefined) return parseMoment(flags.at, session)
  if (flags.event !== undefined) {
    return wholeNumber(flags.event, '--event', 0, Math.max(0, session.length - 1))
  }
  return undefined
}
