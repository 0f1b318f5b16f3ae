/** Drops fields whose value is undefined (in place), so traces and histories carry no `"key": undefined` noise. */
export function withoutUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as Array<keyof T>) if (obj[key] === undefined) delete obj[key]
  return obj
}
