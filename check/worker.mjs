// A piscina worker for `faultline check --workers`: the project is TypeScript run through
// tsx, so the worker registers tsx before loading the task code, as bin/faultline.mjs does.
import { register } from 'tsx/esm/api'

register()
const { runJob } = await import('./worker-task.ts')
export default runJob
