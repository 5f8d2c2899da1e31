import { SLOW, ZIGZAG, type FieldPlan } from "./fused-plan";
import { GIVE_UP, type FusedCursor } from "./fused-tokens";
import { readScalar } from "./read-scalar";
import type { WireWriter } from "./wire-writer";
import { ScalarType } from "../../schema/scalar-type";

// The one-pass encoder's integers: plain literals, "0x…", 64-bit values past 2^53 by halves, and
// any other text crit writes for an integer (flags, dict labels, major:minor...).

/** Each byte's value as a hex digit, -1 for other bytes. */
export const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) HEX["0123456789abcdef".charCodeAt(i)] = HEX["0123456789ABCDEF".charCodeAt(i)] = i;

/** A value past 2^53, when hexValue() or integerToken() return NaN: its sign and magnitude's halves. */
const halves = { negative: false, lo: 0, hi: 0 };

/** An integer field: a plain JSON integer, or any text crit writes for one (hex, flags...). */
export function writeInteger(sc: FusedCursor, f: FieldPlan): void {
  const s = sc.s;
  // Most values: a non-negative literal of at most 15 digits (below 2^50) for a varint field,
  // written as soon as read. Anything else (a 16th digit, a fraction, out of range) below.
  // So is a negative one for a ZigZag field (a VMA's fd of -1).
  let c = s[sc.pos]!;
  const negative = c === 0x2d && f.fast === ZIGZAG;
  if (negative) c = s[sc.pos + 1]!;
  if (f.fast !== SLOW && c >= 0x30 && c <= 0x39) {
    const start = negative ? sc.pos + 1 : sc.pos;
    let p = start + 1;
    let v = c - 0x30;
    if (v !== 0) {
      while (p - start < 15 && (c = s[p]!) >= 0x30 && c <= 0x39) {
        v = v * 10 + (c - 0x30);
        p++;
      }
    }
    c = s[p]!;
    const max = f.max32 < 0 ? (f.is64 ? Infinity : -1) : negative ? f.max32 + 1 : f.max32;
    if (!(c >= 0x30 && c <= 0x39) && c !== 0x2e && c !== 0x65 && c !== 0x45 && v <= max && !(negative && v === 0)) {
      sc.pos = p;
      // Tag and varint written here rather than by w.bytes() and varintNumber(): on an mm
      // image (millions of integers) the calls cost about a fifth of the encode.
      const w = sc.w;
      w.reserve(f.tag.length + 8);
      const b = w.buf;
      let q = w.pos;
      for (let i = 0; i < f.tag.length; i++) b[q++] = f.tag[i]!;
      if (f.fast === ZIGZAG) v = negative ? 2 * v - 1 : 2 * v;
      while (v > 0x7fffffff) {
        b[q++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      while (v > 0x7f) {
        b[q++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[q++] = v;
      w.pos = q;
      return;
    }
  }
  writeIntegerSlow(sc, f);
}

/** An integer field's value the fast path above does not take (also the compiled encoder's way out). */
export function writeIntegerSlow(sc: FusedCursor, f: FieldPlan): void {
  const s = sc.s;
  let n: number | bigint;
  if (s[sc.pos] === 0x22) {
    // "0x…" read in one go; any other text (or hex hex() refuses) as a string token.
    const start = sc.pos + 1;
    let hex: number | bigint | undefined;
    if (s[start] === 0x30 && s[start + 1] === 0x78) {
      let q = start + 2;
      while (q < s.length && HEX[s[q]!]! >= 0) q++;
      if (s[q] === 0x22) {
        hex = hexValue(sc, start, q, f);
        if (hex !== undefined) sc.pos = q + 1;
      }
    }
    // Else a text read before for this field, found without stepping over it first; else any text.
    hex ??= recentValue(sc, f, start);
    if (hex !== undefined) n = hex;
    else {
      const from = sc.stringToken();
      n = hexValue(sc, from, sc.pos - 1, f) ?? namedValue(sc, f, from, sc.pos - 1);
    }
  } else n = integerToken(sc, f);
  const w = sc.w;
  w.bytes(f.tag);
  if (typeof n === "bigint") return writeBig(w, f.scalar, n);
  if (n !== n) return writeHalves(w, f.scalar, halves.negative, halves.lo, halves.hi); // NaN: past 2^53, in halves
  switch (f.scalar) {
    case ScalarType.UINT32:
      return w.varint32(n);
    case ScalarType.INT32:
      return w.int32(n);
    case ScalarType.SINT32:
      return w.varint32(((n << 1) ^ (n >> 31)) >>> 0);
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return w.fixed32(n);
    case ScalarType.UINT64:
    case ScalarType.INT64:
      if (n >= 0) return varintNumber(w, n);
      return w.varint64(BigInt.asUintN(64, BigInt(n)));
    case ScalarType.SINT64:
      // ZigZag without bigints while 2|n| + 1 stays exact (below 2^53).
      if (n < 2 ** 51 && n > -(2 ** 51)) return varintNumber(w, n >= 0 ? 2 * n : -2 * n - 1);
      return writeBig(w, f.scalar, BigInt(n));
    default:
      return writeBig(w, f.scalar, BigInt(n));
  }
}

/**
 * "0x…", what pretty JSON writes for hex fields: its value whatever the field's options (flag
 * and dict fields read numbers too); NaN past 2^52, the value then in negative/lo/hi.
 * Undefined for other text.
 */
function hexValue(sc: FusedCursor, start: number, end: number, f: FieldPlan): number | undefined {
  const s = sc.s;
  const len = end - start - 2;
  if (len < 1 || len > 16 || s[start] !== 0x30 || s[start + 1] !== 0x78) return undefined;
  let v = 0;
  for (let i = start + 2; i < end; i++) {
    const d = HEX[s[i]!]!;
    if (d < 0) return undefined;
    v = v * 16 + d;
  }
  if (!f.is64) {
    if (f.max32 < 0 || v > f.max32) throw GIVE_UP;
    return v;
  }
  if (len <= 13) return v; // below 2^52: exact
  // Past 2^52: two 32-bit halves, the last eight digits and those before.
  let hi = 0;
  let lo = 0;
  for (let i = start + 2; i < end - 8; i++) hi = hi * 16 + HEX[s[i]!]!;
  for (let i = end - 8; i < end; i++) lo = lo * 16 + HEX[s[i]!]!;
  if (f.signed && hi >= 0x80000000) throw GIVE_UP; // past the largest int64
  halves.negative = false;
  halves.lo = lo;
  halves.hi = hi;
  return NaN;
}

/**
 * The value of the string whose body starts at `start` when its bytes are those of one of the
 * texts namedValue() remembers for the field (flag names...), pos then past its closing quote;
 * else undefined, pos unmoved. Each remembered text is a whole string body (no unescaped quote,
 * no control character, not ending in an escape), so its bytes followed by a quote are that
 * string, whatever follows: its closing quote and last byte are compared first, which tells
 * most texts apart before the bytes they share (flag names begin alike).
 */
function recentValue(sc: FusedCursor, f: FieldPlan, start: number): number | bigint | undefined {
  const recent = f.recent;
  if (recent === undefined) return undefined;
  const s = sc.s;
  for (let i = 0; i < recent.length; i++) {
    const [text, value] = recent[i]!;
    const n = text.length;
    if (s[start + n] !== 0x22 || (n > 0 && s[start + n - 1] !== text[n - 1])) continue;
    let j = 0;
    while (j < n - 1 && s[start + j] === text[j]) j++;
    if (j >= n - 1) {
      sc.pos = start + n + 1;
      return value;
    }
  }
  return undefined;
}

/**
 * Any other text for an integer (flag names, dict labels, major:minor...), read by readScalar
 * as the parsing path does. The same few texts recur, so each field remembers its answers.
 */
function namedValue(sc: FusedCursor, f: FieldPlan, start: number, end: number): number | bigint {
  // Most fields show a handful of texts: those are compared directly; more go by hash.
  const recent = (f.recent ??= []);
  for (let i = 0; i < recent.length; i++) {
    const [text, value] = recent[i]!;
    if (sc.same(start, end, text)) return value;
  }
  const s = sc.s;
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ s[i]!, 0x01000193);
  const cache = (f.cache ??= new Map());
  const hit = cache.get(hash);
  if (hit && sc.same(start, end, hit[0])) return hit[1];
  let n: number | bigint;
  try {
    n = readScalar(f.field, f.scalar, sc.text(start, end), f.opts) as number | bigint;
  } catch {
    throw GIVE_UP;
  }
  if (recent.length < 8) recent.push([s.slice(start, end), n]);
  else if (cache.size < 4096) cache.set(hash, [s.slice(start, end), n]);
  return n;
}

/**
 * A JSON integer literal in the field's range: a number when safe, else NaN with the value in
 * negative/lo/hi.
 */
function integerToken(sc: FusedCursor, f: FieldPlan): number {
  const s = sc.s;
  const start = sc.pos;
  let p = start;
  const negative = s[p] === 0x2d;
  if (negative) {
    if (!f.signed) throw GIVE_UP;
    p++;
  }
  const digits = p;
  let v = 0;
  if (s[p] === 0x30) p++;
  else while (s[p]! >= 0x30 && s[p]! <= 0x39) v = v * 10 + (s[p++]! - 0x30);
  if (p === digits || p - digits > 20) throw GIVE_UP;
  const c = s[p];
  if (c === 0x2e || c === 0x65 || c === 0x45) throw GIVE_UP; // fractions, exponents: parsing path
  sc.pos = p;
  if (negative) v = -v;
  if (!f.is64) {
    const max = f.max32;
    if (max < 0 || v > max || v < (negative ? -max - 1 : 0)) throw GIVE_UP;
    return v;
  }
  if (Number.isSafeInteger(v)) return v;
  // Past 2^53: the digits again, into two exact 32-bit halves (no bigint).
  let lo = 0;
  let hi = 0;
  for (let i = digits; i < p; i++) {
    lo = lo * 10 + (s[i]! - 0x30);
    const carry = Math.floor(lo / 0x100000000);
    lo -= carry * 0x100000000;
    hi = hi * 10 + carry;
    if (hi > 0xffffffff) throw GIVE_UP; // past 2^64
  }
  // Signed: at most 2^63 - 1, or 2^63 for a negative value.
  if (f.signed && (hi > 0x80000000 || (hi === 0x80000000 && (lo !== 0 || !negative)))) throw GIVE_UP;
  halves.negative = negative;
  halves.lo = lo;
  halves.hi = hi;
  return NaN;
}


/** A non-negative safe integer as a varint, without bigints. */
function varintNumber(w: WireWriter, v: number): void {
  if (v <= 0xffffffff) return w.varint32(v);
  w.reserve(10);
  const b = w.buf;
  while (v > 0x7f) {
    b[w.pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  b[w.pos++] = v;
}

/**
 * A 64-bit integer field's value past 2^53, given as its sign and the 32-bit halves of its
 * magnitude (already checked against the field's range).
 */
function writeHalves(w: WireWriter, scalar: ScalarType, negative: boolean, lo: number, hi: number): void {
  if (scalar === ScalarType.SINT64) {
    // ZigZag: 2n for n >= 0, 2|n| - 1 = 2(|n| - 1) + 1 for n < 0.
    let bit = 0;
    if (negative) {
      bit = 1;
      if (lo === 0) hi -= 1;
      lo = (lo - 1) >>> 0;
    }
    hi = ((hi << 1) | (lo >>> 31)) >>> 0;
    lo = ((lo << 1) | bit) >>> 0;
  } else if (negative) {
    // Two's complement of the magnitude.
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  if (scalar === ScalarType.FIXED64 || scalar === ScalarType.SFIXED64) {
    w.u32le(lo);
    w.u32le(hi);
    return;
  }
  if (scalar !== ScalarType.UINT64 && scalar !== ScalarType.INT64 && scalar !== ScalarType.SINT64) throw GIVE_UP;
  w.reserve(10);
  const b = w.buf;
  let p = w.pos;
  while (hi > 0 || lo > 0x7f) {
    b[p++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  b[p++] = lo;
  w.pos = p;
}

function writeBig(w: WireWriter, scalar: ScalarType, n: bigint): void {
  switch (scalar) {
    case ScalarType.UINT64:
    case ScalarType.INT64:
      return w.varint64(BigInt.asUintN(64, n));
    case ScalarType.SINT64:
      return w.varint64(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return w.fixed64(BigInt.asUintN(64, n));
    default:
      throw GIVE_UP; // a 32-bit field given a bigint: out of range, the parsing path says so
  }
}
