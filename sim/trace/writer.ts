/**
 * Trace sinks: where the engine writes its trace. Every sink hashes the same bytes the
 * same way, so a run's hash is the same whether it was written to a file, kept in memory
 * or only hashed. The hash is "sha256:<hex>" over every line before the footer, each line
 * being JSON.stringify(obj) + "\n".
 *
 * Speed: the engine writes millions of events per second, so the hot event types are
 * serialised with templates (serialize.ts), lines are gathered into a string of about
 * 64 Ki characters, and only whole chunks are encoded, hashed and written.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { systemReason, TraceError } from './errors.ts'
import type { TraceEvent, TraceFooter, TraceHeader } from './events.ts'
import { serializeEvent } from './serialize.ts'

export interface TraceSink {
  header(h: TraceHeader): void
  event(e: TraceEvent): void
  /** Writes the footer (computing the hash) and finishes; returns the footer written. */
  finish(f: Omit<TraceFooter, 'type' | 'hash'>): TraceFooter
  /** Abandons the trace: a file sink deletes its temporary file, so nothing half-written remains. */
  abort(): void
}

const CHUNK_CHARS = 64 * 1024

type Phase = 'awaiting-header' | 'open' | 'finished' | 'aborted'

/** The buffering and hashing every sink shares; subclasses only say where the bytes go. */
abstract class HashingSink implements TraceSink {
  private readonly hash: Hash = createHash('sha256')
  private pending = ''
  private eventCount = 0
  private phase: Phase = 'awaiting-header'

  /** Receives each chunk in order; the sink may keep it. */
  protected abstract emit(bytes: Buffer): void
  /** Receives the footer line (not hashed) after the last chunk; the trace is then complete. */
  protected abstract complete(footerLine: Buffer): void
  /** Drops whatever was emitted so far. */
  protected abstract discard(): void

  header(h: TraceHeader): void {
    if (this.phase !== 'awaiting-header') this.misuse('header() must come first and only once')
    this.phase = 'open'
    this.line(JSON.stringify(h))
  }

  event(e: TraceEvent): void {
    if (this.phase !== 'open') this.misuse('event() needs an open trace (header() first, before finish())')
    this.line(serializeEvent(e))
    this.eventCount++
  }

  finish(f: Omit<TraceFooter, 'type' | 'hash'>): TraceFooter {
    if (this.phase !== 'open') this.misuse('finish() needs an open trace')
    if (f.events !== this.eventCount) {
      this.misuse(`finish() says ${f.events} events but ${this.eventCount} were written`)
    }
    this.flush()
    const footer: TraceFooter = {
      type: 'footer',
      events: f.events,
      endTimeUs: f.endTimeUs,
      stoppedBy: f.stoppedBy,
      hash: `sha256:${this.hash.digest('hex')}`,
    }
    this.complete(Buffer.from(`${JSON.stringify(footer)}\n`, 'utf8'))
    this.phase = 'finished'
    return footer
  }

  /** Safe to call at any time: after finish() it does nothing, so a finally block may always call it. */
  abort(): void {
    if (this.phase === 'finished' || this.phase === 'aborted') return
    this.phase = 'aborted'
    this.discard()
  }

  /** Pushes buffered lines out now (the hash is unchanged: it only sees bytes in order). */
  protected flush(): void {
    if (this.pending === '') return
    const bytes = Buffer.from(this.pending, 'utf8')
    this.pending = ''
    this.hash.update(bytes)
    this.emit(bytes)
  }

  protected get isOpen(): boolean {
    return this.phase === 'open'
  }

  private line(json: string): void {
    this.pending += json
    this.pending += '\n'
    if (this.pending.length >= CHUNK_CHARS) this.flush()
  }

  private misuse(what: string): never {
    throw new Error(`trace sink misuse: ${what}`)
  }
}

/** Only hashes: lets the CLI print the trace hash when no trace file is asked for. */
export class HashTraceSink extends HashingSink {
  protected emit(): void {}
  protected complete(): void {}
  protected discard(): void {}
}

/** Keeps the trace in memory, for tests and the viewer. */
export class MemoryTraceSink extends HashingSink {
  private chunks: Buffer[] = []

  /** The trace so far: whole after finish(), empty after abort(). */
  text(): string {
    if (this.isOpen) this.flush()
    return Buffer.concat(this.chunks).toString('utf8')
  }

  /** The lines of the trace, without their newlines. */
  lines(): string[] {
    const text = this.text()
    return text === '' ? [] : text.slice(0, -1).split('\n')
  }

  protected emit(bytes: Buffer): void {
    this.chunks.push(bytes)
  }

  protected complete(footerLine: Buffer): void {
    this.chunks.push(footerLine)
  }

  protected discard(): void {
    this.chunks = []
  }
}

/** Distinguishes temporary files of several sinks of one process writing to one path. */
let tempSerial = 0

/**
 * Writes whole-or-nothing: lines go to a temporary file beside `path`, which is synced and
 * renamed over `path` only in finish(). A crash or abort() never leaves a half-written trace
 * under the real name, so a trace file that exists is complete.
 */
export class FileTraceSink extends HashingSink {
  readonly path: string
  readonly tempPath: string
  private fd: number | null

  constructor(path: string) {
    super()
    this.path = path
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}-${tempSerial++}.tmp`)
    try {
      this.fd = openSync(this.tempPath, 'w')
    } catch (err) {
      throw new TraceError(path, null, `cannot write the trace: ${systemReason(err)}`)
    }
  }

  protected emit(bytes: Buffer): void {
    this.guard(() => writeAll(this.openFd(), bytes))
  }

  protected complete(footerLine: Buffer): void {
    this.guard(() => {
      const fd = this.openFd()
      writeAll(fd, footerLine)
      fsyncSync(fd)
      closeSync(fd)
      this.fd = null
      renameSync(this.tempPath, this.path)
    })
    syncDirectory(dirname(this.path))
  }

  protected discard(): void {
    if (this.fd !== null) {
      const fd = this.fd
      this.fd = null
      ignoreErrors(() => closeSync(fd))
    }
    ignoreErrors(() => unlinkSync(this.tempPath))
  }

  private openFd(): number {
    if (this.fd === null) throw new Error('trace sink misuse: the file is closed')
    return this.fd
  }

  /** A failed write (disk full, ...) removes the temporary file and reports one line. */
  private guard(write: () => void): void {
    try {
      write()
    } catch (err) {
      this.abort()
      throw new TraceError(this.path, null, `cannot write the trace: ${systemReason(err)}`)
    }
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
}

/** Makes the rename itself durable; best effort, since not every platform can sync a directory. */
function syncDirectory(dir: string): void {
  ignoreErrors(() => {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  })
}

function ignoreErrors(action: () => void): void {
  try {
    action()
  } catch {
    // Cleanup must not hide the error that led to it.
  }
}
