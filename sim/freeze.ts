/**
 * Messages are values: once sent, neither the sender nor any receiver may change them
 * (a real network copies bytes; here nodes share one object). Deep-freezing at send makes
 * a later mutation throw a TypeError in the offending handler, reported as a node error,
 * instead of letting the receiver see something the trace never recorded. Freezing costs
 * about a tenth of a copy. Objects this module froze are remembered and not walked again;
 * an object someone else froze is still walked, since its contents may not be frozen.
 * Typed arrays cannot be frozen and are left as they are (keep them out of messages).
 */
const deepFrozen = new WeakSet<object>()

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || deepFrozen.has(value)) return value
  deepFrozen.add(value)
  if (ArrayBuffer.isView(value)) return value
  Object.freeze(value)
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key])
  return value
}
