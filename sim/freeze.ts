/**
 * Messages are values: once sent, neither the sender nor any receiver may change them
 * (a real network copies bytes; here nodes share one object). Deep-freezing at send makes
 * a later mutation throw a TypeError in the offending handler, reported as a node error,
 * instead of letting the receiver see something the trace never recorded. Freezing costs
 * about a tenth of a copy. Every send walks the whole message, like serialising it would:
 * an object frozen by someone else may still hold unfrozen contents, and remembering what
 * was walked (a WeakSet) costs more than walking again. Typed arrays cannot be frozen and
 * are left as they are (keep them out of messages); a cyclic message is not JSON, and ends
 * in a reported error.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value
  Object.freeze(value) // as cheap as asking Object.isFrozen first, and most messages are new objects
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key]
    if (typeof child === 'object' && child !== null) deepFreeze(child)
  }
  return value
}
