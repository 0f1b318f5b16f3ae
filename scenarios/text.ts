/** Times as the narration prints them: seconds with milliseconds ("1.205s"). */
import type { Micros } from '../sim/time.ts'

export function secondsText(us: Micros): string {
  return `${(us / 1_000_000).toFixed(3)}s`
}
