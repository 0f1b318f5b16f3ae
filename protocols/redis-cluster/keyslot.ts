/**
 * Key to hash slot, as Redis Cluster computes it: CRC16 (the XMODEM variant: polynomial
 * 0x1021, initial value 0) of the key's bytes, modulo 16384. A hash tag lets related keys
 * share a slot: when the key has a `{`, and a `}` somewhere after it, with at least one
 * byte between them, only those bytes are hashed. Only the first `{` counts, and the first
 * `}` after it; `{}` (an empty tag) means the whole key is hashed.
 */

export const SLOT_COUNT = 16384

const TABLE = buildTable()

function buildTable(): Uint16Array {
  const table = new Uint16Array(256)
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
    table[byte] = crc
  }
  return table
}

/** CRC16/XMODEM over bytes [from, to). */
export function crc16(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let crc = 0
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!
  return crc
}

const encoder = new TextEncoder()
const OPEN = 0x7b // '{'
const CLOSE = 0x7d // '}'

/** The hash slot of a key (its UTF-8 bytes), with Redis's hash-tag rules. */
export function keySlot(key: string): number {
  const bytes = encoder.encode(key)
  const open = bytes.indexOf(OPEN)
  if (open !== -1) {
    const close = bytes.indexOf(CLOSE, open + 1)
    // An empty tag ("{}") or no closing brace: the whole key is hashed.
    if (close > open + 1) return crc16(bytes, open + 1, close) & (SLOT_COUNT - 1)
  }
  return crc16(bytes) & (SLOT_COUNT - 1)
}
