/**
 * A comparison in memory: scenarios of different protocols run under one partition, the
 * clients on each side of it, and what the table must show. The file format is in README.md;
 * load.ts turns a `<name>.compare.json` file into this.
 */
import type { Micros } from '../../sim/time.ts'
import type { Count, Scenario } from '../types.ts'

/** The figures of one table row: one protocol, one side of the partition. */
export const FIGURES = ['writes', 'accepted', 'refused', 'unknown', 'lost', 'firstOkAfterCutMs', 'firstOkAfterHealMs'] as const
export type FigureName = (typeof FIGURES)[number]

/** Side name -> the clients on that side (each sits beside its home node and shares its side). */
export type Sides = Record<string, string[]>

export interface ComparedScenario {
  label: string
  scenario: Scenario
  sides: Sides
}

export interface ComparisonExpectation {
  says: string
  /** A compared scenario's name. */
  scenario: string
  side: string
  figure: FigureName
  /** null: the figure is "never" (no acknowledged write in that window). */
  count: Count | null
}

export interface Comparison {
  name: string
  /** Where it was read from, for messages. */
  source: string
  claims: number[]
  summary: string
  story: string[]
  /** The partition is up from fromUs until toUs (the heal). */
  partition: { fromUs: Micros; toUs: Micros }
  scenarios: ComparedScenario[]
  expect: ComparisonExpectation[]
}
