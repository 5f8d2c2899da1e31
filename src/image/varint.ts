/** The varint `readVarint` just read: low and high 32 bits, its length, the position after it. */
export const varint = { lo: 0, hi: 0, len: 0, at: 0, padded: false };

/**
 * Reads a varint at `pos` into `varint`; false when it runs past `end`, is longer than ten
 * bytes, or carries bits past 64. `padded` tells a non-shortest form (a last byte of zero),
 * which no encoder writes.
 */
export function readVarint(buf: Uint8Array, pos: number, end: number): boolean {
  let l = 0;
  let h = 0;
  const start = pos;
  for (let shift = 0; shift < 70; shift += 7) {
    if (pos >= end) return false;
    const b = buf[pos++]!;
    if (shift < 28) l |= (b & 0x7f) << shift;
    else if (shift === 28) {
      l |= (b & 0x0f) << 28;
      h |= (b & 0x7f) >> 4;
    } else h |= (b & 0x7f) << (shift - 32);
    if (b < 0x80) {
      if (shift === 63 && b > 1) return false;
      varint.lo = l >>> 0;
      varint.hi = h >>> 0;
      varint.len = pos - start;
      varint.at = pos;
      varint.padded = b === 0 && pos - start > 1;
      return true;
    }
  }
  return false;
}
