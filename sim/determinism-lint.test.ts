/**
 * Rule 1 of the project: nothing in sim/ or protocols/ reads real time or real randomness.
 * This test fails on any such call outside test files, naming the file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')
const BANNED = /\b(Math\.random|Date\.now|new Date\b|performance\.now|process\.hrtime|setTimeout|setInterval|setImmediate|queueMicrotask|crypto\.random\w*|randomBytes|randomUUID|getRandomValues)\b/

function sourceFiles(dir: string): string[] {
  let out: string[] = []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return out
  }
  for (const name of names) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path))
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path)
  }
  return out
}

export function findBannedCalls(dirs: string[]): string[] {
  const hits: string[] = []
  for (const file of dirs.flatMap(sourceFiles)) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '')
      if (BANNED.test(code)) hits.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`)
    })
  }
  return hits
}

describe('determinism lint', () => {
  it('finds no real time or randomness in sim/ or protocols/', () => {
    expect(findBannedCalls([join(ROOT, 'sim'), join(ROOT, 'protocols')])).toEqual([])
  })

  it('would catch a banned call (the check can fail)', () => {
    const fake = ['const t = Date.now()', 'x = Math.random()', 'setTimeout(f, 1)', 'performance.now()', 'new Date()']
    for (const line of fake) expect(BANNED.test(line), line).toBe(true)
    expect(BANNED.test('ctx.now() // not Date.now() in a comment'.replace(/\/\/.*$/, ''))).toBe(false)
  })
})
