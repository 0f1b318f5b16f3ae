/** The protocols the CLI knows by name. Each protocol folder adds itself here when it lands. */
import { pingpong } from '../sim/builtin/pingpong.ts'
import type { AnyProtocol } from '../sim/protocol.ts'
import { zab } from '../protocols/zab/index.ts'
import { raft } from '../protocols/raft/index.ts'
import { redisCluster } from '../protocols/redis-cluster/index.ts'
import { InputError } from '../sim/time.ts'

export const PROTOCOLS: readonly AnyProtocol[] = [pingpong, zab, raft, redisCluster]

export function findProtocol(name: string): AnyProtocol {
  const found = PROTOCOLS.find((p) => p.name === name)
  if (!found) throw new InputError(`unknown protocol '${name}' (protocols: ${PROTOCOLS.map((p) => p.name).join(', ')})`)
  return found
}
