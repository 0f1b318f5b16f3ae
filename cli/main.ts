/**
 * The faultline command line. Every command shares one contract: output on stdout, and
 * for bad usage or bad input one clear line on stderr and exit code 2, never a stack trace.
 */
import { createRequire } from 'node:module'
import { Command, CommanderError } from 'commander'
import { InputError } from '../sim/time.ts'
import { runCommand } from './commands/run.ts'
import { verifyCommand } from './commands/verify.ts'
import { checkCommand } from './commands/check.ts'
import { checkHistoryCommand } from './commands/check-history.ts'
import { replayCommand } from './commands/replay.ts'
import { scenarioCommand } from './commands/scenario.ts'
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, ExitError } from './exit.ts'

export interface Io {
  out(text: string): void
  err(text: string): void
}

const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = EXIT_OK
  const exit = (code: number): void => void (exitCode = code)
  const program = buildProgram(io, exit)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (err) {
    return reportError(err, io)
  }
}

function buildProgram(io: Io, exit: (code: number) => void): Command {
  const program = new Command('faultline')
    .usage('<command> [options]')
    .description('A deterministic distributed-systems simulator: Raft, ZooKeeper\'s ZAB and Redis Cluster under faults, replayable from a seed.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nRun `faultline <command> --help` for a command\'s options.\nExit codes: 0 ok, 1 violation or failed check, 2 bad usage or bad input, 70 internal error.')
  program.addCommand(runCommand(io.out, exit))
  program.addCommand(verifyCommand(io.out, exit))
  program.addCommand(checkCommand(io.out, exit))
  program.addCommand(checkHistoryCommand(io.out, exit))
  program.addCommand(replayCommand(io.out, exit))
  program.addCommand(scenarioCommand(io.out, exit))
  const names = () => program.commands.map((c) => c.name()).join(', ')
  program.argument('[command]').allowExcessArguments(true).action((name?: string) => {
    throw new InputError(name ? `unknown command '${name}' (commands: ${names()})` : `missing command (${names()}); see faultline --help`)
  })
  // Every command and subcommand (scenario list/run) shares the contract: one line, exit 2.
  const all = (cmd: Command): Command[] => [cmd, ...cmd.commands.flatMap(all)]
  for (const cmd of all(program)) {
    cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} })
  }
  return program
}

function reportError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK
    // Commander puts its "(Did you mean --seed?)" on a second line: keep to one.
    io.err(`faultline: ${err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (see faultline --help)`)
    return EXIT_USAGE
  }
  if (err instanceof InputError) {
    io.err(`faultline: ${err.message}`)
    return EXIT_USAGE
  }
  if (err instanceof ExitError) {
    if (err.message) io.err(`faultline: ${err.message}`)
    return err.code
  }
  const message = err instanceof Error ? err.message : String(err)
  io.err(`faultline: internal error: ${message} (set FAULTLINE_DEBUG=1 for a stack trace; please report it)`)
  if (process.env.FAULTLINE_DEBUG && err instanceof Error) io.err(err.stack ?? '')
  return EXIT_INTERNAL
}
