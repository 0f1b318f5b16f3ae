/** What a worker thread runs: one indexed run of one protocol (a free worker takes the next: in-order.ts). */
import { findProtocol } from '../cli/protocols.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { evaluateRun, type RunSummary } from './evaluate.ts'
import type { WorkerJob } from './pool.ts'

const loaded = new Map<string, AnyProtocol>()

async function protocolOf(job: WorkerJob): Promise<AnyProtocol> {
  const key = `${job.module?.url ?? ''}#${job.protocol}`
  let protocol = loaded.get(key)
  if (!protocol) {
    if (job.module) {
      const mod = (await import(job.module.url)) as Record<string, AnyProtocol>
      protocol = mod[job.module.exportName ?? job.protocol]
      if (!protocol) throw new Error(`module ${job.module.url} has no export '${job.module.exportName ?? job.protocol}'`)
    } else {
      protocol = findProtocol(job.protocol)
    }
    loaded.set(key, protocol)
  }
  return protocol
}

export async function runJob(job: WorkerJob): Promise<RunSummary> {
  return evaluateRun(await protocolOf(job), job.task)
}
