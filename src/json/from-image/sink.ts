import { GrowableBytes } from "../../image/bytes";
import { escapedBase64Into, escapedBase64Length } from "../base64";
import { toQuotedPrintable, unchangedByQuotedPrintable } from "../quopri";
import { quote } from "./stringify";
import { JsonBytes, type JsonValue } from "../value";

/**
 * A growable buffer of ASCII JSON text. crit's JSON is pure ASCII (everything else is escaped),
 * so text can be built as bytes, without making a JavaScript string per value.
 */
export class JsonSink extends GrowableBytes {
  /**
   * With `spaced` (pretty JSON of a whole document), the buffer is filled with spaces a little
   * ahead of the writes, so that indentation can be stepped over instead of written.
   * Bytes past `pos` are then spaces: a writer that gives up must hand them back (rewind()).
   */
  constructor(
    size = 1 << 16,
    readonly spaced = false,
  ) {
    super(size);
    if (spaced) this.limit = 0;
  }

  byte(b: number): void {
    if (this.pos >= this.limit) this.reserve(1);
    this.buf[this.pos++] = b;
  }

  /** Back to `mark`, forgetting what was written after it (up to `end`, by default pos). */
  rewind(mark: number, end = this.pos): void {
    if (this.spaced) this.buf.fill(0x20, mark, end);
    this.pos = mark;
  }

  override take(): Uint8Array {
    const written = this.pos;
    const out = super.take();
    if (this.spaced) this.buf.fill(0x20, 0, written);
    return out;
  }

  override takeView(): Uint8Array {
    if (this.spaced) throw new Error("a spaced JsonSink cannot lend its buffer out");
    return super.takeView();
  }

  protected override extend(n: number): void {
    if (!this.spaced) return super.extend(n);
    const need = this.pos + n;
    if (need > this.buf.length) {
      this.grow(n);
      this.limit = this.pos; // the copy holds only what was written
    }
    // Spaces in steps of 64 KiB, so that the buffer's pages are touched only as writes come.
    const upTo = Math.min(this.buf.length, Math.max(need, this.limit + (1 << 16)));
    this.buf.fill(0x20, this.limit, upTo);
    this.limit = upTo;
  }

  /**
   * A line break and the indentation of `level` (4 spaces each) of pretty JSON. In a spaced sink
   * the spaces are there already: the line break is written and the indentation stepped over.
   */
  newline(level: number): void {
    const n = 1 + 4 * level;
    this.reserve(n);
    const p = this.pos;
    this.buf[p] = 0x0a;
    if (!this.spaced) this.buf.fill(0x20, p + 1, p + n);
    this.pos = p + n;
  }

