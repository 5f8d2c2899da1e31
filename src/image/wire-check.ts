import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { fieldByNumber, fieldMessage, fieldScalar } from "../schema/fields";
import { readVarint, varint as v } from "./varint";
import { ScalarType } from "../schema/scalar-type";

/** The end of a varint of up to ten bytes at `pos` (any bits, as protobuf-c and protobuf-es read them), or -1. */
function skipVarint(bytes: Uint8Array, pos: number, end: number): number {
  for (let i = 0; i < 10 && pos < end; i++) if (bytes[pos++]! < 0x80) return pos;
  return -1;
}

/**
 * The rule for what an image may hold (README, "What the decoder accepts"): a message is read
 * only if CRIU's protobuf-c would read it. Every record lies inside its message (a varint or a
 * length running past a sub-message's end is an error, even where protobuf-es would read on into
 * the parent), wire types are 0, 1, 2 or 5 and match the field's type (or 2 for a packed list of
 * numbers), field numbers are 1 to 2^29-1, and every required field is there, at any depth.
 * Unknown fields, unknown enum values, non-shortest varints, repeated or unordered fields stay
 * allowed: the image codec writes them back byte for byte.
 *
 * This is the check behind protobuf-es's own decoder (which is more lenient); the fast decoders
 * apply the same rule as they go.
 */
export interface WireProblem {
  /** Offset in the bytes checked. */
  at: number;
  expected: string;
}

const MAX_FIELD_NUMBER = 2 ** 29 - 1;

/** The first way `bytes[start, end)` breaks the rule for a message of type `schema`, if any. */
export function wireProblem(schema: DescMessage, bytes: Uint8Array, start = 0, end = bytes.length): WireProblem | undefined {
  const seen = new Set<number>();
  let pos = start;
  while (pos < end) {
    const at = pos;
    if (!readVarint(bytes, pos, end) || v.hi !== 0) return { at, expected: `a field tag inside the ${schema.typeName} message` };
    pos = v.at;
    const no = v.lo >>> 3;
    const wire = v.lo & 7;
    if (no < 1 || no > MAX_FIELD_NUMBER) return { at, expected: `a field number from 1 to ${MAX_FIELD_NUMBER} in ${schema.typeName}, not ${no}` };
    const field = fieldByNumber(schema, no);
    const want = field ? wireTypeOf(field) : undefined;
    if (field && wire !== want && !(wire === 2 && isPackable(field))) {
      return { at, expected: `wire type ${want} for ${schema.typeName}.${field.name}, not ${wire}` };
    }
    const valueAt = pos;
    switch (wire) {
      case 0:
        pos = skipVarint(bytes, pos, end);
        if (pos < 0) return { at: valueAt, expected: `a varint inside the ${schema.typeName} message` };
        break;
      case 1:
      case 5:
        pos += wire === 1 ? 8 : 4;
        if (pos > end) return { at: valueAt, expected: `${wire === 1 ? 8 : 4} bytes inside the ${schema.typeName} message` };
        break;
      case 2: {
        if (!readVarint(bytes, pos, end) || v.hi !== 0 || v.at + v.lo > end) {
          return { at: valueAt, expected: `a length that stays inside the ${schema.typeName} message` };
        }
        const from = v.at;
        pos = v.at + v.lo;
        const sub = field && fieldMessage(field);
        const problem = sub ? wireProblem(sub, bytes, from, pos) : field && want !== 2 ? packedProblem(field, bytes, from, pos) : undefined;
        if (problem) return problem;
        break;
      }
      default:
        return { at, expected: `a wire type CRIU uses (0, 1, 2 or 5) in ${schema.typeName}, not ${wire}` };
    }
    seen.add(no);
  }
  for (const field of requiredFields(schema)) {
    if (!seen.has(field.number)) return { at: start, expected: `the required field ${schema.typeName}.${field.name}` };
  }
  return undefined;
}

/** A packed list of numbers: whole values only. */
function packedProblem(field: DescField, bytes: Uint8Array, start: number, end: number): WireProblem | undefined {
  const wire = wireTypeOf(field);
  const size = wire === 1 ? 8 : wire === 5 ? 4 : 0;
  if (size > 0) return (end - start) % size === 0 ? undefined : { at: start, expected: `a packed list of ${size}-byte values for ${field.name}` };
  for (let pos = start; pos < end; ) {
    const next = skipVarint(bytes, pos, end);
    if (next < 0) return { at: pos, expected: `a packed list of varints for ${field.name}` };
    pos = next;
  }
  return undefined;
}

const required = new WeakMap<DescMessage, DescField[]>();

export function requiredFields(schema: DescMessage): DescField[] {
  let list = required.get(schema);
  if (!list) required.set(schema, (list = schema.fields.filter(isRequired)));
  return list;
}

/** proto2's `required` (protobuf-es calls it legacy-required presence). */
export function isRequired(field: DescField): boolean {
  return field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED;
}

function wireTypeOf(field: DescField): number {
  if (fieldMessage(field)) return 2;
  switch (fieldScalar(field)) {
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.DOUBLE:
      return 1;
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.FLOAT:
      return 5;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return 2;
    default:
      return 0; // integers, bools and enums
  }
}

function isPackable(field: DescField): boolean {
  return field.fieldKind === "list" && field.listKind !== "message" && wireTypeOf(field) !== 2;
}
