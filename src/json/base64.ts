
/**
 * Bytes as crit writes them (Python's `base64.encodebytes`): standard base64 with a newline
 * after every 76 characters and at the end; no bytes give "".
 */
export function toMimeBase64(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  const chars = Math.ceil(bytes.length / 3) * 4;
  const out = new Uint8Array(chars + Math.ceil(chars / 76));
  return ascii.decode(out.subarray(0, charsInto(bytes, 0, bytes.length, out, 0, false)));
}

/**
 * bytes[i, end) as base64 into out from p, a character at a time, from the start of a line: a
 * line break after every 76 characters and after the last ones, raw or (with `escaped`) as
 * JSON's `\n`. Returns the end.
 */
function charsInto(bytes: Uint8Array, i: number, end: number, out: Uint8Array, p: number, escaped: boolean): number {
  let line = 0;
  const lineBreak = () => {
    if (escaped) out[p++] = 0x5c;
    out[p++] = escaped ? 0x6e : 0x0a;
  };
  for (; i + 3 <= end; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[p++] = ALPHABET[v >> 18]!;
    out[p++] = ALPHABET[(v >> 12) & 63]!;
    out[p++] = ALPHABET[(v >> 6) & 63]!;
    out[p++] = ALPHABET[v & 63]!;
    if ((line += 4) === 76) {
      lineBreak();
      line = 0;
    }
  }
  if (i < end) {
    const two = end - i === 2;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[p++] = ALPHABET[v >> 18]!;
    out[p++] = ALPHABET[(v >> 12) & 63]!;
    out[p++] = two ? ALPHABET[(v >> 6) & 63]! : 0x3d;
    out[p++] = 0x3d;
    line += 4;
  }
  if (line > 0) lineBreak();
  return p;
}

const ALPHABET = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (c) => c.charCodeAt(0));
const ascii = new TextDecoder("latin1");

// The payload paths (a JSON string's body, where crit's line break is the escape `\n`) work on
// whole lines through aligned scratch buffers and tables of character pairs: writing, four
// characters per 32-bit store; reading, two characters per 16-bit load. Measured on 64 MiB of
// payload (bench/README.md): 1.3 GB/s writing and 1.0–1.2 reading in Node 20 (1.5 and 1.2 in
// Chromium 150) against 1.0 and 0.85 a character at a time. The runtimes' own base64 (2–12 GB/s
// on text without line breaks) lost its lead once the breaks had to be put in or taken out and
// text turned into bytes or back.

/** JSON's escaped line break, `\n`, as a little-endian 16-bit word. */
const ESCAPED_NL = 0x5c | (0x6e << 8);

/** Two lines of payload (2 × 57 bytes) as base64 in a JSON string: 2 × (76 + 2) characters. */
const PAIR_IN = 114;
const PAIR_OUT = 156;
/** Line pairs encoded per round through the scratch buffer (~64 KiB, which stays in cache). */
const PAIRS_PER_ROUND = 420;

let encodeTables: { low: Uint32Array; high: Uint32Array; scratch: Uint32Array } | undefined;

/** The two characters of each 12-bit value, as the low or high half of a 32-bit word. */
function encodeTablesOnce() {
  if (encodeTables) return encodeTables;
  const low = new Uint32Array(4096);
  const high = new Uint32Array(4096);
  for (let v = 0; v < 4096; v++) {
    low[v] = ALPHABET[v >> 6]! | (ALPHABET[v & 63]! << 8);
    high[v] = low[v]! * 65536;
  }
  return (encodeTables = { low, high, scratch: new Uint32Array((PAIRS_PER_ROUND * PAIR_OUT) / 4) });
}

/** The length of escapedBase64Into's output for n bytes. */
export function escapedBase64Length(n: number): number {
  const chars = Math.ceil(n / 3) * 4;
  return chars + Math.ceil(chars / 76) * 2;
}

/**
 * Writes bytes[start, end) into out from `at` as crit's base64 inside a JSON string (no quotes):
 * a `\n` escape after every 76 characters and after the last ones; returns the end. Room needed:
 * escapedBase64Length(end - start).
 */
