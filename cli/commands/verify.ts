/**
 * `faultline verify <trace>`: checks a trace file (format, completeness, hash), then re-runs
 * the seed and config its header records and checks the new run's hash is the same. This
 * is the proof that a trace is reproducible, and a quick way to spot a stale trace.
 */
import { Command } from 'commander'
import { Simulation } from '../../sim/engine.ts'
import { parsePlan } from '../../sim/nemesis/plan.ts'
import { parseNetworkConfig } from '../../sim/network/config.ts'
import type { SimulationOptions } from '../../sim/options.ts'
import { parseSeed } from '../../sim/seed.ts'
import { InputError } from '../../sim/time.ts'
import type { Trace } from '../../sim/trace/reader.ts'
import { readTraceFile } from '../../sim/trace/reader.ts'
import { HashTraceSink } from '../../sim/trace/writer.ts'
import { EXIT_FAILED, EXIT_OK } from '../exit.ts'
import { findProtocol } from '../protocols.ts'

export function verifyCommand(out: (text: string) => void, exit: (code: number) => void): Command {
  return new Command('verify')
    .summary('check a trace file and re-run it to prove it reproduces')
    .description('Validates a trace file (header, every event, footer, hash), then re-runs the seed and configuration recorded in its header and compares the new trace hash with the file\'s. Exit 0 when it reproduces, 1 when it does not, 2 for a malformed file.')
    .argument('<trace>', 'a trace file written by faultline run --trace')
    .action((file: string) => exit(verify(file, out)))
}

function verify(file: string, out: (text: string) => void): number {
  const trace = readTraceFile(file)
  out(`${file}: valid trace of ${trace.footer.events} events (${trace.header.protocol}, seed ${trace.header.seed}, ${trace.footer.hash})`)
  const sink = new HashTraceSink()
  const sim = new Simulation({ ...optionsFromHeader(trace), trace: sink })
  sim.run({ untilUs: trace.footer.endTimeUs })
  const result = sim.finish()
  if (result.traceHash === trace.footer.hash) {
    out(`reproduced: re-running seed ${trace.header.seed} gives the same ${result.traceEvents} events and hash`)
    return EXIT_OK
  }
  out(`NOT reproduced: re-running gives ${result.traceEvents} events with hash ${result.traceHash} (the code changed since the trace was written, or the run was cut short by a custom stop)`)
  return EXIT_FAILED
}

export function optionsFromHeader(trace: Trace): Omit<SimulationOptions, 'trace'> {
  const h = trace.header
  const c = h.config as Record<string, unknown>
  if (typeof c !== 'object' || c === null) throw new InputError('trace header has no config')
  return {
    protocol: findProtocol(h.protocol),
    seed: parseSeed(h.seed),
    nodes: h.nodes,
    config: c.protocol,
    mutant: h.mutant,
    network: parseNetworkConfig(c.network),
    plan: parsePlan(h.plan, h.nodes, 'trace plan'),
    workload: (c.workload ?? {}) as SimulationOptions['workload'],
    loseUnsyncedWrites: c.loseUnsyncedWrites === true,
    invariants: c.invariants !== false,
    freezeMessages: c.freezeMessages !== false,
    maxEvents: typeof c.maxEvents === 'number' ? c.maxEvents : undefined,
    checkpointEvery: h.checkpointEvery,
    traceMeta: Object.fromEntries(Object.entries(c).filter(([k]) => !['protocol', 'network', 'workload', 'loseUnsyncedWrites', 'maxEvents', 'invariants', 'freezeMessages'].includes(k))),
  }
}
