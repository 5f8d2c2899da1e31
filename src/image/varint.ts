/** The varint `readVarint` just read: low and high 32 bits, its length, the position after it. */
export const varint = { lo: 0, hi: 0, len: 0, at: 0, padded: false };

/**
 * Reads a varint at `pos` into `varint`; false when it runs past `end`, is longer than ten
 * bytes, or carries bits past 64. `padded` tells a non-shortest form (a last byte of zero),
 * which no encoder writes. With ten bytes or more left, byte by byte without a loop or a bounds
 * test per byte (addresses and sizes are 3–7 bytes long); near the end, readVarintNearEnd.
 */
export function readVarint(buf: Uint8Array, pos: number, end: number): boolean {
  if (end - pos < 10) return readVarintNearEnd(buf, pos, end);
  const start = pos;
  let b = buf[pos++]!;
  let l = b & 0x7f;
  if (b < 0x80) return found(l, 0, start, pos, b);
  b = buf[pos++]!;
  l |= (b & 0x7f) << 7;
  if (b < 0x80) return found(l, 0, start, pos, b);
  b = buf[pos++]!;
  l |= (b & 0x7f) << 14;
  if (b < 0x80) return found(l, 0, start, pos, b);
  b = buf[pos++]!;
  l |= (b & 0x7f) << 21;
  if (b < 0x80) return found(l, 0, start, pos, b);
  b = buf[pos++]!;
  l |= (b & 0x0f) << 28;
  let h = (b & 0x7f) >> 4;
  if (b < 0x80) return found(l, h, start, pos, b);
  b = buf[pos++]!;
  h |= (b & 0x7f) << 3;
  if (b < 0x80) return found(l, h, start, pos, b);
  b = buf[pos++]!;
  h |= (b & 0x7f) << 10;
  if (b < 0x80) return found(l, h, start, pos, b);
  b = buf[pos++]!;
  h |= (b & 0x7f) << 17;
  if (b < 0x80) return found(l, h, start, pos, b);
  b = buf[pos++]!;
  h |= (b & 0x7f) << 24;
  if (b < 0x80) return found(l, h, start, pos, b);
  b = buf[pos++]!;
  h |= (b & 0x7f) << 31;
  // The tenth byte holds bit 63 alone.
  if (b < 0x80 && b <= 1) return found(l, h, start, pos, b);
  return false;
}

function found(l: number, h: number, start: number, pos: number, last: number): true {
  varint.lo = l >>> 0;
  varint.hi = h >>> 0;
  varint.len = pos - start;
  varint.at = pos;
  varint.padded = last === 0 && pos - start > 1;
  return true;
}

/** readVarint with a bounds test per byte, for the last bytes before `end`. */
function readVarintNearEnd(buf: Uint8Array, pos: number, end: number): boolean {
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
      return found(l, h, start, pos, b);
    }
  }
  return false;
}
