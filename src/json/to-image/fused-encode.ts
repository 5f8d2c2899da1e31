import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { CRIU_Opts } from "../../gen/opts_pb";
import { fastDecoder } from "../../image/fast-decode";
import type { ReadIntoSource } from "../../image/stream";
import { IMG_COMMON, IMG_SERVICE, imageRowByName, type ImageRow } from "../../image/magic-table";
import { criuOptions } from "../../schema/options";
import { fieldEnum, fieldMessage, fieldScalar } from "../../schema/fields";
import { criuMessageSchema, criuRegistry } from "../../schema/registry";
import type { pipe_data_entry } from "../../schema/all";
import { decodeBase64Into } from "../base64";
import { decodeQuotedPrintableInto } from "../quopri";
import { WireWriter } from "./wire-writer";
import { IS_64, parseIp, RANGES, readScalar } from "./read-scalar";

/**
 * crit's JSON text, as UTF-8 bytes, straight to image bytes in one pass: the scanner reads a
 * value and writes its wire form at once, with no parsed document and no strings for keys or
 * numbers. It covers what crit writes for message images, pagemaps and pipe data, plain and
 * pretty; on anything else (other payloads, lossless forms, escapes it does not expect, a value
 * out of range, keys out of order, malformed JSON...) it returns undefined and the caller takes
 * the parsing path, which gives the same bytes or the exact error. Tests check both paths agree.
 */
