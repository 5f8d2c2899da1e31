import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { CRIU_Opts } from "../../gen/opts_pb";
import { criuOptions } from "../../schema/options";
import { fieldEnum, fieldMessage, fieldScalar } from "../../schema/fields";
import { WireWriter } from "./wire-writer";
import { IS_64, RANGES } from "./read-scalar";
import { ScalarType } from "../../schema/scalar-type";

// What the one-pass encoder knows of a message type, made once per type: for each field its
// key's bytes, its tag on the wire, the kind of value it takes and what an integer may be.

export const enum Kind {
  Message,
  Enum,
  Bool,
  String,
  Bytes,
  Int,
}

export interface FieldPlan {
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
  /** What compiled code calls for this field's messages (Scanner.subReader): set on first use. */
  subRead?: CompiledMessage;
  /** Integer fields: 64-bit, signed, and the largest value of a 32-bit one (-1: not an integer). */
  is64: boolean;
  signed: boolean;
  max32: number;
  /** Texts already read for this integer field: the first few, then more by hash of their bytes. */
  recent?: [Uint8Array, number | bigint][];
  cache?: Map<number, [Uint8Array, number | bigint]>;
}

export interface MessagePlan {
  /**
   * By field number: the order of crit's keys (Python's ListFields) and of the wire, so each
   * value is written as it is read. Keys in any other order leave the fast path.
   */
  fields: FieldPlan[];
  /** The code compiled for this type (compile-encode.ts): undefined until tried, null when it cannot be. */
  compiled?: CompiledMessage | null;
  /** Objects read by the interpreter before the type's code is compiled (compile-encode.ts). */
  interpreted: number;
  /** Objects read by the first, compact compiled code (compile-encode.ts), which counts them. */
  seen: number;
  /** message() bound to this plan: what compiled callers read its objects with until it has code. */
  viaInterpreter?: CompiledMessage;
  /** The fields whose subRead is this type's compiled code: pointed at the full code when made. */
  callers: FieldPlan[];
}

/** Reads one object of a message type and writes its fields; returns where "extra"'s value starts (-1: none). */
export type CompiledMessage = (sc: unknown, extra: boolean) => number;

/** Nesting the fast path takes; deeper documents go to the parser (which allows 512 levels). */
export const MAX_DEPTH = 256;

const ascii = new TextEncoder();
const plans = new WeakMap<DescMessage, MessagePlan>();

export function planFor(schema: DescMessage): MessagePlan {
  let plan = plans.get(schema);
  if (plan) return plan;
  plan = { fields: [...schema.fields].sort((a, b) => a.number - b.number).map(fieldPlan), interpreted: 0, seen: 0, callers: [] };
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

export const SLOW = 0;
const VARINT = 1;
export const ZIGZAG = 2;

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
