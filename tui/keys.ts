/**
 * The key-binding table: one row per command, its keys and what it does. The help overlay,
 * tui/README.md (checked by a test) and the key dispatch are all read from this table, so
 * a binding cannot be documented one way and behave another. Habits: q quits, ? helps,
 * arrows and hjkl move, lowercase goes forward and uppercase back (gdb's n/N).
 */
export type Command =
  | 'quit' | 'help' | 'cancel'
  | 'stepForward' | 'stepBack' | 'nextInteresting' | 'prevInteresting' | 'jumpViolation'
  | 'first' | 'last' | 'gotoTime' | 'playPause' | 'faster' | 'slower'
  | 'down' | 'up' | 'pageDown' | 'pageUp' | 'nextPane' | 'prevPane'
  | 'search' | 'nextMatch' | 'prevMatch' | 'nodeFilter' | 'nodeFilterBack' | 'typeFilter' | 'typeFilterBack'
  | 'nextCaption' | 'prevCaption' | 'scenario'

export interface Binding {
  command: Command
  /** Key names as keyName() spells them: a character, or `space`, `tab`, `shift+tab`, `up`, `ctrl+c`... */
  keys: readonly string[]
  description: string
}

export const KEY_BINDINGS: readonly Binding[] = [
  { command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit (the screen above is kept)' },
  { command: 'help', keys: ['?'], description: 'show or hide this help' },
  { command: 'cancel', keys: ['escape'], description: 'close help or a prompt; clear search and filters' },
  { command: 'stepForward', keys: ['right', 'l'], description: 'step forward one event' },
  { command: 'stepBack', keys: ['left', 'h'], description: 'step back one event' },
  { command: 'nextInteresting', keys: ['n'], description: 'next interesting event (election, leader change, commit, partition, crash, failover, violation)' },
  { command: 'prevInteresting', keys: ['N'], description: 'previous interesting event' },
  { command: 'jumpViolation', keys: ['v'], description: 'jump to the invariant violation (or node error)' },
  { command: 'first', keys: ['g', 'home'], description: 'go to the start' },
  { command: 'last', keys: ['G', 'end'], description: 'go to the end' },
  { command: 'gotoTime', keys: ['t'], description: 'go to a time (1.5s, 300ms) or an event (#1234)' },
  { command: 'playPause', keys: ['space'], description: 'play or pause' },
  { command: 'faster', keys: ['+', '='], description: 'play faster' },
  { command: 'slower', keys: ['-', '_'], description: 'play slower' },
  { command: 'down', keys: ['down', 'j'], description: 'next node in Cluster; scroll down in other panes' },
  { command: 'up', keys: ['up', 'k'], description: 'previous node in Cluster; scroll up in other panes' },
  { command: 'pageDown', keys: ['pagedown', 'ctrl+d'], description: 'scroll the focused pane a page down' },
  { command: 'pageUp', keys: ['pageup', 'ctrl+u'], description: 'scroll the focused pane a page up' },
  { command: 'nextPane', keys: ['tab'], description: 'focus the next pane' },
  { command: 'prevPane', keys: ['shift+tab'], description: 'focus the previous pane' },
  { command: 'search', keys: ['/'], description: 'search the event log (Enter jumps to the next match)' },
  { command: 'nextMatch', keys: ['e'], description: 'next event matching the log search and filters' },
  { command: 'prevMatch', keys: ['E'], description: 'previous event matching the log search and filters' },
  { command: 'nodeFilter', keys: ['f'], description: 'log filter by node: next node (all, n1, n2...)' },
  { command: 'nodeFilterBack', keys: ['F'], description: 'log filter by node: previous node' },
  { command: 'typeFilter', keys: ['y'], description: 'log filter by type: next (messages, timers, faults, views...)' },
  { command: 'typeFilterBack', keys: ['Y'], description: 'log filter by type: previous' },
  { command: 'nextCaption', keys: ['c'], description: 'scenario runs: next caption (its event)' },
  { command: 'prevCaption', keys: ['C'], description: 'scenario runs: previous caption' },
  { command: 'scenario', keys: ['s'], description: 'scenario runs: show or hide the summary, expectations and every caption' },
]

const BY_KEY: ReadonlyMap<string, Command> = new Map(KEY_BINDINGS.flatMap((b) => b.keys.map((k) => [k, b.command] as const)))

export function commandForKey(name: string): Command | undefined {
  return BY_KEY.get(name)
}

/** The part of ink's key object the viewer reads. */
export interface KeyFlags {
  upArrow?: boolean
  downArrow?: boolean
  leftArrow?: boolean
  rightArrow?: boolean
  pageUp?: boolean
  pageDown?: boolean
  home?: boolean
  end?: boolean
  return?: boolean
  escape?: boolean
  tab?: boolean
  backspace?: boolean
  delete?: boolean
  shift?: boolean
  ctrl?: boolean
}

/** Ink's (input, key) as one name from the table's vocabulary. */
export function keyName(input: string, key: KeyFlags): string {
  if (key.upArrow) return 'up'
  if (key.downArrow) return 'down'
  if (key.leftArrow) return 'left'
  if (key.rightArrow) return 'right'
  if (key.pageUp) return 'pageup'
  if (key.pageDown) return 'pagedown'
  if (key.home) return 'home'
  if (key.end) return 'end'
  if (key.return) return 'return'
  if (key.escape) return 'escape'
  if (key.tab) return key.shift ? 'shift+tab' : 'tab'
  if (key.backspace || key.delete) return 'backspace'
  if (key.ctrl) return `ctrl+${input}`
  if (input === ' ') return 'space'
  return input
}

/**
 * Every key in one chunk of input: a terminal delivers keys typed quickly (or pasted) as one
 * string, which ink hands over whole; each character is then a key of its own.
 */
export function keyNames(input: string, key: KeyFlags): string[] {
  const special = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end || key.return || key.escape || key.tab || key.backspace || key.delete || key.ctrl
  if (special || input.length <= 1) return [keyName(input, key)]
  return [...input].map((c) => (c === ' ' ? 'space' : c))
}

/** The help overlay's lines, straight from the table. */
export function helpRows(): Array<{ keys: string; description: string }> {
  return KEY_BINDINGS.map((b) => ({ keys: b.keys.join(' '), description: b.description }))
}

/** The key table as Markdown, for tui/README.md (a test keeps the README's copy in step). */
export function keyTableMarkdown(): string {
  const rows = KEY_BINDINGS.map((b) => `| ${b.keys.map((k) => `\`${k}\``).join(' ')} | ${b.description} |`)
  return ['| Keys | What they do |', '| --- | --- |', ...rows].join('\n')
}