  /** Text that is already ASCII JSON (keys, escaped strings, numbers). */
  ascii(s: string): void {
    this.reserve(s.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A non-negative integer below 2^53, in decimal. */
  uint(n: number): void {
    if (n < 10) return this.byte(48 + n);
    this.reserve(16);
    if (n <= 0x7fffffff) {
      this.pos = writeInt31(this.buf, this.pos, n);
      return;
    }
    // Two int31 halves (one division of doubles), the low one padded to eight digits.
    const hi = Math.floor(n / 1e8);
    const lo = n - hi * 1e8;
    const p = writeInt31(this.buf, this.pos, hi);
    writePairs(this.buf, p + 8, lo, 4);
    this.pos = p + 8;
  }

  /** A non-negative integer below 2^53 as crit's hex string: "0x1f" (quoted). */
  hexString(n: number): void {
    const hi = n > 0xffffffff ? Math.floor(n / 0x100000000) : 0;
    this.hexWords(hi, hi === 0 ? n : n - hi * 0x100000000);
  }

  /** hexString of the unsigned 64-bit integer hi · 2^32 + lo (both unsigned 32-bit words). */
  hexWords(hi: number, lo: number): void {
    this.reserve(20);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    buf[p++] = 0x30;
    buf[p++] = 0x78;
    if (hi === 0) p = writeHex32(buf, p, lo, false);
    else {
      p = writeHex32(buf, p, hi, false);
      p = writeHex32(buf, p, lo, true);
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  /** Any integer, in decimal. */
  int(n: number | bigint): void {
    if (typeof n === "number" && n >= 0 && n <= Number.MAX_SAFE_INTEGER) this.uint(n);
    else this.ascii(String(n));
  }

  text(): string {
    return latin1.decode(this.buf.subarray(0, this.pos));
  }
}

const latin1 = new TextDecoder("latin1");

/** Pre-encoded ASCII. */
export function asciiBytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

const HEX = asciiBytes("0123456789abcdef");

/** 0 <= n < 2^31 in decimal at p; returns the position after it. */
function writeInt31(buf: Uint8Array, p: number, n: number): number {
  const digits = n < 1e5 ? (n < 100 ? (n < 10 ? 1 : 2) : n < 1e3 ? 3 : n < 1e4 ? 4 : 5) : n < 1e7 ? (n < 1e6 ? 6 : 7) : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  const end = p + digits;
  const pairs = digits >> 1;
  writePairs(buf, end, n, pairs);
  if (digits & 1) buf[p] = 48 + ((n / PAIR_DIVISORS[pairs]!) | 0);
  return end;
}

const PAIR_DIVISORS = [1, 100, 1e4, 1e6, 1e8, 1e10];

/** The last `pairs` pairs of decimal digits of n (0 <= n < 2^31), written backwards from `end`. */
function writePairs(buf: Uint8Array, end: number, n: number, pairs: number): void {
  let i = end;
  for (let k = 0; k < pairs; k++) {
    const q = (n / 100) | 0;
    const r = (n - q * 100) << 1;
    buf[--i] = DIGIT_PAIRS[r + 1]!;
    buf[--i] = DIGIT_PAIRS[r]!;
    n = q;
  }
}

/** "00", "01", ... "99" as ASCII bytes. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : ((i >> 1) / 10) | 0));

/** A 32-bit value in hex at p (all eight digits with `full`); returns the position after it. */
function writeHex32(buf: Uint8Array, p: number, n: number, full: boolean): number {
  let digits = 8;
  if (!full) while (digits > 1 && n >>> ((digits - 1) * 4) === 0) digits--;
  for (let i = digits - 1; i >= 0; i--) buf[p++] = HEX[(n >>> (i * 4)) & 15]!;
  return p;
}
/**
 * `bytes` as crit's quoted-printable inside a JSON string (unix socket names). Printable ASCII is
 * its own quoted-printable form, with a path's NUL at the end as "=00" when the line has room.
 */
export function writeQuotedPrintableString(sink: JsonSink, bytes: Uint8Array, start: number, end: number): void {
  const nul = end > start && bytes[end - 1] === 0 && end - 1 - start <= 72;
  const body = nul ? end - 1 : end;
  if (!unchangedByQuotedPrintable(bytes, start, body)) return sink.ascii(quote(toQuotedPrintable(bytes.subarray(start, end))));
  writeUtf8String(sink, bytes, start, body);
  if (!nul) return;
  sink.pos--; // the closing quote
  sink.ascii('=00"');
}

/** `bytes` as crit's MIME base64 inside a JSON string: "...\n" every 76 characters, quoted. */
export function writeBase64String(sink: JsonSink, bytes: Uint8Array, start: number, end: number): void {
  sink.reserve(escapedBase64Length(end - start) + 2);
  const buf = sink.buf;
  buf[sink.pos] = 0x22;
  const p = escapedBase64Into(bytes, start, end, buf, sink.pos + 1);
  buf[p] = 0x22;
  sink.pos = p + 1;
}

/**
 * UTF-8 bytes as a JSON string with Python's ensure_ascii escaping. False (nothing written) when
 * the bytes are not strict UTF-8, or start with a byte-order mark protobuf-es would drop.
 */
export function writeUtf8String(sink: JsonSink, bytes: Uint8Array, start: number, end: number): boolean {
  if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) return false;
  const mark = sink.pos;
  sink.reserve((end - start) * 12 + 2);
  const buf = sink.buf;
  let p = sink.pos;
  buf[p++] = 0x22;
  for (let i = start; i < end; ) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f) {
      if (b === 0x22 || b === 0x5c) buf[p++] = 0x5c;
      buf[p++] = b;
      i++;
      continue;
    }
    let cp: number;
    if (b < 0x80) {
      cp = b;
      i++;
    } else {
      const [c, len] = codePoint(bytes, i, end);
      if (len === 0) {
        sink.rewind(mark, p);
        return false;
      }
      cp = c;
      i += len;
    }
    p = escapeCodePoint(buf, p, cp);
  }
  buf[p++] = 0x22;
  sink.pos = p;
  return true;
}

const SHORT: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };

