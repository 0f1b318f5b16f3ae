import { describe, expect, it } from 'vitest'
import { type Command, commandForKey, helpRows, KEY_BINDINGS, keyName, keyNames } from './keys.ts'
import { actionForKey, initialState, reduce } from './model.ts'
import { faultyRun, sessionOf } from './test-support.ts'

describe('the key table', () => {
  it('binds every key once', () => {
    const keys = KEY_BINDINGS.flatMap((b) => b.keys)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('gives every command at least one key and a description', () => {
    for (const b of KEY_BINDINGS) {
      expect(b.keys.length).toBeGreaterThan(0)
      expect(b.description.length).toBeGreaterThan(5)
    }
    expect(new Set(KEY_BINDINGS.map((b) => b.command)).size).toBe(KEY_BINDINGS.length)
  })

  it('follows terminal habits', () => {
    const expected: Record<string, Command> = {
      q: 'quit', '?': 'help', '/': 'search', space: 'playPause', tab: 'nextPane', 'shift+tab': 'prevPane',
      left: 'stepBack', h: 'stepBack', right: 'stepForward', l: 'stepForward', j: 'down', k: 'up', up: 'up', down: 'down',
      n: 'nextInteresting', N: 'prevInteresting', e: 'nextMatch', E: 'prevMatch', f: 'nodeFilter', F: 'nodeFilterBack',
    }
    for (const [key, command] of Object.entries(expected)) expect(commandForKey(key), key).toBe(command)
  })

  it('the help overlay lists every binding of the table, in its order', () => {
    expect(helpRows()).toEqual(KEY_BINDINGS.map((b) => ({ keys: b.keys.join(' '), description: b.description })))
  })

  it('every command of the table does something in the model', () => {
    const session = sessionOf(faultyRun())
    const filter = { node: 'n2', typeGroup: null, search: '' }
    const start = { ...initialState(session, 60), pane: 'log' as const, filter, scroll: { cluster: 0, flight: 0, detail: 0, log: 3 } }
    for (const b of KEY_BINDINGS) {
      const action = actionForKey(start, b.keys[0]!)
      expect(action, b.command).toEqual({ type: 'command', command: b.command })
      expect(reduce(start, action!, session), b.command).not.toEqual(start)
    }
  })
})

describe('keyNames', () => {
  it('splits keys typed in one chunk, and keeps special keys whole', () => {
    expect(keyNames('nq', {})).toEqual(['n', 'q'])
    expect(keyNames('a b', {})).toEqual(['a', 'space', 'b'])
    expect(keyNames('l', {})).toEqual(['l'])
    expect(keyNames('', { upArrow: true })).toEqual(['up'])
  })
})

describe('keyName', () => {
  it('names ink keys in the table vocabulary', () => {
    expect(keyName('', { upArrow: true })).toBe('up')
    expect(keyName('', { tab: true, shift: true })).toBe('shift+tab')
    expect(keyName('', { tab: true })).toBe('tab')
    expect(keyName('c', { ctrl: true })).toBe('ctrl+c')
    expect(keyName(' ', {})).toBe('space')
    expect(keyName('N', { shift: true })).toBe('N')
    expect(keyName('', { return: true })).toBe('return')
    expect(keyName('', { escape: true })).toBe('escape')
    expect(keyName('', { backspace: true })).toBe('backspace')
  })
})