export function escapedBase64Into(bytes: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  let p = at;
  let i = start;
  if (end - i >= PAIR_IN) {
    const { low, high, scratch } = encodeTablesOnce();
    const words = new Uint8Array(scratch.buffer);
    while (end - i >= PAIR_IN) {
      // A pair of lines is 39 words: the second line starts two bytes into a word, after `\n`.
      const pairs = Math.min(PAIRS_PER_ROUND, Math.floor((end - i) / PAIR_IN));
      let w = 0;
      for (let l = 0; l < pairs; l++) {
        for (let k = 0; k < 19; k++, i += 3) {
          const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
          scratch[w++] = low[v >>> 12]! | high[v & 4095]!;
        }
        let carry = ESCAPED_NL;
        for (let k = 0; k < 19; k++, i += 3) {
          const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
          scratch[w++] = carry | high[v >>> 12]!;
          carry = low[v & 4095]!;
        }
        scratch[w++] = carry | (ESCAPED_NL << 16);
      }
      out.set(words.subarray(0, w * 4), p);
      p += w * 4;
    }
  }
  // Less than two lines left: a character at a time.
  return charsInto(bytes, i, end, out, p, true);
}

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
  let from = start;
  if (escaped && end - start >= LINE_IN) {
    p = escapedLinesInto(chars, start, end, out, at);
    from = linesEnd;
  }
  let acc = 0;
  let n = 0; // characters in the current group of four
  let pad = 0;
  for (let i = from; i < end; i++) {
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

/** One line of a JSON string's base64: 76 characters and `\n`. */
const LINE_IN = 78;
/** Lines copied per round into the aligned scratch buffer (~64 KiB). */
const LINES_PER_ROUND = 840;

let decodeTables: { pairs: Int16Array; scratch: Uint16Array } | undefined;

/** The 12 bits of each pair of base64 characters (a little-endian 16-bit word), -1 for others. */
function decodeTablesOnce() {
  if (decodeTables) return decodeTables;
  const pairs = new Int16Array(65536).fill(-1);
  for (let a = 0; a < 64; a++) for (let b = 0; b < 64; b++) pairs[ALPHABET[a]! | (ALPHABET[b]! << 8)] = (a << 6) | b;
  return (decodeTables = { pairs, scratch: new Uint16Array((LINES_PER_ROUND * LINE_IN) / 2) });
}

/** Where escapedLinesInto stopped reading. */
let linesEnd = 0;

/**
 * Decodes the whole lines at chars[start, end) (76 base64 characters, then `\n`) into out from
 * `at`, up to the first line that is anything else; returns the end in out and leaves in
 * linesEnd where that line starts, for the character-at-a-time reading to go on from there
 * (a group of four never spans a line break in these lines, so nothing is carried over).
 */
function escapedLinesInto(chars: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
  const { pairs, scratch } = decodeTablesOnce();
  const bytes = new Uint8Array(scratch.buffer);
  let i = start;
  let p = at;
  while (end - i >= LINE_IN) {
    const lines = Math.min(LINES_PER_ROUND, Math.floor((end - i) / LINE_IN));
    bytes.set(chars.subarray(i, i + lines * LINE_IN));
    let j = 0; // in 16-bit words
    for (let l = 0; l < lines; l++) {
      const q = p;
      let bad = 0;
      for (let k = 0; k < 19; k++, j += 2) {
        const hi = pairs[scratch[j]!]!;
        const lo = pairs[scratch[j + 1]!]!;
        bad |= hi | lo;
        out[p++] = hi >> 4;
        out[p++] = ((hi & 15) << 4) | (lo >> 8);
        out[p++] = lo;
      }
      if (bad < 0 || scratch[j++] !== ESCAPED_NL) {
        linesEnd = i + l * LINE_IN;
        return q; // its bytes are written again by the caller's reading
      }
    }
    i += lines * LINE_IN;
  }
  linesEnd = i;
  return p;
}
