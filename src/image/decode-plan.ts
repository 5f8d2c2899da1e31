import { create, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { fieldEnum, fieldMessage, fieldScalar } from "../schema/fields";
import { isRequired } from "./wire-check";
import { ScalarType } from "../schema/scalar-type";

// What the fast decoders know of a message type (a plan, made once per type), and how one
// field's value is read from the wire: shared by the interpreter (interpret-decode.ts) and the
// compiled decoder (compile-decode.ts), which fast-decode.ts chooses between.

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

/** A varint as the field's value, or undefined when protobuf-es would write it differently. */
export function varintValue(p: FieldPlan, l: number, h: number, n: number): unknown {
  switch (p.kind) {
    case K.Uint32:
      // `l | 0` below 2^30: a small integer, never a heap number (varint.lo, a double field,
      // gives one). A message field that once held a heap number boxes every value after.
      if (h !== 0) return undefined;
      return l < 0x40000000 ? l | 0 : l;
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
