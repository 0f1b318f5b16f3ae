/**
 * The scenarios that ship with faultline: every `*.json` under scenarios/<folder>/, found by
 * name. `*.compare.json` files are comparisons (compare/README.md), listed beside them.
 */
import { readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../sim/time.ts'
import { COMPARE_SUFFIX } from './compare/load.ts'

export const SCENARIO_DIR = fileURLToPath(new URL('.', import.meta.url))
const FOLDERS = ['raft', 'zab', 'redis-cluster', 'compare']

export interface CatalogEntry {
  name: string
  path: string
  kind: 'scenario' | 'comparison'
}

export function catalog(dir = SCENARIO_DIR): CatalogEntry[] {
  const entries: CatalogEntry[] = []
  for (const folder of FOLDERS) {
    let files: string[]
    try {
      files = readdirSync(join(dir, folder)).filter((f) => f.endsWith('.json')).sort()
    } catch {
      continue // a folder not there yet
    }
    for (const file of files) {
      const comparison = file.endsWith(COMPARE_SUFFIX)
      entries.push({ name: basename(file, comparison ? COMPARE_SUFFIX : '.json'), path: join(dir, folder, file), kind: comparison ? 'comparison' : 'scenario' })
    }
  }
  return entries
}

/** A shipped scenario by name, or a file path (anything with a slash or ending in .json). */
export function findScenario(nameOrPath: string, dir = SCENARIO_DIR): CatalogEntry {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.json')) {
    return { name: basename(nameOrPath).replace(/(\.compare)?\.json$/, ''), path: nameOrPath, kind: nameOrPath.endsWith(COMPARE_SUFFIX) ? 'comparison' : 'scenario' }
  }
  const all = catalog(dir)
  const found = all.find((e) => e.name === nameOrPath)
  if (found) return found
  const near = all.filter((e) => e.name.includes(nameOrPath) || nameOrPath.includes(e.name)).map((e) => e.name)
  throw new InputError(`unknown scenario '${nameOrPath}'${near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : ''}; faultline scenario list shows them all`)
}
