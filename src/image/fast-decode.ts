import { create, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { readVarint, varint as v } from "./varint";
import { fieldEnum, fieldMessage, fieldScalar } from "../schema/fields";
import { compiledDecoder } from "./compile-decode";
import { isRequired } from "./wire-check";

/**
 * A decoder specialised from a message's descriptor, for the common case: bytes that
 * protobuf-es would write back exactly (fields in number order, shortest varints, known fields
 * and enum values only, strict UTF-8 strings, no packed lists). It builds the same objects as
 * `fromBinary`, several times faster, and such messages need no copy of their original bytes.
 * For anything else it returns undefined and the caller uses `fromBinary`, which keeps what it
 * cannot represent.
 */
export function fastDecoder(schema: DescMessage, options: { interpret?: boolean } = {}): FastDecoder {
  const plan = planFor(schema);
  if (!options.interpret) {
    const compiled = compiledDecoder(plan);
    if (compiled) return compiled;
  }
  return interpreted(plan);
}

/** The interpreter: reads the plan field by field (used where code cannot be compiled). */
export function interpreted(plan: MessagePlan): FastDecoder {
  return (bytes, start, end, depth) => decode(bytes, start, end, plan, depth ?? 0);
}

/** `depth`: messages around this one (0 or absent at the top). */
export type FastDecoder = (bytes: Uint8Array, start: number, end: number, depth?: number) => Message | undefined;

/**
 * fromBinary's default limit on nested messages (recursive types such as cgroup directories):
 * deeper messages are left to it, and it refuses them.
 */
export const RECURSION_LIMIT = 100;

export const enum K {
  Uint32,
  Int32,
  Sint32,
  Uint64,
  Int64,
  Sint64,
  Bool,
  Enum,
  Fixed32,
  Sfixed32,
  Fixed64,
  Sfixed64,
  String,
  Bytes,
  Message,
}

export interface FieldPlan {
  name: string;
  number: number;
  kind: K;
  wire: number;
  repeated: boolean;
  /** proto2 `required`: the message is read only with it (wire-check.ts). */
  required: boolean;
  enumValues: Set<number> | undefined;
  sub: (() => MessagePlan) | undefined;
  subPlan?: MessagePlan;
}

export interface MessagePlan {
  typeName: string;
  prototype: object;
  lists: string[];
  byNumber: (FieldPlan | undefined)[];
  /** How many required fields the message has (each must be read once). */
  requiredCount: number;
  /** The compiled decoder (compile-decode.ts), once made; null where code cannot be compiled. */
  compiled?: FastDecoder | null;
}

const plans = new WeakMap<DescMessage, MessagePlan>();

export function planFor(schema: DescMessage): MessagePlan {
  let plan = plans.get(schema);
  if (plan) return plan;
  // The prototype protobuf-es gives proto2 messages (it holds the default values).
  const prototype = Object.getPrototypeOf(create(schema)) as object;
  const byNumber: (FieldPlan | undefined)[] = [];
  const lists: string[] = [];
  for (const f of schema.fields) {
    const kind = kindOf(f);
    if (kind === undefined) continue; // a kind CRIU does not use: such records go the slow way
    const m = fieldMessage(f);
    const e = fieldEnum(f);
    byNumber[f.number] = {
      name: f.localName,
      number: f.number,
      kind,
      wire: wireOf(kind),
      repeated: f.fieldKind === "list",
      required: isRequired(f),
      enumValues: e ? new Set(e.values.map((v) => v.number)) : undefined,
      sub: m ? () => planFor(m) : undefined,
    };
  }
  for (const m of schema.members) if (m.kind === "field" && m.fieldKind === "list") lists.push(m.localName);
  const requiredCount = schema.fields.filter(isRequired).length;
  plan = { typeName: schema.typeName, prototype, lists, byNumber, requiredCount };
  plans.set(schema, plan);
  return plan;
}

function kindOf(f: DescField): K | undefined {
  if (fieldMessage(f)) return K.Message;
  if (fieldEnum(f)) return K.Enum;
  switch (fieldScalar(f)) {
    case ScalarType.UINT32:
      return K.Uint32;
    case ScalarType.INT32:
      return K.Int32;
    case ScalarType.SINT32:
      return K.Sint32;
    case ScalarType.UINT64:
      return K.Uint64;
    case ScalarType.INT64:
      return K.Int64;
    case ScalarType.SINT64:
      return K.Sint64;
    case ScalarType.BOOL:
      return K.Bool;
    case ScalarType.FIXED32:
      return K.Fixed32;
    case ScalarType.SFIXED32:
      return K.Sfixed32;
    case ScalarType.FIXED64:
      return K.Fixed64;
    case ScalarType.SFIXED64:
      return K.Sfixed64;
    case ScalarType.STRING:
      return K.String;
    case ScalarType.BYTES:
      return K.Bytes;
    default:
      return undefined;
  }
}

function wireOf(k: K): number {
  if (k === K.Fixed32 || k === K.Sfixed32) return 5;
  if (k === K.Fixed64 || k === K.Sfixed64) return 1;
  if (k === K.String || k === K.Bytes || k === K.Message) return 2;
  return 0;
}

/** A varint in its shortest form (what an encoder writes), read into `v`. */
function varint(buf: Uint8Array, pos: number, end: number): boolean {
  return readVarint(buf, pos, end) && !v.padded;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A string field's value, or undefined when protobuf-es would not read it back as is. */
export function stringValue(buf: Uint8Array, from: number, to: number): string | undefined {
  if (buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf) return undefined; // BOM
  try {
    return utf8.decode(buf.subarray(from, to));
  } catch {
    return undefined;
  }
}

function decode(buf: Uint8Array, start: number, end: number, plan: MessagePlan, depth: number): Message | undefined {
  if (depth >= RECURSION_LIMIT) return undefined;
  const msg = Object.create(plan.prototype) as Record<string, unknown>;
  msg.$typeName = plan.typeName;
  for (const name of plan.lists) msg[name] = [];
  let last = 0;
  let required = 0;
  let pos = start;
  while (pos < end) {
    if (!varint(buf, pos, end) || v.hi !== 0) return undefined;
    pos = v.at;
    const no = v.lo >>> 3;
    const p = plan.byNumber[no];
    if (p === undefined || p.wire !== (v.lo & 7)) return undefined;
    // protobuf-es writes fields in number order, each singular field once.
    if (no < last || (no === last && !p.repeated)) return undefined;
    last = no;
    if (p.required) required++;
    let value: unknown;
    if (p.wire === 0) {
      if (!varint(buf, pos, end)) return undefined;
      pos = v.at;
      value = varintValue(p, v.lo, v.hi, v.len);
      if (value === undefined) return undefined;
    } else if (p.wire === 2) {
      if (!varint(buf, pos, end) || v.hi !== 0 || v.at + v.lo > end) return undefined;
      const from = v.at;
      pos = v.at + v.lo;
      if (p.kind === K.Message) {
        value = decode(buf, from, pos, (p.subPlan ??= p.sub!()), depth + 1);
        if (value === undefined) return undefined;
      } else if (p.kind === K.String) {
        value = stringValue(buf, from, pos);
        if (value === undefined) return undefined;
      } else value = buf.subarray(from, pos);
    } else {
      const n = p.wire === 5 ? 4 : 8;
      if (pos + n > end) return undefined;
      value = fixedValue(p.kind, buf, pos);
      pos += n;
    }
    if (p.repeated) (msg[p.name] as unknown[]).push(value);
    else msg[p.name] = value;
  }
  // Each singular field is read at most once (above): all are there when the count is full.
  if (required !== plan.requiredCount) return undefined;
  return msg as unknown as Message;
}

/** A varint as the field's value, or undefined when protobuf-es would write it differently. */
export function varintValue(p: FieldPlan, l: number, h: number, n: number): unknown {
  switch (p.kind) {
    case K.Uint32:
      return h === 0 ? l : undefined;
    case K.Int32:
    case K.Enum: {
      // Negative values take ten bytes (sign-extended), others their plain form.
      const v = l | 0;
      if (v < 0 ? h !== 0xffffffff || n !== 10 : h !== 0) return undefined;
      if (p.enumValues && !p.enumValues.has(v)) return undefined; // unknown: kept by the slow path
      return v;
    }
    case K.Sint32:
      return h === 0 ? (l >>> 1) ^ -(l & 1) : undefined;
    case K.Bool:
      return h === 0 && l <= 1 ? l === 1 : undefined;
    case K.Uint64:
      return h < 0x200000 ? BigInt(h * 0x100000000 + l) : (BigInt(h) << 32n) | BigInt(l);
    case K.Int64:
      return h < 0x200000 ? BigInt(h * 0x100000000 + l) : BigInt.asIntN(64, (BigInt(h) << 32n) | BigInt(l));
    case K.Sint64: {
      const u = (BigInt(h) << 32n) | BigInt(l);
      return (u >> 1n) ^ -(u & 1n);
    }
    default:
      return undefined;
  }
}

export function fixedValue(k: K, buf: Uint8Array, pos: number): number | bigint {
  const view = new DataView(buf.buffer, buf.byteOffset + pos, k === K.Fixed32 || k === K.Sfixed32 ? 4 : 8);
  if (k === K.Fixed32) return view.getUint32(0, true);
  if (k === K.Sfixed32) return view.getInt32(0, true);
  if (k === K.Fixed64) return view.getBigUint64(0, true);
  return view.getBigInt64(0, true);
}
