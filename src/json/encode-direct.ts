import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { CRIU_Opts } from "../gen/opts_pb";
import { GrowableBytes } from "../image/bytes";
import { criuOptions } from "../schema/options";
import { parseIp, readScalar } from "./read-scalar";
import { isObject, type JsonObject, type JsonValue } from "./value";
import { fieldEnum, fieldMessage, fieldScalar } from "../schema/fields";

/**
 * crit's JSON object for a message straight to wire bytes, without building protobuf-es
 * messages: the fast path of JSON → image. Values are read by the same readScalar as the object
 * path. Anything it does not handle (lossless forms, unknown keys, a missing required field, a
 * value it cannot read) makes it give up, and the caller takes the object path, which has the
 * exact errors.
 */
export function messageEncoder(schema: DescMessage): (obj: JsonValue | undefined, out: WireWriter, allow?: string) => boolean {
  const plan = planFor(schema);
  return (obj, out, allow) => {
    const mark = out.pos;
    if (writeMessage(obj, plan, out, allow)) return true;
    out.pos = mark;
    return false;
  };
}

interface FieldPlan {
  field: DescField;
  name: string;
  /** The tag, encoded. */
  tag: Uint8Array;
  scalar: ScalarType | undefined;
  repeated: boolean;
  required: boolean;
  opts: CRIU_Opts | undefined;
  enumByName: Map<string, number> | undefined;
  sub: (() => MessagePlan) | undefined;
  subPlan?: MessagePlan;
}

interface MessagePlan {
  fields: FieldPlan[];
}

const plans = new WeakMap<DescMessage, MessagePlan>();

function planFor(schema: DescMessage): MessagePlan {
  let plan = plans.get(schema);
  if (plan) return plan;
  const fields = [...schema.fields]
    .sort((a, b) => a.number - b.number)
    .map((field): FieldPlan => {
      const m = fieldMessage(field);
      const e = fieldEnum(field);
      const scalar = fieldScalar(field);
      return {
        field,
        name: field.name,
        tag: tagBytes(field.number, m || scalar === ScalarType.STRING || scalar === ScalarType.BYTES ? 2 : wireOf(scalar)),
        scalar,
        repeated: field.fieldKind === "list",
        required: isRequired(field),
        opts: criuOptions(field),
        enumByName: e ? new Map(e.values.map((v) => [v.name, v.number])) : undefined,
        sub: m ? () => planFor(m) : undefined,
      };
    });
  plan = { fields };
  plans.set(schema, plan);
  return plan;
}

function isRequired(field: DescField): boolean {
  return (field as { proto?: { label?: number } }).proto?.label === 2;
}

function wireOf(t: ScalarType | undefined): number {
  if (t === ScalarType.FIXED32 || t === ScalarType.SFIXED32 || t === ScalarType.FLOAT) return 5;
  if (t === ScalarType.FIXED64 || t === ScalarType.SFIXED64 || t === ScalarType.DOUBLE) return 1;
  return 0;
}

function tagBytes(no: number, wire: number): Uint8Array {
  const w = new WireWriter(8);
  w.varint32((no << 3) | wire);
  return w.buf.slice(0, w.pos);
}

function writeMessage(obj: JsonValue | undefined, plan: MessagePlan, out: WireWriter, allow?: string): boolean {
  if (!isObject(obj)) return false;
  let seen = 0;
  for (const f of plan.fields) {
    const v = (obj as JsonObject)[f.name];
    if (v === undefined || !Object.prototype.hasOwnProperty.call(obj, f.name)) {
      if (f.required) return false; // the object path reports it
      continue;
    }
    seen++;
    if (f.repeated) {
      if (!Array.isArray(v)) return false;
      if (f.opts?.ipadd && typeof v[0] === "string") {
        if (v.length !== 1) return false;
        let words: number[];
        try {
          words = parseIp(v[0]);
        } catch {
          return false;
        }
        for (const w of words) {
          out.bytes(f.tag);
          out.varint32(w);
        }
        continue;
      }
      for (const item of v) if (!writeValue(item, f, out)) return false;
    } else if (!writeValue(v, f, out)) return false;
  }
  // Keys that are not fields (lossless forms, typos, "extra" where not allowed): object path.
  const keys = Object.keys(obj).length;
  return keys === seen || (allow !== undefined && keys === seen + 1 && Object.prototype.hasOwnProperty.call(obj, allow));
}

