/**
 * Rule 1 of the project: nothing in sim/ or protocols/ reads real time or real randomness.
 * This test fails on any such call outside test files, naming the file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')
/**
 * Real time, real randomness, and anything whose answer depends on the host: its
 * environment, locale, the garbage collector's timing.
 */
const BANNED = /\b(Math\.random|Date\.now|Date\(|new Date\b|performance\.\w+|process\.(hrtime|env|uptime|cpuUsage|memoryUsage)|setTimeout|setInterval|setImmediate|queueMicrotask|crypto\.\w+|randomBytes|randomUUID|randomInt|randomFill\w*|getRandomValues|Intl\.|localeCompare|toLocale\w*|WeakRef|FinalizationRegistry)/
/** Host modules a deterministic engine has no business importing (the trace writer may hash and write files). */
const BANNED_IMPORTS = /(from|import\(|require\()\s*['"](node:)?(os|crypto|child_process|worker_threads|net|dgram|http|https|timers|perf_hooks)['"]/
const IMPORT_ALLOWED = new Set(['sim/trace/writer.ts', 'sim/trace/reader.ts', 'sim/trace/errors.ts'])

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
      const where = relative(ROOT, file)
      const badImport = BANNED_IMPORTS.test(code) && !IMPORT_ALLOWED.has(where)
      if (BANNED.test(code) || badImport) hits.push(`${where}:${i + 1}: ${line.trim()}`)
    })
  }
  return hits
}

describe('determinism lint', () => {
  it('finds no real time or randomness in sim/ or protocols/', () => {
    expect(findBannedCalls([join(ROOT, 'sim'), join(ROOT, 'protocols')])).toEqual([])
  })

  it('would catch a banned call (the check can fail)', () => {
    const fake = ['const t = Date.now()', 'x = Math.random()', 'setTimeout(f, 1)', 'performance.now()', 'new Date()', 'Date()', 'randomInt(0, 9)', 'randomFillSync(b)',
      'process.env.SEED', 'a.localeCompare(b)', 'n.toLocaleString()', 'new Intl.Collator()', 'new WeakRef(x)']
    for (const line of fake) expect(BANNED.test(line), line).toBe(true)
    expect(BANNED_IMPORTS.test("import { cpus } from 'node:os'")).toBe(true)
    expect(BANNED_IMPORTS.test("import { createHash } from 'node:crypto'")).toBe(true)
    expect(BANNED_IMPORTS.test("const os = await import('node:os')")).toBe(true)
    expect(BANNED_IMPORTS.test("const os = require('os')")).toBe(true)
    for (const line of ['new Date', 'process.uptime()', 'performance.timeOrigin']) expect(BANNED.test(line), line).toBe(true)
    expect(BANNED.test('this.rng.next()')).toBe(false)
    expect(BANNED.test('ctx.now() // not Date.now() in a comment'.replace(/\/\/.*$/, ''))).toBe(false)
  })
})
