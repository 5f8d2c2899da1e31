import { create, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { criuOptions } from "../../schema/options";
import { readRawString, readUnknown } from "./read-lossless";
import { parseIp, readScalar, ValueError } from "./read-scalar";
import { CritJsonError, isObject, jsonPath, quoteShort, type JsonObject, type JsonValue } from "../value";
import { ScalarType } from "../../schema/scalar-type";

export type Path = (string | number)[];

/** Reading context: the document's file name and the JSON path so far, for errors. */
export interface ReadContext {
  file?: string | undefined;
}

export function fail(ctx: ReadContext, path: Path, expected: string): CritJsonError {
  return new CritJsonError(jsonPath(path), expected, undefined, ctx.file);
}

const fieldsByName = new WeakMap<DescMessage, Map<string, DescField>>();

function fieldNamed(schema: DescMessage, name: string): DescField | undefined {
  let map = fieldsByName.get(schema);
  if (!map) fieldsByName.set(schema, (map = new Map(schema.fields.map((f) => [f.name, f]))));
  return map.get(name);
}

/**
 * crit's JSON object for a message back to the message. Keys are proto field names; `allow`
 * lists other keys the caller handles (such as "extra"). Unknown keys are an error.
 */
export function readMessage(schema: DescMessage, obj: JsonValue | undefined, ctx: ReadContext, path: Path, allow: readonly string[] = []): Message {
  if (!isObject(obj)) throw fail(ctx, path, `an object for a ${schema.typeName}`);
  const message = create(schema) as Message;
  const record = message as unknown as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (allow.includes(key)) continue;
    if (key === "@unknown") {
      within(ctx, [...path, key], () => readUnknown(schema, message, obj[key]!));
      continue;
    }
    const field = fieldNamed(schema, key);
    if (!field) throw fail(ctx, [...path, key], `a field of ${schema.typeName}`);
    record[field.localName] = readField(message, field, obj[key]!, ctx, path, key);
  }
  return message;
}

/** A string field's value: text, or the `{"@bytes": ...}` form for bytes that are not text. */
function readString(message: Message, field: DescField, v: JsonValue, index?: number): unknown {
  return typeof v === "object" && v !== null ? readRawString(message, field, v, index) : readScalar(field, ScalarType.STRING, v, undefined);
}

/** `path` and `key` are kept apart so that the path is only built for an error. */
function readField(message: Message, field: DescField, v: JsonValue, ctx: ReadContext, parent: Path, key: string): unknown {
  const opts = criuOptions(field);
  const path = field.fieldKind === "scalar" || field.fieldKind === "enum" ? undefined : [...parent, key];
  try {
    switch (field.fieldKind) {
      case "message":
        return readMessage(field.message, v, ctx, path!);
      case "enum":
        return readEnum(field.enum.values, v);
      case "scalar":
        if (field.scalar === ScalarType.STRING) return readString(message, field, v);
        return readScalar(field, field.scalar, v, opts);
      case "list": {
        if (!Array.isArray(v)) throw new ValueError("a list");
        if (field.listKind === "message") return v.map((item, i) => readMessage(field.message, item, ctx, [...path!, i]));
        if (field.listKind === "enum") return v.map((item, i) => within(ctx, [...path!, i], () => readEnum(field.enum.values, item)));
        if (opts?.ipadd && typeof v[0] === "string") {
          if (v.length !== 1) throw new ValueError("one address in the list");
          return parseIp(v[0]);
        }
        if (field.scalar === ScalarType.STRING) return v.map((item, i) => within(ctx, [...path!, i], () => readString(message, field, item, i)));
        return v.map((item, i) => within(ctx, [...path!, i], () => readScalar(field, field.scalar, item, opts)));
      }
      default:
        throw new ValueError("a field kind CRIU does not use");
    }
  } catch (err) {
    if (err instanceof ValueError) throw fail(ctx, path ?? [...parent, key], err.message);
    throw err;
  }
}

function within<T>(ctx: ReadContext, path: Path, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValueError) throw fail(ctx, path, err.message);
    throw err;
  }
}

/** An enum value by name, or by number (how unknown values of closed enums are written). */
function readEnum(values: readonly { name: string; number: number }[], v: JsonValue): number {
  if (typeof v === "string") {
    const found = values.find((x) => x.name === v);
    if (!found) throw new ValueError(`one of ${values.map((x) => x.name).join(", ")}, not ${quoteShort(v)}`);
    return found.number;
  }
  if (typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return v;
  throw new ValueError("an enum value name");
}

export function expectObject(v: JsonValue | undefined, ctx: ReadContext, path: Path, what: string): JsonObject {
  if (!isObject(v)) throw fail(ctx, path, what);
  return v;
}
