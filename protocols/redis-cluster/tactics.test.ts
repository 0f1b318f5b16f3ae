/**
 * Each tactic's plans, over a fixed set of draws, expose its mutant, and the correct protocol
 * passes the same plans: no invariant violation, and after the heal the slot map converges
 * within the liveness bound. Runs are built as `faultline check` builds them: the tactic's plan
 * during the fault phase, then heal and restart everything at faultUs.
 */
import { describe, expect, it } from 'vitest'
import { Simulation } from '../../sim/engine.ts'
import type { Plan, PlanStep } from '../../sim/nemesis/types.ts'
import type { FaultTactic } from '../../sim/protocol.ts'
import { defaultNodeIds } from '../../sim/options.ts'
import { RandomStream } from '../../sim/random.ts'
import { parseConfig } from './config.ts'
import { redisCluster } from './index.ts'
import type { RedisNode } from './node.ts'
import { slotMapLiveness, slotMapProblem } from './convergence.ts'
import { replicasByMaster, redisTactics } from './tactics.ts'
import { S } from './test-support.ts'

const FAULT_US = 10 * S
/** Draws per tactic: each draw picks a cluster size, a config and a plan. */
const DRAWS = 4

interface Outcome {
  violation: string | null
  /** What the slot map still lacked at the end of the liveness bound; null once converged. */
  unconverged: string | null
}

function tactic(name: string): FaultTactic {
  const found = redisTactics.find((t) => t.name === name)
  if (!found) throw new Error(`no tactic ${name}`)
  return found
}

/** The check's way: nodes, config and plan drawn from one stream per draw. */
function drawRun(t: FaultTactic, draw: number) {
  const stream = RandomStream.root(1000 + draw).fork('tactic')
  const random = () => stream.next()
  const nodes = t.nodes![Math.floor(random() * t.nodes!.length)]!
  const config = t.configs![Math.floor(random() * t.configs!.length)] ?? {}
  const plan = t.plan({ nodeIds: defaultNodeIds(nodes), faultUs: FAULT_US, random })
  return { nodes, config, plan, seed: 7 + draw }
}

function healAt(nodes: number, atUs: number): PlanStep[] {
  return [{ at: atUs, do: 'heal' }, ...defaultNodeIds(nodes).map((): PlanStep => ({ at: atUs, do: 'restart', node: 'crashed' }))]
}

function run(run: ReturnType<typeof drawRun>, mutant: string | null): Outcome {
  const config = parseConfig(run.config)
  const plan: Plan = [...run.plan, ...healAt(run.nodes, FAULT_US)]
  const sim = new Simulation({ protocol: redisCluster, seed: run.seed, nodes: run.nodes, config, plan, mutant, workload: { clients: 2 } })
  sim.run({ untilUs: FAULT_US })
  const view = { nodeIds: sim.nodeIds, node: (id: string) => sim.node<RedisNode>(id) }
  const endUs = FAULT_US + slotMapLiveness(config).withinUs
  let unconverged: string | null = 'not checked'
  for (let t = FAULT_US; t < endUs && unconverged !== null; ) {
    t += 250_000
    sim.run({ untilUs: t })
    unconverged = slotMapProblem(view)
  }
  return { violation: sim.finish().violation?.invariant ?? null, unconverged }
}

describe('fault tactics', () => {
  it('every plan stays within the fault phase and undoes its faults there', () => {
    expect(redisCluster.faultTactics).toBe(redisTactics)
    const count = (plan: Plan, what: (s: PlanStep) => boolean) => plan.filter(what).length
    for (const t of redisTactics) {
      for (let draw = 0; draw < 20; draw++) {
        const r = drawRun(t, draw)
        expect(r.plan.length).toBeGreaterThan(0)
        for (const step of r.plan) {
          expect(step.at).toBeGreaterThanOrEqual(0)
          expect(step.at).toBeLessThan(FAULT_US)
        }
        expect(count(r.plan, (s) => s.do === 'crash')).toBe(count(r.plan, (s) => s.do === 'restart'))
        expect(count(r.plan, (s) => s.do === 'isolate' || s.do === 'one-way')).toBe(count(r.plan, (s) => s.do === 'heal'))
        expect(count(r.plan, (s) => s.do === 'network' && !s.reset)).toBe(count(r.plan, (s) => s.do === 'network' && s.reset === true))
      }
    }
  })

  it('places replicas as redis-cli does: with 9 nodes each master has two', () => {
    expect([...replicasByMaster(defaultNodeIds(9))]).toEqual([
      ['n1', ['n4', 'n7']],
      ['n2', ['n5', 'n8']],
      ['n3', ['n6', 'n9']],
    ])
  })

  it.each([
    ['force-failover-race', 'double-vote', 'violation'],
    ['takeover-race', 'no-epoch-collision', 'liveness'],
    ['cut-off-master', 'ignore-config-epoch', 'liveness'],
  ] as const)('%s catches %s and is safe for the correct protocol', (name, mutant, how) => {
    const t = tactic(name)
    for (let draw = 0; draw < DRAWS; draw++) {
      const drawn = drawRun(t, draw)
      const good = run(drawn, null)
      expect(good, `${name} draw ${draw}, correct protocol`).toEqual({ violation: null, unconverged: null })
      const bad = run(drawn, mutant)
      if (how === 'violation') expect(bad.violation, `${name} draw ${draw} with ${mutant}`).not.toBeNull()
      else expect(bad.unconverged, `${name} draw ${draw} with ${mutant}`).not.toBeNull()
    }
  })

  it('lagging-replica-failover catches no-rank-delay in most draws and is safe for the correct protocol', () => {
    // The lagging replica is caught when it asks before its sibling's promotion reaches it:
    // both draw their delay from the same 500..1000 ms without the rank, so about half the time.
    const t = tactic('lagging-replica-failover')
    const caught: string[] = []
    for (let draw = 0; draw < DRAWS; draw++) {
      const drawn = drawRun(t, draw)
      expect(run(drawn, null), `draw ${draw}, correct protocol`).toEqual({ violation: null, unconverged: null })
      const bad = run(drawn, 'no-rank-delay').violation
      if (bad !== null) caught.push(bad)
    }
    expect(caught.length).toBeGreaterThanOrEqual(DRAWS / 2)
    expect(new Set(caught)).toEqual(new Set(['failover-waits-rank-delay']))
  })
})
