// What a memory search looks for: a literal (text as UTF-8, or bytes given in hex) or a regular
// expression, matched against the raw bytes. A matcher is asked about a buffer whose tail may
// continue in the next chunk, and says up to where its answer is final.

import { MemoryError } from "./errors";

export type SearchPattern =
  | { literal: string }
  | { hex: string }
  | { bytes: Uint8Array }
  /**
   * A JavaScript regular expression run over the bytes read as Latin-1 (byte N is the character
   * U+00NN: write `\x00` for a NUL, `[\x80-\xff]` for high bytes). Matches do not overlap.
   * `window` (default 4096) is the longest match the search guarantees to find whatever the
   * page, chunk and dump boundaries; longer matches may be cut or missed where data arrives in
   * pieces.
   */
  | { regex: string | RegExp; window?: number };

export interface Matcher {
  /** Bytes a scan must keep from one chunk to the next so that no match is lost at the seam. */
  readonly keep: number;
  /**
   * Matches ([start, end) in `buf`) starting at `from` or later and before `limit`; `next` is
   * where the next scan must resume (>= limit): matches starting at or after it are not decided.
   */
  find(buf: Uint8Array, from: number, limit: number): { matches: [number, number][]; next: number };
  /** What the pattern is, for reports. */
  readonly text: string;
}

export const DEFAULT_REGEX_WINDOW = 4096;

export function compilePattern(pattern: SearchPattern): Matcher {
  if ("regex" in pattern) return regexMatcher(pattern.regex, pattern.window ?? DEFAULT_REGEX_WINDOW);
  const bytes = "literal" in pattern ? new TextEncoder().encode(pattern.literal) : "hex" in pattern ? parseHex(pattern.hex) : pattern.bytes;
  if (bytes.length === 0) throw new MemoryError("bad-pattern", "the search pattern is empty");
  return literalMatcher(bytes);
}

/** "6e 65 65 64", "6e656564", "0x6e:65" all give the same bytes. */
export function parseHex(text: string): Uint8Array {
  const digits = text.replace(/0x/gi, "").replace(/[\s:,-]/g, "");
  if (!/^[0-9a-f]*$/i.test(digits) || digits.length % 2 !== 0) {
    throw new MemoryError("bad-pattern", `hex pattern ${JSON.stringify(text)}: expected pairs of hex digits`);
  }
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Every occurrence, overlapping ones included. */
function literalMatcher(needle: Uint8Array): Matcher {
  const n = needle.length;
  const skip = n < 3 ? undefined : skipTable(needle);
  return {
    keep: n - 1,
    text: new TextDecoder("utf-8", { fatal: false }).decode(needle),
    find(buf, from, limit) {
      const last = Math.min(limit, buf.length - n + 1);
      const matches = skip === undefined ? shortMatches(buf, needle, from, last) : horspoolMatches(buf, needle, skip, from, last);
      return { matches, next: Math.max(from, limit) };
    },
  };
}

/** Matches starting in [from, last): the platform's indexOf for the first byte, then a compare. */
function shortMatches(buf: Uint8Array, needle: Uint8Array, from: number, last: number): [number, number][] {
  const n = needle.length;
  const matches: [number, number][] = [];
  for (let i = buf.indexOf(needle[0]!, from); i !== -1 && i < last; i = buf.indexOf(needle[0]!, i + 1)) {
    if (n === 1 || buf[i + 1] === needle[1]) matches.push([i, i + n]);
  }
  return matches;
}

/** Boyer-Moore-Horspool: how far the window may move when its last byte is b. */
function skipTable(needle: Uint8Array): Int32Array {
  const n = needle.length;
  const skip = new Int32Array(256).fill(n);
  for (let i = 0; i < n - 1; i++) skip[needle[i]!] = n - 1 - i;
  return skip;
}

/** Matches starting in [from, last), found by windows of the needle's length moved by `skip`. */
function horspoolMatches(buf: Uint8Array, needle: Uint8Array, skip: Int32Array, from: number, last: number): [number, number][] {
  const n = needle.length;
  const tail = needle[n - 1]!;
  const matches: [number, number][] = [];
  for (let i = from; i < last; ) {
    const b = buf[i + n - 1]!;
    if (b === tail) {
      let k = 0;
      while (k < n - 1 && buf[i + k] === needle[k]) k++;
      if (k === n - 1) matches.push([i, i + n]);
    }
    i += skip[b]!;
  }
  return matches;
}

function regexMatcher(source: string | RegExp, window: number): Matcher {
  if (!Number.isSafeInteger(window) || window < 1) throw new MemoryError("bad-pattern", `regex window must be a positive integer, not ${window}`);
  let re: RegExp;
  try {
    re = typeof source === "string" ? new RegExp(source, "g") : new RegExp(source.source, source.flags.replace(/[gy]/g, "") + "g");
  } catch (err) {
    throw new MemoryError("bad-pattern", `regular expression ${JSON.stringify(String(source))}: ${(err as Error).message}`);
  }
  return {
    keep: window,
    text: re.source,
    find(buf, from, limit) {
      const matches: [number, number][] = [];
      const text = latin1(buf, from);
      re.lastIndex = 0;
      let next = from;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const start = from + m.index;
        if (start >= limit) break;
        const end = start + m[0].length;
        matches.push([start, end]);
        next = end;
        if (m[0].length === 0) re.lastIndex++;
      }
      return { matches, next: Math.max(next, limit) };
    },
  };
}

const utf16 = new TextDecoder("utf-16le");

/**
 * The bytes from `from` on as a string of char codes 0..255. TextDecoder's "latin1" is really
 * windows-1252 (0x80..0x9f become other characters), so each byte is widened to a UTF-16 unit.
 */
function latin1(buf: Uint8Array, from: number): string {
  const units = new Uint16Array(buf.length - from);
  for (let i = 0; i < units.length; i++) units[i] = buf[from + i]!;
  return utf16.decode(units);
}
