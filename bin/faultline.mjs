#!/usr/bin/env node
// The faultline command. The project is TypeScript run directly through tsx, so there is
// no build step between a checkout and a working command.
import { register } from 'tsx/esm/api'

register()
// A reader that stops early (`faultline run ... | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
}
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
