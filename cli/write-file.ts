/** Writes a file whole or not at all: a temporary name beside it, synced, then renamed over the target. */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { InputError } from '../sim/time.ts'

export function writeFileAtomic(path: string, text: string, what: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    const fd = openSync(temp, 'w')
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (err) {
    try {
      unlinkSync(temp)
    } catch {
      // Nothing was left behind.
    }
    throw new InputError(`cannot write ${what} '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}
