/** `faultline check-history FILE --model M`: is a recorded history linearizable? */
import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import { checkLinearizable, findModel, modelNames, operationsFromHistory, parseAnyHistory } from '../../check/linearizability/index.ts'
import { InputError, parseDuration, US_PER_MS } from '../../sim/time.ts'
import { EXIT_FAILED, EXIT_OK } from '../exit.ts'

/** Exit code for "unknown within the time budget". */
export const EXIT_UNKNOWN = 3

interface HistoryFlags {
  model?: string
  timeBudget?: string
  json?: boolean
}

export function checkHistoryCommand(out: (text: string) => void, exit: (code: number) => void): Command {
  return new Command('check-history')
    .summary('check a recorded history for linearizability')
    .description('Reads a client history, faultline\'s JSON Lines (`faultline run --history`) or a Jepsen log, and searches for a linearization against a model. On a violation it prints the operations that cannot be ordered.')
    .argument('<file>', 'the history file')
    .option('--model <name>', `the sequential model: ${modelNames().join(', ')}`)
    .option('--time-budget <time>', 'give up with "unknown" (exit 3) after this much wall time, like 10s')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExit codes: 0 linearizable, 1 not linearizable, 2 bad input, 3 unknown within the time budget.')
    .action((file: string, flags: HistoryFlags) => exit(checkHistory(file, flags, out)))
}

function checkHistory(file: string, flags: HistoryFlags, out: (text: string) => void): number {
  if (flags.model === undefined) throw new InputError(`check-history needs --model (${modelNames().join(', ')})`)
  const model = findModel(flags.model)
  const budgetMs = flags.timeBudget === undefined ? undefined : parseDuration(flags.timeBudget, '--time-budget') / US_PER_MS
  const ops = operationsFromHistory(parseAnyHistory(readText(file), file))
  const unknownOp = ops.find((op) => !model.operations.includes(op.f))
  if (unknownOp) throw new InputError(`${file}: operation '${unknownOp.f}' is not one the ${model.name} model knows (${model.operations.join(', ')})`)
  const result = checkLinearizable(model, ops, budgetMs === undefined ? {} : { timeBudgetMs: budgetMs })
  if (flags.json) out(JSON.stringify(result, null, 2))
  else {
    const lines = [`${file}: ${result.verdict} (model ${model.name}, ${result.operations} operations in ${result.partitions} partition${result.partitions === 1 ? '' : 's'}, ${result.elapsedMs.toFixed(1)}ms)`]
    lines.push(...result.explanation)
    if (result.verdict === 'unknown') lines.push('the search did not finish within the time budget: give it more with --time-budget')
    out(lines.join('\n'))
  }
  return result.verdict === 'linearizable' ? EXIT_OK : result.verdict === 'not-linearizable' ? EXIT_FAILED : EXIT_UNKNOWN
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new InputError(`cannot read the history '${path}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'error')}`)
  }
}
