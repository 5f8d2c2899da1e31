import { ScalarType, toBinary, type DescEnum, type DescField, type DescMessage, type Message, type UnknownField } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import fc from "fast-check";
import { oddStringBytesArbitrary } from "./odd-string";
import { unknownFieldArbitrary, unknownFieldBytes, unknownKey } from "./unknown-field";
import { concatBytes } from "../../../src/image/bytes";

/** A message's wire bytes with extras protobuf-es cannot hold, and the unknown fields in them. */
export interface LosslessWire {
  bytes: Uint8Array;
  /** `unknownKey`s of every unknown field and unknown enum value (a multiset). */
  unknown: string[];
}

export interface LosslessOptions {
  /** Also put unknown values in *required* enum fields (default false). */
  requiredEnums?: boolean;
  /** Depth down to which nested messages get extras too (default 2). */
  depth?: number;
}

const REQUIRED = 3;

/** An int32 that is not a value of the (closed) enum. */
export function unknownEnumValueArbitrary(e: DescEnum): fc.Arbitrary<number> {
  const known = new Set(e.values.map((v) => v.number));
  return fc
    .oneof(fc.integer({ min: -4, max: 100 }), fc.integer({ min: -0x80000000, max: 0x7fffffff }))
    .filter((v) => !known.has(v));
}

/**
 * The encoding of `message` with, at the wire level: unknown fields inserted at any position
 * between its fields (and those of nested messages), enum fields set to values not in their
 * enum, and string fields replaced by bytes that are not valid UTF-8. `path` names the message
 * in the `unknown` keys; nested messages are `path/field` or `path/field[i]`.
 */
export function losslessWireArbitrary(
  schema: DescMessage,
  message: Message,
  path = "",
  options: LosslessOptions = {},
): fc.Arbitrary<LosslessWire> {
  return wireOf(schema, toBinary(schema, message), path, options, options.depth ?? 2);
}

function wireOf(schema: DescMessage, bytes: Uint8Array, path: string, options: LosslessOptions, depth: number): fc.Arbitrary<LosslessWire> {
  const reader = new BinaryReader(bytes);
  const records: fc.Arbitrary<LosslessWire>[] = [];
  const seen = new Map<number, number>();
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [no, wireType] = reader.tag();
    const data = reader.skip(wireType, no);
    const keep: LosslessWire = { bytes: bytes.slice(start, reader.pos), unknown: [] };
    const field = schema.fields.find((f) => f.number === no);
    const index = seen.get(no) ?? 0;
    seen.set(no, index + 1);
    records.push(field ? recordOf(field, keep, data, wireType, index, path, options, depth) : fc.constant(keep));
  }
  const extras = fc.array(fc.tuple(fc.nat(records.length), unknownFieldArbitrary(schema)), { maxLength: 3 });
  return fc.tuple(fc.tuple(...records), extras).map(([recs, extra]) => {
    const parts: Uint8Array[] = [];
    const unknown: string[] = [];
    const add = (u: UnknownField) => (parts.push(unknownFieldBytes(u)), unknown.push(unknownKey(path, u)));
    recs.forEach((rec, i) => {
      extra.filter(([pos]) => pos === i).forEach(([, u]) => add(u));
      parts.push(rec.bytes);
      unknown.push(...rec.unknown);
    });
    extra.filter(([pos]) => pos >= recs.length).forEach(([, u]) => add(u));
    return { bytes: concatBytes(parts), unknown };
  });
}

function recordOf(
  field: DescField,
  keep: LosslessWire,
  data: Uint8Array,
  wireType: WireType,
  index: number,
  path: string,
  options: LosslessOptions,
  depth: number,
): fc.Arbitrary<LosslessWire> {
  const no = field.number;
  if (field.fieldKind === "enum" && wireType === WireType.Varint && (field.presence !== REQUIRED || options.requiredEnums)) {
    const bad = unknownEnumValueArbitrary(field.enum).map((v): LosslessWire => {
      const u = { no, wireType, data: new BinaryWriter().int32(v).finish() };
      return { bytes: unknownFieldBytes(u), unknown: [unknownKey(path, u)] };
    });
    return fc.oneof(fc.constant(keep), bad);
  }
  const isString = (field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar")) && field.scalar === ScalarType.STRING;
  if (isString) {
    const odd = oddStringBytesArbitrary.map((b) => ({ bytes: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(b).finish(), unknown: [] }));
    return fc.oneof(fc.constant(keep), odd);
  }
  const sub = field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message") ? field.message : undefined;
  if (sub && depth > 0 && wireType === WireType.LengthDelimited) {
    const payload = new BinaryReader(data).bytes();
    const where = `${path}/${field.localName}${field.fieldKind === "list" ? `[${index}]` : ""}`;
    return wireOf(sub, payload, where, options, depth - 1).map((w) => ({
      bytes: new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(w.bytes).finish(),
      unknown: w.unknown,
    }));
  }
  return fc.constant(keep);
}

