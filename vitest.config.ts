import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    // .tmp/ holds scratch worktrees and profiling scripts; .faultline/ the check's outputs.
    exclude: ['**/node_modules/**', '.tmp/**', '.faultline/**'],
    testTimeout: 60_000,
    pool: 'forks',
  },
})
