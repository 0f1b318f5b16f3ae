/**
 * Variants of the built-in pingpong for the checker's own tests (imported by tests only):
 * one with a liveness condition and a linearizability check (pingpong keeps its map on
 * whichever node leads, in memory, so it is not linearizable: a good target), and one whose
 * liveness condition can never hold.
 */
import { pingpong, type PingPongMsg, type PingPongNode, type PingPongConfig } from '../sim/builtin/pingpong.ts'
import type { NodeCommand, Protocol } from '../sim/protocol.ts'

type PingPong = Protocol<PingPongMsg, PingPongConfig, PingPongNode>

/** Liveness: every node is up and names the same leader within 2 s of the heal. */
export const pingpongLive: PingPong = {
  ...pingpong,
  name: 'pingpong-live',
  liveness: () => ({
    description: 'every node up and agreeing on one leader',
    withinUs: 2_000_000,
    check(ctx) {
      const leaders = new Set(ctx.nodeIds.map((id) => ctx.node(id)?.leader() ?? 'down'))
      return leaders.size === 1 && !leaders.has('down') ? null : `nodes name ${[...leaders].join(', ')}`
    },
  }),
}

export const pingpongLinearizable: PingPong = { ...pingpongLive, name: 'pingpong-kv', historyCheck: { kind: 'linearizable', model: 'kv' } }

export const pingpongNeverLive: PingPong = {
  ...pingpong,
  name: 'pingpong-never-live',
  liveness: () => ({ description: 'a node reaches 1000 boots', withinUs: 500_000, check: (ctx) => (ctx.nodeIds.some((id) => (ctx.node(id)?.boots ?? 0) >= 1000) ? null : 'no node has booted 1000 times') }),
}

/**
 * Pingpong with a fault tactic, for the tactic tests: its `poke` command is ignored, except by
 * the `fails-on-poke` mutant, which throws (a node error). Random plans never make a command
 * step, so only the tactic's runs can catch that mutant.
 */
export const pingpongTactic: PingPong = {
  ...pingpong,
  name: 'pingpong-tactic',
  mutants: [...(pingpong.mutants ?? []), { name: 'fails-on-poke', description: 'throws on a poke command (only the poke tactic sends one)' }],
  createNode(ctx, setup) {
    const onCommand = (command: NodeCommand): void => {
      if (command.type === 'poke' && setup.mutant === 'fails-on-poke') throw new Error(`${ctx.id} cannot take a poke`)
    }
    return Object.assign(pingpong.createNode(ctx, setup), { onCommand })
  },
  faultTactics: [
    {
      name: 'poke',
      description: 'a crash and restart, then a poke command to a random node at a random time',
      nodes: [3],
      plan: ({ faultUs, random }) => {
        const crashUs = Math.floor(random() * faultUs * 0.4)
        return [
          { at: crashUs, do: 'crash', node: 'random' },
          { at: crashUs + 1_000, do: 'restart', node: 'crashed' },
          { at: Math.floor(faultUs * (0.5 + random() * 0.4)), do: 'command', node: 'random', command: { type: 'poke' } },
        ]
      },
    },
  ],
}
