import { clone, equals, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { criuRegistry } from "../../src/schema/registry";
import { unknownKey } from "./arbitraries/unknown-field";
import type { ImageMessage } from "./reference-image";

const REQUIRED = 3;

const isMessage = (v: unknown): v is Message => typeof v === "object" && v !== null && typeof (v as Message).$typeName === "string";

/**
 * Where two decoded values differ (a path), or undefined when they are the same: messages
 * with protobuf-es `equals` (presence, values and unknown fields), bytes byte by byte, arrays
 * and objects member by member (an absent member equals `undefined`).
 */
export function diffValues(a: unknown, b: unknown, path = "$"): string | undefined {
  if (isMessage(a) || isMessage(b)) {
    if (!isMessage(a) || !isMessage(b) || a.$typeName !== b.$typeName) return `${path}: message vs non-message`;
    const schema = criuRegistry.getMessage(a.$typeName)!;
    return equals(schema, a, b, { unknown: true, registry: criuRegistry }) ? undefined : `${path}: ${a.$typeName} messages differ`;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return `${path}: bytes vs non-bytes`;
    return Buffer.from(a).equals(Buffer.from(b)) ? undefined : `${path}: bytes differ`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: array vs non-array`;
    if (a.length !== b.length) return `${path}: ${a.length} vs ${b.length} elements`;
    for (let i = 0; i < a.length; i++) {
      const d = diffValues(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = diffValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
}

/** The unknown fields (and unknown enum values) of a message and its sub-messages, as keys. */
export function unknownKeysOf(schema: DescMessage, message: Message, path = ""): string[] {
  const out = (message.$unknown ?? []).map((u) => unknownKey(path, u));
  for (const field of schema.fields) {
    const value = (message as unknown as Record<string, unknown>)[field.localName];
    if (field.fieldKind === "message" && value) out.push(...unknownKeysOf(field.message, value as Message, `${path}/${field.localName}`));
    if (field.fieldKind === "list" && field.listKind === "message") {
      (value as Message[]).forEach((v, i) => out.push(...unknownKeysOf(field.message, v, `${path}/${field.localName}[${i}]`)));
    }
  }
  return out;
}

/** The unknown keys of every message of an image, each prefixed with the message's index. */
export function imageUnknownKeys(messages: ImageMessage[]): string[] {
  return messages.flatMap((m, i) => unknownKeysOf(m.schema, m.message, `#${i}`)).sort();
}

/** Fields whose value says how much raw data follows an entry: changing them breaks the image. */
const SIZE_FIELDS = new Set(["bytes", "length", "inqLen", "outqLen", "nsems", "qnum", "msize", "size", "inPagemaps", "keysBytes", "valuesBytes", "chunks", "len"]);

/**
 * Changes one known scalar field (not a size field, not an enum) of the message or of a
 * sub-message, in place. Returns the field changed, or undefined when there is none.
 */
export function changeKnownField(schema: DescMessage, message: Message): string | undefined {
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    if (field.fieldKind !== "scalar" || SIZE_FIELDS.has(field.localName)) continue;
    record[field.localName] = changed(field, record[field.localName]);
    return field.localName;
  }
  for (const field of schema.fields) {
    const value = record[field.localName];
    if (field.fieldKind === "message" && value) {
      const name = changeKnownField(field.message, value as Message);
      if (name) return `${field.localName}.${name}`;
    }
  }
  return undefined;
}

function changed(field: DescField & { fieldKind: "scalar" }, v: unknown): unknown {
  switch (field.scalar) {
    case ScalarType.BOOL:
      return !v;
    case ScalarType.STRING:
      return `${String(v)}x`;
    case ScalarType.BYTES:
      return new Uint8Array([...(v as Uint8Array), 1]);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return BigInt.asUintN(64, (v as bigint) + 1n);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return BigInt.asIntN(64, (v as bigint) + 1n);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return ((v as number) + 1) >>> 0;
    default:
      return ((v as number) + 1) | 0;
  }
}

/** Required fields of a message and of its set sub-messages, as paths of field names. */
export function requiredFieldPaths(schema: DescMessage, message: Message): DescField[][] {
  const out: DescField[][] = [];
  for (const field of schema.fields) {
    if (field.presence === REQUIRED) out.push([field]);
    const value = (message as unknown as Record<string, unknown>)[field.localName];
    if (field.fieldKind === "message" && value) out.push(...requiredFieldPaths(field.message, value as Message).map((p) => [field, ...p]));
  }
  return out;
}

/** A copy of the message with the required field at `path` cleared. */
export function withoutField<M extends Message>(schema: DescMessage, message: M, path: DescField[]): M {
  const copy = clone(schema, message) as M;
  let target: Message = copy;
  let desc = schema;
  for (const field of path.slice(0, -1)) {
    target = (target as unknown as Record<string, Message>)[field.localName]!;
    desc = (field as DescField & { fieldKind: "message" }).message;
  }
  reflect(desc, target).clear(path[path.length - 1]!);
  return copy;
}
