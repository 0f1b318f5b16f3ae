/** One human line per plan step, for --help, the trace viewer and test failure output. */
import { quote } from '../text.ts'
import { formatDuration } from '../time.ts'
import type { PlanAction, PlanStep } from './types.ts'

/**
 * "2s crash n1", "9s heal"; waiting steps: "1.2s isolate+pause next leader by 2s", "1.2s crash
 * random at next leader by 2s", "1.2s crash next leader +900ms by 3s" (900 ms after it leads).
 */
export function describeStep(step: PlanStep): string {
  if (step.until === undefined) return `${formatDuration(step.at)} ${describeAction(step)}`
  const by = `${step.after === undefined ? '' : `+${formatDuration(step.after)} `}by ${formatDuration(step.until)}`
  if (step.when !== undefined) return `${formatDuration(step.at)} ${describeAction(step)} at next ${step.when} ${by}`
  const node = 'node' in step ? step.node : '?'
  return `${formatDuration(step.at)} ${describeAction({ ...step, node: `next ${node}` } as PlanAction)} ${by}`
}

const DONE: Readonly<Record<string, string>> = { crash: 'crashed', restart: 'restarted', pause: 'paused', resume: 'resumed', clock: 'set the clock of', command: 'gave a command to' }
const NEW: Readonly<Record<string, string>> = { leader: 'the new leader', random: 'newly up', crashed: 'newly crashed', paused: 'newly paused' }

/**
 * What a waiting step did when its node appeared: "isolated and paused n3, the new leader, at
 * 612.4ms"; with `when`: "crash random: n3 is the new leader at 612.4ms".
 */
export function describeWaitFired(step: PlanStep, node: string, atUs: number): string {
  const word = step.when ?? ('node' in step ? step.node : '')
  if (step.when !== undefined) return `${describeAction(step)}: ${node} is ${NEW[word] ?? word} at ${formatDuration(atUs)}`
  const verb = DONE[step.do] ?? step.do
  const isolated = 'isolate' in step && step.isolate === true ? 'isolated and ' : ''
  return `${isolated}${verb} ${node}, ${NEW[word] ?? word}, at ${formatDuration(atUs)}`
}
/** The step without its time: "crash n1", "groups n1,n2 | n3", "network loss=0.1 on n1->n2". */
export function describeAction(action: PlanAction): string {
  switch (action.do) {
    case 'crash':
    case 'pause':
      return `${action.isolate === true ? 'isolate+' : ''}${action.do} ${action.node}`
    case 'restart':
    case 'resume':
      return `${action.do} ${action.node}`
    case 'isolate':
      return `isolate ${action.nodes.join(',')}`
    case 'groups':
      return `groups ${action.groups.map((g) => g.join(',')).join(' | ')}`
    case 'one-way':
      return `one-way ${action.from.join(',')} -> ${action.to.join(',')}`
    case 'network':
      return describeNetwork(action)
    case 'clock':
      return describeClock(action)
    case 'command':
      return `command ${action.node} ${commandName(action.command.type)}`
    case 'invoke':
      return `invoke ${action.client} ${action.op.f}${action.op.key === undefined ? '' : ` ${action.op.key}`}${action.to === undefined ? '' : ` via ${action.to}`}`
    default:
      return action.do
  }
}

function describeNetwork(action: Extract<PlanAction, { do: 'network' }>): string {
  const parts = ['network']
  if (action.reset) parts.push('reset')
  if (action.latency !== undefined) parts.push(`latency=${action.latency}`)
  for (const knob of ['loss', 'duplicate', 'reorder'] as const) {
    if (action[knob] !== undefined) parts.push(`${knob}=${action[knob]}`)
  }
  if (action.links !== undefined) parts.push(`on ${action.links.map(([from, to]) => `${from}->${to}`).join(',')}`)
  return parts.join(' ')
}

function describeClock(action: Extract<PlanAction, { do: 'clock' }>): string {
  const parts = ['clock', action.node]
  if (action.offset !== undefined) parts.push(`offset=${action.offset}`)
  if (action.driftPpm !== undefined) parts.push(`drift=${action.driftPpm > 0 ? '+' : ''}${action.driftPpm}ppm`)
  return parts.join(' ')
}

/** The command's type as written when it is one plain word, else quoted, so the line stays one line. */
function commandName(type: string): string {
  return /^[\x21-\x7e]+$/.test(type) ? type : quote(type)
}
