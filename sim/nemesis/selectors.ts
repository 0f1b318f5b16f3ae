/**
 * Which node selectors each action accepts. "leader" and "random" resolve to nodes that are up,
 * so they make no sense for restart/resume; "crashed" and "paused" resolve to a node in that
 * state, so each suits only the action that undoes it. Groups and network links take plain ids:
 * they describe a topology, and a word resolved at run time could name one node twice.
 */
import { SELECTOR_WORDS, type ActionName } from './types.ts'
import { quote } from '../text.ts'
import { describeNodes, listWords } from './text.ts'

export type SelectorWord = (typeof SELECTOR_WORDS)[number]

const UP_WORDS = ['leader', 'random'] as const satisfies readonly SelectorWord[]

export const WORDS_FOR_ACTION = {
  crash: UP_WORDS,
  restart: ['crashed'],
  pause: UP_WORDS,
  resume: ['paused'],
  isolate: UP_WORDS,
  'one-way': UP_WORDS,
  clock: UP_WORDS,
  command: UP_WORDS,
  invoke: UP_WORDS,
  groups: [],
  network: [],
} as const satisfies Partial<Record<ActionName, readonly SelectorWord[]>>

export type ActionWithNodes = keyof typeof WORDS_FOR_ACTION

export function isSelectorWord(value: string): value is SelectorWord {
  return (SELECTOR_WORDS as readonly string[]).includes(value)
}

/** Null when `value` is a node id or a word `action` accepts; otherwise the reason, for an error line. */
export function selectorProblem(value: string, nodes: readonly string[], action: ActionWithNodes): string | null {
  if (nodes.includes(value)) return null
  const words: readonly string[] = WORDS_FOR_ACTION[action]
  if (words.includes(value)) return null
  if (isSelectorWord(value)) return `${quote(value)} cannot be used with ${action}: it takes ${whatItTakes(words)}`
  return `unknown node ${quote(value)} (nodes: ${describeNodes(nodes)})`
}

function whatItTakes(words: readonly string[]): string {
  if (words.length === 0) return 'node ids only'
  return listWords(['a node id', ...words.map(quote)])
}
