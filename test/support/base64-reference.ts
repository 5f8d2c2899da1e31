// The character-at-a-time base64 of crit's payloads, as it was before the line-at-a-time paths
// (src/json/base64.ts): the reference the property tests hold those paths to.

const VALUES = new Int8Array(256).fill(-1);
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
for (let i = 0; i < 64; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** bytes as crit's base64 in a JSON string's body: `\n` (escaped) after every 76 characters and at the end. */
export function referenceEscapedBase64(bytes: Uint8Array): string {
  let out = "";
  let line = 0;
  let i = 0;
  const char = (v: number) => ALPHABET[v & 63]!;
  for (; i + 3 <= bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += char(v >> 18) + char(v >> 12) + char(v >> 6) + char(v);
    if ((line += 4) === 76) {
      out += "\\n";
      line = 0;
    }
  }
  if (i < bytes.length) {
    const two = bytes.length - i === 2;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out += char(v >> 18) + char(v >> 12) + (two ? char(v >> 6) : "=") + "=";
    line += 4;
  }
  return line > 0 ? out + "\\n" : out;
}

/**
 * Reads base64 as decodeBase64Into did, a character at a time: the bytes, or undefined where it
 * returned -1. Line breaks skipped: raw ones, or with `escaped` JSON's `\n` and `\r`.
 */
export function referenceDecode(chars: Uint8Array, escaped: boolean): number[] | undefined {
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  let pad = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const v = VALUES[c]!;
    if (v >= 0 && pad === 0) {
      acc = (acc << 6) | v;
      if (++n === 4) {
        out.push(acc >> 16, (acc >> 8) & 255, acc & 255);
        acc = 0;
        n = 0;
      }
      continue;
    }
    if (escaped ? c === 0x5c && (chars[i + 1] === 0x6e || chars[i + 1] === 0x72) && i++ >= 0 : c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d && n >= 2 && ++pad + n <= 4) continue;
    return undefined;
  }
  if (pad > 0) {
    if (n + pad !== 4) return undefined;
    if (n === 2) out.push(acc >> 4);
    else out.push(acc >> 10, (acc >> 2) & 255);
  } else if (n !== 0) return undefined;
  return out;
}