function writeValue(v: JsonValue, f: FieldPlan, out: WireWriter): boolean {
  if (f.sub) {
    out.bytes(f.tag);
    const at = out.beginLength();
    if (!writeMessage(v, (f.subPlan ??= f.sub()), out)) return false;
    out.endLength(at);
    return true;
  }
  if (f.enumByName) {
    const n = typeof v === "string" ? f.enumByName.get(v) : undefined;
    if (n === undefined) return false; // numbers and bad names: object path
    out.bytes(f.tag);
    out.int32(n);
    return true;
  }
  if (f.scalar === ScalarType.STRING && typeof v !== "string") return false; // {"@bytes": ...}
  let value: unknown;
  try {
    value = readScalar(f.field, f.scalar!, v, f.opts);
  } catch {
    return false;
  }
  out.bytes(f.tag);
  switch (f.scalar) {
    case ScalarType.STRING:
      out.string(value as string);
      break;
    case ScalarType.BYTES:
      out.lengthDelimited(value as Uint8Array);
      break;
    case ScalarType.BOOL:
      out.varint32(value ? 1 : 0);
      break;
    case ScalarType.UINT32:
      out.varint32(value as number);
      break;
    case ScalarType.INT32:
      out.int32(value as number);
      break;
    case ScalarType.SINT32:
      out.varint32((((value as number) << 1) ^ ((value as number) >> 31)) >>> 0);
      break;
    case ScalarType.UINT64:
    case ScalarType.INT64:
      out.varint64(BigInt.asUintN(64, value as bigint));
      break;
    case ScalarType.SINT64: {
      const n = value as bigint;
      out.varint64(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
      break;
    }
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      out.fixed32(value as number);
      break;
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      out.fixed64(BigInt.asUintN(64, value as bigint));
      break;
    default:
      return false; // floats: CRIU has none
  }
  return true;
}

const utf8 = new TextEncoder();

/** A growable protobuf wire buffer. */
export class WireWriter extends GrowableBytes {
  constructor(size = 1 << 16) {
    super(size);
  }

  varint32(v: number): void {
    this.reserve(5);
    const b = this.buf;
    while (v > 0x7f) {
      b[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[this.pos++] = v;
  }

  /** int32 and enums: negative values sign-extended to ten bytes, as every encoder writes them. */
  int32(v: number): void {
    if (v >= 0) this.varint32(v);
    else this.varint64(BigInt.asUintN(64, BigInt(v)));
  }

  varint64(v: bigint): void {
    if (v <= 0xffffffffn) return this.varint32(Number(v));
    this.reserve(10);
    const b = this.buf;
    while (v > 0x7fn) {
      b[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    b[this.pos++] = Number(v);
  }

  fixed32(v: number): void {
    this.u32le(v >>> 0);
  }

  fixed64(v: bigint): void {
    this.u32le(Number(v & 0xffffffffn));
    this.u32le(Number(v >> 32n));
  }

  string(s: string): void {
    // At most three bytes per UTF-16 unit; the length goes in front once known.
    this.reserve(s.length * 3 + 5);
    const at = this.beginLength();
    const { written } = utf8.encodeInto(s, this.buf.subarray(this.pos));
    this.pos += written;
    this.endLength(at);
  }

  lengthDelimited(b: Uint8Array): void {
    this.varint32(b.length);
    this.bytes(b);
  }

  /** Leaves room for a length (5 bytes at most) and returns where the content starts. */
  beginLength(): number {
    this.reserve(5);
    this.pos += 1; // most lengths fit one byte; endLength moves the content if not
    return this.pos;
  }

  endLength(start: number): void {
    const len = this.pos - start;
    let size = 1;
    for (let v = len; v > 0x7f; v >>>= 7) size++;
    if (size > 1) {
      this.reserve(size - 1);
      this.buf.copyWithin(start + size - 1, start, this.pos);
      this.pos += size - 1;
    }
    let p = start - 1;
    let v = len;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
  }
}
