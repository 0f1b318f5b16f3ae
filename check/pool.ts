/**
 * Where runs execute: in this thread, or on a piscina pool of worker threads. Workers look the
 * protocol up by name in the CLI's registry (cli/protocols.ts), or import it from
 * `protocolModule` (a module URL and export name), since a protocol object cannot cross threads.
 */
import { Piscina } from 'piscina'
import type { AnyProtocol } from '../sim/protocol.ts'
import { evaluateRun, type RunSummary, type RunTask } from './evaluate.ts'

export interface ProtocolModule {
  /** A file:// URL (or absolute path) of a module exporting the protocol. */
  url: string
  /** The export's name (default: the protocol's name). */
  exportName?: string
}

export interface WorkerJob {
  protocol: string
  module: ProtocolModule | null
  task: RunTask
}

export interface Executor {
  run(task: RunTask): Promise<RunSummary>
  close(): Promise<void>
}

export function localExecutor(protocol: AnyProtocol): Executor {
  return {
    run: async (task) => evaluateRun(protocol, task),
    close: async () => {},
  }
}

export function poolExecutor(protocol: AnyProtocol, workers: number, module: ProtocolModule | null): Executor {
  const pool = new Piscina({ filename: new URL('./worker.mjs', import.meta.url).href, minThreads: workers, maxThreads: workers, idleTimeout: 1000 })
  return {
    async run(task) {
      return (await pool.run({ protocol: protocol.name, module, task } satisfies WorkerJob)) as RunSummary
    },
    close: () => pool.destroy(),
  }
}