export function fusedImageBytes(json: Uint8Array): Uint8Array | undefined {
  try {
    return new Scanner(json).image();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

/** Nesting the fast path takes; deeper documents go to the parser (which allows 512 levels). */
const MAX_DEPTH = 256;

/** Thrown to leave the fast path; never escapes fusedImageBytes. */
const GIVE_UP: unknown = Symbol("give up");

const enum Kind {
  Message,
  Enum,
  Bool,
  String,
  Bytes,
  Int,
}

interface FieldPlan {
  field: DescField;
  key: Uint8Array;
  number: number;
  tag: Uint8Array;
  /** How a small non-negative integer literal is written: as a varint, ZigZag, or not fast. */
  fast: number;
  kind: Kind;
  scalar: ScalarType;
  repeated: boolean;
  required: boolean;
  opts: CRIU_Opts | undefined;
  enumNames: [Uint8Array, number][];
  sub: (() => MessagePlan) | undefined;
  subPlan?: MessagePlan;
  /** Integer fields: 64-bit, signed, and the largest value of a 32-bit one (-1: not an integer). */
  is64: boolean;
  signed: boolean;
  max32: number;
  /** Texts already read for this integer field: the first few, then more by hash of their bytes. */
  recent?: [Uint8Array, number | bigint][];
  cache?: Map<number, [Uint8Array, number | bigint]>;
}

interface MessagePlan {
  /**
   * By field number: the order of crit's keys (Python's ListFields) and of the wire, so each
   * value is written as it is read. Keys in any other order leave the fast path.
   */
  fields: FieldPlan[];
}

const ascii = new TextEncoder();
const plans = new WeakMap<DescMessage, MessagePlan>();

function planFor(schema: DescMessage): MessagePlan {
  let plan = plans.get(schema);
  if (plan) return plan;
  plan = { fields: [...schema.fields].sort((a, b) => a.number - b.number).map(fieldPlan) };
  plans.set(schema, plan);
  return plan;
}

function fieldPlan(field: DescField): FieldPlan {
  const m = fieldMessage(field);
  const e = fieldEnum(field);
  const scalar = fieldScalar(field) ?? ScalarType.INT32;
  const kind = m
    ? Kind.Message
    : e
      ? Kind.Enum
      : scalar === ScalarType.BOOL
        ? Kind.Bool
        : scalar === ScalarType.STRING
          ? Kind.String
          : scalar === ScalarType.BYTES
            ? Kind.Bytes
            : Kind.Int;
  const wire = kind === Kind.Message || kind === Kind.String || kind === Kind.Bytes ? 2 : wireOf(scalar);
  const tag = new WireWriter(8);
  tag.varint32((field.number << 3) | wire);
  return {
    field,
    key: ascii.encode(field.name),
    number: field.number,
    tag: tag.buf.slice(0, tag.pos),
    fast: fastWay(scalar),
    kind,
    scalar,
    repeated: field.fieldKind === "list",
    required: (field as { proto?: { label?: number } }).proto?.label === 2,
    opts: criuOptions(field),
    enumNames: e ? e.values.map((v) => [ascii.encode(v.name), v.number]) : [],
    is64: IS_64.has(scalar),
    signed: (RANGES[scalar]?.[0] ?? 0n) < 0n,
    max32: RANGES[scalar] && !IS_64.has(scalar) ? Number(RANGES[scalar][1]) : -1,
    sub: m ? () => planFor(m) : undefined,
  };
}

const SLOW = 0;
const VARINT = 1;
const ZIGZAG = 2;

function fastWay(t: ScalarType): number {
  switch (t) {
    case ScalarType.UINT32:
    case ScalarType.INT32:
    case ScalarType.UINT64:
    case ScalarType.INT64:
      return VARINT;
    case ScalarType.SINT32:
    case ScalarType.SINT64:
      return ZIGZAG;
    default:
      return SLOW;
  }
}

function wireOf(t: ScalarType): number {
  if (t === ScalarType.FIXED32 || t === ScalarType.SFIXED32 || t === ScalarType.FLOAT) return 5;
  if (t === ScalarType.FIXED64 || t === ScalarType.SFIXED64 || t === ScalarType.DOUBLE) return 1;
  return 0;
}


const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) HEX["0123456789abcdef".charCodeAt(i)] = HEX["0123456789ABCDEF".charCodeAt(i)] = i;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** What the document's head says: the image type, and how to read its entries. */
interface Head {
  row: ImageRow;
  head: MessagePlan;
  entry: MessagePlan;
  pipes: boolean;
}

class Scanner {
  pos = 0;
  w = new WireWriter(4096);
  /** Messages open around the one being read. */
  depth = 0;

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

  image(): Uint8Array {
    const head = this.head();
    // The image is a quarter to a third of plain JSON of messages (less of pretty JSON), three
    // quarters of base64: room enough not to grow (each growth copies all written so far).
    const w = (this.w = new WireWriter(Math.max(4096, head.pipes ? Math.ceil(this.s.length * 0.76) : Math.ceil(this.s.length / 3))));
    writeImageHeader(w, head.row);
    if (!this.empty(0x5d)) {
      let i = 0;
      do this.entry(head, i++);
      while (this.more(0x5d));
    } else if (head.row.payload === "pagemap") throw GIVE_UP; // no head entry: the object path's error
    this.end();
    // A view when at most half the buffer is unused; a copy otherwise.
    return w.pos >= w.buf.length * 0.5 ? w.buf.subarray(0, w.pos) : w.buf.slice(0, w.pos);
  }

  /** `{"magic": NAME, "entries": [`, up to the first entry (or the closing bracket). */
  head(): Head {
    this.ws();
    this.expect(0x7b);
    this.expectKey("magic");
    const magicAt = this.stringToken();
    const magic = this.latin1(magicAt, this.pos - 1);
    const row = imageRowByName(magic);
    if (!row || row.name !== magic || (row.payload !== "entry" && row.payload !== "pagemap" && row.payload !== "pipes-data")) throw GIVE_UP;
    this.ws();
    this.expect(0x2c);
    this.expectKey("entries");
    const schema = criuRegistry.getMessage(row.message) as DescMessage;
    const entry = planFor(row.payload === "pagemap" ? criuMessageSchema("pagemap_entry") : schema);
    const head = row.payload === "pagemap" ? planFor(criuMessageSchema("pagemap_head")) : entry;
    this.ws();
    this.expect(0x5b);
    this.ws();
    return { row, head, entry, pipes: row.payload === "pipes-data" };
  }

  /** One entry, written to `w` as `u32 size ‖ message` (and the payload for pipe data). */
  entry(head: Head, index: number): void {
    const w = this.w;
    const lengthAt = w.pos;
    w.u32le(0);
    const extra = this.message(index === 0 ? head.head : head.entry, head.pipes);
    w.u32le(w.pos - lengthAt - 4, lengthAt);
    if (head.pipes) this.pipeData(lengthAt + 4, extra);
  }

  /** After the closing bracket: `}` and nothing but whitespace to the end. */
  end(): void {
    this.ws();
    this.expect(0x7d);
    this.ws();
    if (this.pos !== this.s.length) throw GIVE_UP;
  }

  /** The payload after a pipe_data_entry: its "extra", base64, as long as the entry says. */
  private pipeData(messageAt: number, extra: number): void {
    if (extra < 0) throw GIVE_UP;
    const entry = fastDecoder(criuMessageSchema("pipe_data_entry"))(this.w.buf, messageAt, this.w.pos) as pipe_data_entry | undefined;
    if (!entry) throw GIVE_UP;
    const written = this.base64(extra + 1, this.extraEnd);
    if (written !== entry.bytes) throw GIVE_UP;
  }

  /** Where the last "extra" string read by message() ends (its closing quote). */
  private extraEnd = 0;

  /**
   * Steps over a string of base64 (a payload) and records its end: the first quote, found at
   * memchr speed. Were that quote escaped, the base64 before it would end in a backslash, which
   * the decoder refuses; so would it anything else that is not base64 or an escaped newline.
   */
  private base64Token(): void {
    if (this.s[this.pos] !== 0x22) throw GIVE_UP;
    const close = this.s.indexOf(0x22, this.pos + 1);
    if (close < 0) throw GIVE_UP;
    this.extraEnd = close;
    this.pos = close + 1;
  }

  /**
   * An object for `plan`, written as the message's fields. With `extra`, an "extra" key is
   * allowed after the fields; its value's offset is returned (-1 when absent).
   */
  private message(plan: MessagePlan, extra = false): number {
    this.ws();
    this.expect(0x7b);
    this.ws();
    const fields = plan.fields;
    let next = 0;
    let extraAt = -1;
    if (!this.empty(0x7d)) {
      do {
        if (extraAt >= 0) throw GIVE_UP; // "extra" comes last
        // Keys come in field order: the next field present is the one whose key is here. A
        // field key's bytes hold no quote or backslash, so its bytes then a quote are the key.
        let i = next;
        while (i < fields.length && !this.keyHere(fields[i]!.key)) {
          if (fields[i]!.required) throw GIVE_UP;
          i++;
        }
        if (i < fields.length) {
          this.pos += fields[i]!.key.length + 2;
          this.ws();
          this.expect(0x3a);
          this.ws();
          this.field(fields[i]!);
          next = i + 1;
          continue;
        }
        const keyStart = this.key();
        const keyEnd = this.keyEnd;
        if (extra && this.isKey(keyStart, keyEnd, "extra")) {
          extraAt = this.pos;
          this.base64Token();
        } else throw GIVE_UP; // an unknown key, a lossless form, or keys out of order
      } while (this.more(0x7d));
    }
    for (let i = next; i < fields.length; i++) if (fields[i]!.required) throw GIVE_UP;
    return extraAt;
  }

  private field(f: FieldPlan): void {
    if (!f.repeated) return this.value(f);
    this.expect(0x5b);
    this.ws();
    if (this.empty(0x5d)) return;
    if (f.opts?.ipadd && this.s[this.pos] === 0x22) {
      // crit's text form of an address: one string in the list.
      const start = this.stringToken();
      const text = this.text(start, this.pos - 1);
      this.ws();
      this.expect(0x5d);
      let words: number[];
      try {
        words = parseIp(text);
      } catch {
        throw GIVE_UP;
      }
      for (const word of words) {
        this.w.bytes(f.tag);
        this.w.varint32(word);
      }
      return;
    }
    do this.value(f);
    while (this.more(0x5d));
  }

  private value(f: FieldPlan): void {
    const w = this.w;
    const s = this.s;
    switch (f.kind) {
      case Kind.Message: {
        // Recursive messages (cgroup directories) could nest past the stack: the parser says so.
        if (++this.depth > MAX_DEPTH) throw GIVE_UP;
        w.bytes(f.tag);
        const at = w.beginLength();
        this.message((f.subPlan ??= f.sub!()));
        w.endLength(at);
        this.depth--;
        return;
      }
      case Kind.Enum: {
        const start = this.stringToken(); // numbers for enums: the parsing path
        const end = this.pos - 1;
        for (const [name, n] of f.enumNames) {
          if (this.same(start, end, name)) {
            w.bytes(f.tag);
            w.int32(n);
            return;
          }
        }
        throw GIVE_UP;
      }
      case Kind.Bool: {
        let v: number;
        if (s[this.pos] === 0x74 && s[this.pos + 1] === 0x72 && s[this.pos + 2] === 0x75 && s[this.pos + 3] === 0x65) {
          v = 1;
          this.pos += 4;
        } else if (s[this.pos] === 0x66 && s[this.pos + 1] === 0x61 && s[this.pos + 2] === 0x6c && s[this.pos + 3] === 0x73 && s[this.pos + 4] === 0x65) {
          v = 0;
          this.pos += 5;
        } else throw GIVE_UP;
        w.bytes(f.tag);
        w.varint32(v);
        return;
      }
      case Kind.String: {
        const start = this.stringToken();
        const end = this.pos - 1;
        w.bytes(f.tag);
        if (this.plain(start, end)) {
          w.varint32(end - start);
          w.bytes(s.subarray(start, end));
        } else w.string(this.text(start, end));
        return;
      }
      case Kind.Bytes: {
        const start = this.stringToken();
        const end = this.pos - 1;
        // Straight from the JSON's bytes when no escape is in the way; else as the parser reads it.
        if (f.opts?.conv === "unix_name" ? this.plain(start, end) : !f.opts?.conv) {
          w.bytes(f.tag);
          w.reserve(5 + end - start);
          const at = w.beginLength();
          const n =
            f.opts?.conv === "unix_name"
              ? decodeQuotedPrintableInto(s, start, end, w.buf, at)
              : decodeBase64Into(s, start, end, w.buf, at, true);
          if (n < 0) throw GIVE_UP;
          w.pos = at + n;
          w.endLength(at);
          return;
        }
        let bytes: unknown;
        try {
          bytes = readScalar(f.field, ScalarType.BYTES, this.text(start, this.pos - 1), f.opts);
        } catch {
          throw GIVE_UP;
        }
        w.bytes(f.tag);
        w.lengthDelimited(bytes as Uint8Array);
        return;
      }
      case Kind.Int:
        return this.integer(f);
    }
  }

  /** An integer field: a plain JSON integer, or any text crit writes for one (hex, flags...). */
  private integer(f: FieldPlan): void {
    const s = this.s;
    // Most values: a non-negative literal of at most 15 digits (below 2^50) for a varint field,
    // written as soon as read. Anything else (a 16th digit, a fraction, out of range) below.
    // So is a negative one for a ZigZag field (a VMA's fd of -1).
    let c = s[this.pos]!;
    const negative = c === 0x2d && f.fast === ZIGZAG;
    if (negative) c = s[this.pos + 1]!;
    if (f.fast !== SLOW && c >= 0x30 && c <= 0x39) {
      const start = negative ? this.pos + 1 : this.pos;
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
        this.pos = p;
        // Tag and varint written here rather than by w.bytes() and varintNumber(): on an mm
        // image (millions of integers) the calls cost about a fifth of the encode.
        const w = this.w;
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
    let n: number | bigint;
    if (s[this.pos] === 0x22) {
      // "0x…" read in one go; any other text (or hex hex() refuses) as a string token.
      const start = this.pos + 1;
      let hex: number | bigint | undefined;
      if (s[start] === 0x30 && s[start + 1] === 0x78) {
        let q = start + 2;
        while (q < s.length && HEX[s[q]!]! >= 0) q++;
        if (s[q] === 0x22) {
          hex = this.hex(start, q, f);
          if (hex !== undefined) this.pos = q + 1;
        }
      }
      if (hex !== undefined) n = hex;
      else {
        const from = this.stringToken();
        n = this.hex(from, this.pos - 1, f) ?? this.named(f, from, this.pos - 1);
      }
    } else n = this.integerToken(f);
    const w = this.w;
    w.bytes(f.tag);
    if (typeof n === "bigint") return writeBig(w, f.scalar, n);
    if (n !== n) return writeHalves(w, f.scalar, this.negative, this.lo, this.hi); // NaN: past 2^53, in halves
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
  private hex(start: number, end: number, f: FieldPlan): number | undefined {
    const s = this.s;
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
    this.negative = false;
    this.lo = lo;
    this.hi = hi;
    return NaN;
  }

  /** A value past 2^53, when hex() or integerToken() return NaN: its sign and magnitude's halves. */
  private negative = false;
  private lo = 0;
  private hi = 0;

  /**
   * Any other text for an integer (flag names, dict labels, major:minor...), read by readScalar
   * as the parsing path does. The same few texts recur, so each field remembers its answers.
   */
  private named(f: FieldPlan, start: number, end: number): number | bigint {
    // Most fields show a handful of texts: those are compared directly; more go by hash.
    const recent = (f.recent ??= []);
    for (let i = 0; i < recent.length; i++) {
      const [text, value] = recent[i]!;
      if (this.same(start, end, text)) return value;
    }
    const s = this.s;
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ s[i]!, 0x01000193);
    const cache = (f.cache ??= new Map());
    const hit = cache.get(hash);
    if (hit && this.same(start, end, hit[0])) return hit[1];
    let n: number | bigint;
    try {
      n = readScalar(f.field, f.scalar, this.text(start, end), f.opts) as number | bigint;
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
  private integerToken(f: FieldPlan): number {
    const s = this.s;
    const start = this.pos;
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
    this.pos = p;
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
    this.negative = negative;
    this.lo = lo;
    this.hi = hi;
    return NaN;
  }

  /** Decodes the base64 of a JSON string's body (line breaks written as \n) into the output. */
  private base64(start: number, end: number): number {
    const w = this.w;
    w.reserve(Math.ceil(((end - start) * 3) / 4) + 3);
    const n = decodeBase64Into(this.s, start, end, w.buf, w.pos, true);
    if (n < 0) throw GIVE_UP;
    w.pos += n;
    return n;
  }

  // --- tokens ---------------------------------------------------------------------------

  private ws(): void {
    const s = this.s;
    let p = this.pos;
    let c = s[p]!;
    if (c > 0x20) return; // no whitespace
    if (c === 0x20 && s[p + 1]! > 0x20) {
      this.pos = p + 1; // one space: after every comma and colon of plain JSON
      return;
    }
    for (;;) {
      if (c === 0x20) {
        // Pretty JSON's indentation: runs of spaces, four at a time.
        const words = this.words;
        while (p + 4 < s.length && words.getUint32(p + 1, true) === 0x20202020) p += 4;
      } else if (c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      c = s[++p]!;
    }
    this.pos = p;
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

  private expect(c: number): void {
    if (this.s[this.pos] !== c) throw GIVE_UP;
    this.pos++;
  }

  /** Where the last key read ends (its closing quote). */
  private keyEnd = 0;

  /** A key and its colon; returns where the key starts (it ends at keyEnd). */
  private key(): number {
    const start = this.stringToken();
    this.keyEnd = this.pos - 1;
    this.ws();
    this.expect(0x3a);
    this.ws();
    return start;
  }

  private expectKey(key: string): void {
    this.ws();
    const start = this.key();
    if (!this.isKey(start, this.keyEnd, key)) throw GIVE_UP;
  }

  /**
   * Steps over a string; returns where its body starts (the closing quote is at pos - 1).
   * Raw control characters (invalid JSON) leave the fast path.
   */
  private stringToken(): number {
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
  private keyHere(key: Uint8Array): boolean {
    const s = this.s;
    const p = this.pos + 1;
    if (s[p + key.length] !== 0x22 || s[this.pos] !== 0x22) return false;
    for (let i = 0; i < key.length; i++) if (s[p + i] !== key[i]) return false;
    return true;
  }

  /** True when s[start, end) is exactly `key` (bytes). */
  private same(start: number, end: number, key: Uint8Array): boolean {
    if (end - start !== key.length) return false;
    const s = this.s;
    for (let i = 0; i < key.length; i++) if (s[start + i] !== key[i]) return false;
    return true;
  }

  private isKey(start: number, end: number, key: string): boolean {
    if (end - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.s[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** ASCII without escapes: the bytes are the value. */
  private plain(start: number, end: number): boolean {
    const s = this.s;
    for (let i = start; i < end; i++) if (s[i]! >= 0x80 || s[i] === 0x5c) return false;
    return true;
  }

  private latin1(start: number, end: number): string {
    // Image type names are short: a long "magic" is for the parser to refuse.
    if (end - start > 64) throw GIVE_UP;
    let out = "";
    for (let i = start; i < end; i++) out += String.fromCharCode(this.s[i]!);
    return out;
  }

  /** A string's value: UTF-8 (invalid: the parsing path), escapes read as JSON does. */
  private text(start: number, end: number): string {
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

function writeImageHeader(w: WireWriter, row: ImageRow): void {
  if (row.header === "common") w.u32le(IMG_COMMON);
  else if (row.header === "service") w.u32le(IMG_SERVICE);
  w.u32le(row.value);
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

/** Thrown by fusedImageChunks for a document the one-pass encoder does not cover. */
export class NotFusable extends Error {
  constructor() {
    super("this JSON needs the parsing path");
  }
}

/**
 * The one-pass encoder over JSON read from a source, entry by entry: the image comes out as
 * chunks (about `chunk` bytes each) while only a window of the JSON is held, for documents too
 * large to read whole (the JSON of a 1 GiB pipes-data image is 1.4 GB). An entry cut by the
 * window's end is read again once more bytes are in. Throws NotFusable, possibly after chunks
 * were given out, when the document needs the parsing path: callers then start over with
 * critJsonToImageBytes (writing to a temporary file first, as the CLI does, makes that safe).
 */
export async function* fusedImageChunks(source: ReadIntoSource, chunk = 1 << 20): AsyncGenerator<Uint8Array, void, undefined> {
  const window = new JsonWindow(source, 4 * chunk);
  await window.advance(0);
  const sc = new Scanner(window.bytes);
  const retry = async (from: number) => {
    // An entry still unread with this much JSON in hand is not cut short: it is not ours.
    if (window.bytes.length - from > MAX_ENTRY_JSON || !(await window.advance(from))) throw new NotFusable();
    sc.setBytes(window.bytes);
    sc.pos = 0;
    sc.depth = 0;
  };
  let head: Head;
  for (;;) {
    try {
      head = sc.head();
      break;
    } catch (err) {
      if (err !== GIVE_UP) throw err;
      await retry(0);
    }
  }
  const out = (sc.w = new WireWriter(2 * chunk));
  writeImageHeader(out, head.row);
  for (let index = 0; ; ) {
    const start = sc.pos;
    const mark = out.pos;
    let more: boolean;
    try {
      if (index === 0 && sc.empty(0x5d)) break;
      sc.entry(head, index);
      more = sc.more(0x5d);
    } catch (err) {
      if (err !== GIVE_UP) throw err;
      out.pos = mark;
      await retry(start);
      continue;
    }
    index++;
    if (out.pos >= chunk) yield out.take();
    if (!more) break;
  }
  for (;;) {
    const start = sc.pos;
    try {
      if (!window.ended) throw GIVE_UP; // the end must be seen to be the end
      sc.end();
      break;
    } catch (err) {
      if (err !== GIVE_UP) throw err;
      await retry(start);
    }
  }
  yield out.take();
}

/** The most JSON one entry may take in fusedImageChunks (a 64 MiB payload is ~90 MB of it). */
const MAX_ENTRY_JSON = 256 << 20;

/** The part of the JSON being read: bytes from the source, from a given point on. */
class JsonWindow {
  bytes = new Uint8Array(0);
  ended = false;

  constructor(
    private readonly source: ReadIntoSource,
    private readonly step: number,
  ) {}

  /** Drops the bytes before `from` and reads more; false when nothing more could be read. */
  async advance(from: number): Promise<boolean> {
    if (this.ended) return false;
    const kept = this.bytes.subarray(from);
    const next = new Uint8Array(Math.max(2 * kept.length, kept.length + this.step));
    next.set(kept);
    let have = kept.length;
    while (have < next.length) {
      const n = await this.source.readInto(next.subarray(have));
      if (n === 0) {
        this.ended = true;
        break;
      }
      have += n;
    }
    this.bytes = next.subarray(0, have);
    return have > kept.length || this.ended;
  }
}
