/**
 * Results of a pure parse kept by the text parsed. Plans repeat a few strings (a latency spec,
 * "0ms" undoing every clock fault) hundreds of times in a checked run, so each is read once.
 * Only successes are kept (a parse that throws keeps nothing); bounded, it starts afresh when full.
 */
export class TextMemo<T> {
  private readonly known = new Map<string, T>()

  constructor(private readonly limit = 1024) {}

  get(text: string, parse: () => T): T {
    const hit = this.known.get(text)
    if (hit !== undefined) return hit
    const value = parse()
    if (this.known.size >= this.limit) this.known.clear()
    this.known.set(text, value)
    return value
  }
}
