import { WireWriter } from "./wire-writer";

/** Thrown to leave the fast path; never escapes fusedImageBytes. */
export const GIVE_UP: unknown = Symbol("give up");

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Where the one-pass encoder stands: the JSON's bytes and the position in them, the wire writer
 * its values go to, and the JSON tokens read in place (whitespace, punctuation, strings, keys).
 * The scanner (fused-scanner.ts) builds on it; the readers of numbers and strings take it.
 */
export class FusedCursor {
  pos = 0;
  w = new WireWriter(4096);

  s!: Uint8Array;
  /** The same bytes as words, to step over indentation four spaces at a time. */
  private words!: DataView;

  constructor(json: Uint8Array) {
    this.setBytes(json);
  }

  /** The JSON to read from now on (from pos). */
  setBytes(json: Uint8Array): void {
    this.s = json;
    this.words = new DataView(json.buffer, json.byteOffset, json.byteLength);
  }

  ws(): void {
    const s = this.s;
    const p = this.pos;
    const c = s[p]!;
    if (c > 0x20) return; // no whitespace
    if (c === 0x20 && s[p + 1]! > 0x20) {
      this.pos = p + 1; // one space: after every comma and colon of plain JSON
      return;
    }
    this.pos = this.skipWs(p);
  }

  /** Where the whitespace from `p` on ends (whitespace of any length). */
  skipWs(p: number): number {
    const s = this.s;
    let c = s[p]!;
    for (;;) {
      if (c === 0x20) {
        // Pretty JSON's indentation: runs of spaces, four at a time, then the last few one by one.
        const words = this.words;
        while (p + 8 < s.length && words.getUint32(p + 1, true) === 0x20202020 && words.getUint32(p + 5, true) === 0x20202020) p += 8;
        if (p + 4 < s.length && words.getUint32(p + 1, true) === 0x20202020) p += 4;
        do c = s[++p]!;
        while (c === 0x20);
        continue;
      }
      if (c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      c = s[++p]!;
    }
    return p;
  }

  /** At `close` (an empty object or list): steps over it. */
  empty(close: number): boolean {
    if (this.s[this.pos] !== close) return false;
    this.pos++;
    return true;
  }

  /** After a member: true at "," (and steps over it), false at `close`. */
  more(close: number): boolean {
    this.ws();
    const c = this.s[this.pos++];
    if (c === close) return false;
    if (c !== 0x2c) throw GIVE_UP;
    this.ws();
    return true;
  }

  protected expect(c: number): void {
    if (this.s[this.pos] !== c) throw GIVE_UP;
    this.pos++;
  }

  /** Where the last key read ends (its closing quote). */
  protected keyEnd = 0;

  /** A key and its colon; returns where the key starts (it ends at keyEnd). */
  protected key(): number {
    const start = this.stringToken();
    this.keyEnd = this.pos - 1;
    this.ws();
    this.expect(0x3a);
    this.ws();
    return start;
  }

  protected expectKey(key: string): void {
    this.ws();
    const start = this.key();
    if (!this.isKey(start, this.keyEnd, key)) throw GIVE_UP;
  }

  /**
   * Steps over a string; returns where its body starts (the closing quote is at pos - 1).
   * Raw control characters (invalid JSON) leave the fast path.
   */
  stringToken(): number {
    const s = this.s;
    if (s[this.pos] !== 0x22) throw GIVE_UP;
    const start = this.pos + 1;
    let p = start;
    for (;;) {
      if (p >= s.length) throw GIVE_UP;
      const c = s[p]!;
      if (c === 0x22) break;
      if (c < 0x20) throw GIVE_UP;
      p += c === 0x5c ? 2 : 1;
    }
    this.pos = p + 1;
    return start;
  }

  /** Whether the JSON at pos is `"key"` (the quotes included). */
  protected keyHere(key: Uint8Array): boolean {
    const s = this.s;
    const p = this.pos + 1;
    if (s[p + key.length] !== 0x22 || s[this.pos] !== 0x22) return false;
    for (let i = 0; i < key.length; i++) if (s[p + i] !== key[i]) return false;
    return true;
  }

  /** True when s[start, end) is exactly `key` (bytes). */
  same(start: number, end: number, key: Uint8Array): boolean {
    if (end - start !== key.length) return false;
    const s = this.s;
    for (let i = 0; i < key.length; i++) if (s[start + i] !== key[i]) return false;
    return true;
  }

  protected isKey(start: number, end: number, key: string): boolean {
    if (end - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.s[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** ASCII without escapes: the bytes are the value. */
  plain(start: number, end: number): boolean {
    const s = this.s;
    for (let i = start; i < end; i++) if (s[i]! >= 0x80 || s[i] === 0x5c) return false;
    return true;
  }

  protected latin1(start: number, end: number): string {
    // Image type names are short: a long "magic" is for the parser to refuse.
    if (end - start > 64) throw GIVE_UP;
    let out = "";
    for (let i = start; i < end; i++) out += String.fromCharCode(this.s[i]!);
    return out;
  }

  /** A string's value: UTF-8 (invalid: the parsing path), escapes read as JSON does. */
  text(start: number, end: number): string {
    let raw: string;
    try {
      raw = utf8.decode(this.s.subarray(start, end));
    } catch {
      throw GIVE_UP;
    }
    if (raw.indexOf("\\") < 0) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      throw GIVE_UP;
    }
  }
}
