/**
 * Messages are values: once sent, neither the sender nor any receiver may change them
 * (a real network copies bytes; here nodes share one object). Deep-freezing at send makes
 * a later mutation throw a TypeError in the offending handler, reported as a node error,
 * instead of letting the receiver see something the trace never recorded. Freezing costs
 * about a tenth of a copy, and objects already frozen are not walked again.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  Object.freeze(value)
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key])
  return value
}
