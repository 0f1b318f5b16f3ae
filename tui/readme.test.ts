import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { keyTableMarkdown } from './keys.ts'

describe('tui/README.md', () => {
  it('shows the key table exactly as keys.ts has it', () => {
    const readme = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8')
    const table = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme)?.[1]
    expect(table).toBe(keyTableMarkdown())
  })
})
