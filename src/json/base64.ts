
/**
 * Bytes as crit writes them (Python's `base64.encodebytes`): standard base64 with a newline
 * after every 76 characters and at the end; no bytes give "".
 */
export function toMimeBase64(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  const n = bytes.length;
  const chars = Math.ceil(n / 3) * 4;
  const out = new Uint8Array(chars + Math.ceil(chars / 76));
  let p = 0;
  let line = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[p++] = ALPHABET[v >> 18]!;
    out[p++] = ALPHABET[(v >> 12) & 63]!;
    out[p++] = ALPHABET[(v >> 6) & 63]!;
    out[p++] = ALPHABET[v & 63]!;
    if ((line += 4) === 76) {
      out[p++] = 0x0a;
      line = 0;
    }
  }
  if (i < n) {
    const two = n - i === 2;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[p++] = ALPHABET[v >> 18]!;
    out[p++] = ALPHABET[(v >> 12) & 63]!;
    out[p++] = two ? ALPHABET[(v >> 6) & 63]! : 0x3d;
    out[p++] = 0x3d;
    line += 4;
  }
  if (line > 0) out[p++] = 0x0a;
  return ascii.decode(out.subarray(0, p));
}

const ALPHABET = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (c) => c.charCodeAt(0));
const ascii = new TextDecoder("latin1");

const VALUES = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) VALUES["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charCodeAt(i)] = i;

/**
 * Reads base64 the way crit does (line breaks ignored); undefined when it is not base64:
 * other characters, a length that is not a multiple of 4, or padding before the end.
 */
export function fromMimeBase64(text: string): Uint8Array | undefined {
  // Reading bytes of a typed array is much faster than charCodeAt on a long string.
  const chars = encoder.encode(text);
  const out = new Uint8Array(Math.floor((chars.length * 3) / 4) + 3);
  const n = decodeBase64Into(chars, 0, chars.length, out, 0, false);
  return n < 0 ? undefined : out.subarray(0, n);
}

/**
 * Decodes base64 characters chars[start, end) into out from `at` (room for 3/4 of the
 * characters, plus 3); returns the number of bytes, or -1 when it is not base64. Line breaks
 * are skipped: raw ones, or with `escaped`, JSON's `\n` and `\r` (the body of a JSON string).
 */
export function decodeBase64Into(chars: Uint8Array, start: number, end: number, out: Uint8Array, at: number, escaped: boolean): number {
  let p = at;
  let acc = 0;
  let n = 0; // characters in the current group of four
  let pad = 0;
  for (let i = start; i < end; i++) {
    if (n === 0 && pad === 0) {
      // Whole groups of four at once, up to the next line break (or anything else).
      while (i + 4 <= end) {
        const a = VALUES[chars[i]!]!;
        const b = VALUES[chars[i + 1]!]!;
        const c = VALUES[chars[i + 2]!]!;
        const d = VALUES[chars[i + 3]!]!;
        if ((a | b | c | d) < 0) break;
        const v = (a << 18) | (b << 12) | (c << 6) | d;
        out[p++] = v >> 16;
        out[p++] = (v >> 8) & 255;
        out[p++] = v & 255;
        i += 4;
      }
      if (i >= end) break;
    }
    const c = chars[i]!;
    const v = VALUES[c]!;
    if (v >= 0 && pad === 0) {
      acc = (acc << 6) | v;
      if (++n === 4) {
        out[p++] = acc >> 16;
        out[p++] = (acc >> 8) & 255;
        out[p++] = acc & 255;
        acc = 0;
        n = 0;
      }
      continue;
    }
    if (escaped ? c === 0x5c && (chars[i + 1] === 0x6e || chars[i + 1] === 0x72) && i++ >= 0 : c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d && n >= 2 && ++pad + n <= 4) continue;
    return -1;
  }
  if (pad > 0) {
    if (n + pad !== 4) return -1;
    if (n === 2) out[p++] = acc >> 4;
    else {
      out[p++] = acc >> 10;
      out[p++] = (acc >> 2) & 255;
    }
  } else if (n !== 0) return -1;
  return p - at;
}

const encoder = new TextEncoder();
