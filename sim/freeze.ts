/**
 * Messages are values: once sent, neither the sender nor any receiver may change them
 * (a real network copies bytes; here nodes share one object). Deep-freezing at send makes
 * a later mutation throw a TypeError in the offending handler, reported as a node error,
 * instead of letting the receiver see something the trace never recorded. Freezing costs
 * about a tenth of a copy. Every send walks the whole message, like serialising it would:
 * an object frozen by someone else may still hold unfrozen contents, and remembering what
 * was walked (a WeakSet) costs more than walking again, except for values marked once by
 * deepFreezeShared (below), where the walk stops. Typed arrays cannot be frozen and
 * are left as they are (keep them out of messages); a cyclic message is not JSON, and ends
 * in a reported error. An array's elements are walked by index (a JSON list has nothing else).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value
  freezeWalk(value)
  return value
}

function freezeWalk(value: object): void {
  Object.freeze(value) // as cheap as asking Object.isFrozen first, and most messages are new objects
  if (Array.isArray(value)) {
    // By index: for-in would make a string of every index of a long list.
    for (let i = 0; i < value.length; i++) freezeInside(value[i])
    return
  }
  for (const key in value) freezeInside((value as Record<string, unknown>)[key])
}

/** Inside a message only: a new message itself is never marked, so the top level skips the look. */
function freezeInside(child: unknown): void {
  if (typeof child !== 'object' || child === null || ArrayBuffer.isView(child) || (child as Marked)[SHARED] === child) return
  freezeWalk(child)
}

/**
 * The mark of a value frozen all the way down by deepFreezeShared: the object itself under a
 * private symbol, not enumerable. Spreading or cloning does not copy it, and an object that
 * inherits it from a prototype sees the prototype, not itself, so the mark cannot be forged.
 */
const SHARED = Symbol('faultline.frozenShared')
type Marked = { [SHARED]?: unknown }

/**
 * deepFreeze for a value that will be sent and stored many times (a log entry): it is marked,
 * so later walks (deepFreeze at every send, storage's isImmutable at every write) stop at it
 * instead of visiting its contents again. Marking costs a few plain freezes, so one-off
 * messages are not worth it. An object frozen elsewhere cannot be marked, and is walked.
 */
export function deepFreezeShared<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return deepFreeze(value)
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return deepFreeze(value)
  for (const key in value) freezeInside((value as Record<string, unknown>)[key])
  Object.defineProperty(value, SHARED, { value })
  return Object.freeze(value)
}

/**
 * True for a value nothing can change: a primitive, or a plain object or array that is frozen
 * and holds only such values. Maps, sets, dates and typed arrays stay mutable when frozen, so
 * they never count. (Functions and symbols are not immutable here: structuredClone rejects them.)
 */
export function isImmutable(value: unknown): boolean {
  const type = typeof value
  if (type !== 'object') return type !== 'function' && type !== 'symbol'
  if (value === null) return true
  if ((value as Marked)[SHARED] === value) return true
  if (!Object.isFrozen(value)) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isImmutable(value[i])) return false
    return true
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  for (const key in value) if (!isImmutable((value as Record<string, unknown>)[key])) return false
  return true
}

/** A copy that cannot alias the original: immutable values need none and are returned as they are. */
export function copyUnlessImmutable<T>(value: T): T {
  return isImmutable(value) ? value : structuredClone(value)
}