function escapeCodePoint(buf: Uint8Array, p: number, cp: number): number {
  const short = SHORT[cp];
  if (short !== undefined) {
    buf[p++] = 0x5c;
    buf[p++] = short;
    return p;
  }
  if (cp > 0xffff) {
    const v = cp - 0x10000;
    p = escapeUnit(buf, p, 0xd800 + (v >> 10));
    return escapeUnit(buf, p, 0xdc00 + (v & 0x3ff));
  }
  return escapeUnit(buf, p, cp);
}

function escapeUnit(buf: Uint8Array, p: number, u: number): number {
  buf[p++] = 0x5c;
  buf[p++] = 0x75;
  buf[p++] = HEX[u >> 12]!;
  buf[p++] = HEX[(u >> 8) & 15]!;
  buf[p++] = HEX[(u >> 4) & 15]!;
  buf[p++] = HEX[u & 15]!;
  return p;
}

/** One strict UTF-8 sequence at `i`: [code point, length], or length 0 when invalid. */
function codePoint(b: Uint8Array, i: number, end: number): [number, number] {
  const b0 = b[i]!;
  const cont = (k: number) => (i + k < end && (b[i + k]! & 0xc0) === 0x80 ? b[i + k]! & 0x3f : -1);
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [0, 0] : [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [0, 0];
    const cp = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
    return cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) ? [0, 0] : [cp, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [0, 0];
    const cp = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    return cp < 0x10000 || cp > 0x10ffff ? [0, 0] : [cp, 4];
  }
  return [0, 0];
}

/** A JSON value into the sink, laid out as stringifyJson lays it out; payload bytes go in as base64. */
export function writeJson(sink: JsonSink, v: JsonValue, pretty: boolean, level = 0): void {
  if (v === null) sink.ascii("null");
  else if (typeof v === "boolean") sink.ascii(v ? "true" : "false");
  else if (typeof v === "number" || typeof v === "bigint") sink.int(v);
  else if (typeof v === "string") sink.ascii(quote(v));
  else if (v instanceof JsonBytes) writeBase64String(sink, v.bytes, 0, v.bytes.length);
  else if (Array.isArray(v)) {
    if (v.length === 0) return sink.ascii("[]");
    sink.byte(0x5b);
    v.forEach((item, i) => {
      if (i > 0) sink.ascii(pretty ? "," : ", ");
      if (pretty) sink.ascii(`\n${" ".repeat(4 * (level + 1))}`);
      writeJson(sink, item, pretty, level + 1);
    });
    if (pretty) sink.ascii(`\n${" ".repeat(4 * level)}`);
    sink.byte(0x5d);
  } else {
    const keys = Object.keys(v);
    if (keys.length === 0) return sink.ascii("{}");
    sink.byte(0x7b);
    keys.forEach((k, i) => {
      if (i > 0) sink.ascii(pretty ? "," : ", ");
      if (pretty) sink.ascii(`\n${" ".repeat(4 * (level + 1))}`);
      sink.ascii(`${quote(k)}: `);
      writeJson(sink, v[k]!, pretty, level + 1);
    });
    if (pretty) sink.ascii(`\n${" ".repeat(4 * level)}`);
    sink.byte(0x7d);
  }
}
