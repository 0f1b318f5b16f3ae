/**
 * Trace sinks: where the engine writes its trace. Every sink hashes the same bytes the
 * same way, so a run's hash is the same whether it was written to a file, kept in memory
 * or only hashed. The hash is "sha256:<hex>" over every line before the footer, each line
 * being JSON.stringify(obj) + "\n".
 *
 * Speed: the engine writes millions of events per second, so each line is encoded straight
 * into one reusable 64 KiB buffer (no allocation but the JSON string), and the hash and the
 * file see whole chunks, not lines.
 */
import { createHash, type Hash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { systemReason, TraceError } from './errors.ts'
import type { TraceEvent, TraceFooter, TraceHeader } from './events.ts'

export interface TraceSink {
  header(h: TraceHeader): void
  event(e: TraceEvent): void
  /** Writes the footer (computing the hash) and finishes; returns the footer written. */
  finish(f: Omit<TraceFooter, 'type' | 'hash'>): TraceFooter
  /** Abandons the trace: a file sink deletes its temporary file, so nothing half-written remains. */
  abort(): void
}

const CHUNK_BYTES = 64 * 1024
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair takes 4 for 2 units). */
const MAX_BYTES_PER_UNIT = 3
const NEWLINE = 0x0a

type Phase = 'awaiting-header' | 'open' | 'finished' | 'aborted'

/** The buffering and hashing every sink shares; subclasses only say where the bytes go. */
abstract class HashingSink implements TraceSink {
  private readonly hash: Hash = createHash('sha256')
  private readonly chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  private usedBytes = 0
  private eventCount = 0
  private phase: Phase = 'awaiting-header'

  /** Receives each full chunk in order. The buffer is reused afterwards: copy it to keep it. */
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
    this.line(JSON.stringify(e))
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
    if (this.usedBytes === 0) return
    const bytes = this.chunk.subarray(0, this.usedBytes)
    this.usedBytes = 0
    this.hash.update(bytes)
    this.emit(bytes)
  }

  protected get isOpen(): boolean {
    return this.phase === 'open'
  }

  private line(json: string): void {
    const maxBytes = json.length * MAX_BYTES_PER_UNIT + 1
    if (this.usedBytes + maxBytes > CHUNK_BYTES) {
      this.flush()
      if (maxBytes > CHUNK_BYTES) return this.largeLine(json)
    }
    this.usedBytes += this.chunk.write(json, this.usedBytes, 'utf8')
    this.chunk[this.usedBytes++] = NEWLINE
  }

  /** A line that might not fit in a chunk goes out on its own (chunk is already flushed). */
  private largeLine(json: string): void {
    const bytes = Buffer.from(`${json}\n`, 'utf8')
    this.hash.update(bytes)
    this.emit(bytes)
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
    this.chunks.push(Buffer.from(bytes))
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
