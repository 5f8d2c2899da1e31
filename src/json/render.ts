import { isFieldSet, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { criuOptions } from "../schema/options";
import { toMimeBase64 } from "./base64";
import { ipString, renderPrettyInt } from "./pretty";
import { toQuotedPrintable } from "./quopri";
import type { JsonObject, JsonValue } from "./value";

export interface RenderOptions {
  /** crit's `--pretty`: apply the (criu) options hex, dev, flags, dict and ipadd. */
  pretty: boolean;
}

/**
 * A message as crit's JSON object: proto field names in field-number order, set fields only,
 * enums by name, bytes as MIME base64 (quoted-printable for `conv = "unix_name"`), integers
 * exact. `hex` is set inside a field marked hex: every integer below is printed as hex.
 */
export function messageToJson(schema: DescMessage, message: Message, options: RenderOptions, hex = false): JsonObject {
  const out: JsonObject = {};
  const record = message as unknown as Record<string, unknown>;
  for (const field of fieldsByNumber(schema)) {
    if (!isFieldSet(message, field)) continue;
    const value = renderField(field, record[field.localName], options, hex);
    if (value !== undefined) out[field.name] = value;
  }
  return out;
}

const sortedFields = new WeakMap<DescMessage, DescField[]>();

export function fieldsByNumber(schema: DescMessage): DescField[] {
  let fields = sortedFields.get(schema);
  if (!fields) sortedFields.set(schema, (fields = [...schema.fields].sort((a, b) => a.number - b.number)));
  return fields;
}

function renderField(field: DescField, value: unknown, options: RenderOptions, hex: boolean): JsonValue | undefined {
  const opts = criuOptions(field);
  const hexBelow = hex || (options.pretty && opts?.hex === true);
  switch (field.fieldKind) {
    case "message":
      return messageToJson(field.message, value as Message, options, hexBelow);
    case "enum":
      return enumName(field.enum.values, value as number);
    case "scalar":
      return renderScalar(field, field.scalar, value, options, hex);
    case "list": {
      const items = value as unknown[];
      if (field.listKind === "message") return items.map((m) => messageToJson(field.message, m as Message, options, hexBelow));
      if (field.listKind === "enum") return items.map((v) => enumName(field.enum.values, v as number));
      if (options.pretty && opts?.ipadd) return [ipString(items as number[])];
      return items.map((v) => renderScalar(field, field.scalar, v, options, hex) as JsonValue);
    }
    default:
      return undefined;
  }
}

function enumName(values: readonly { number: number; name: string }[], n: number): JsonValue {
  return values.find((v) => v.number === n)?.name ?? n;
}

function renderScalar(field: DescField, type: ScalarType, value: unknown, options: RenderOptions, hex: boolean): JsonValue {
  switch (type) {
    case ScalarType.BOOL:
      return value as boolean;
    case ScalarType.STRING:
      return value as string;
    case ScalarType.BYTES:
      return criuOptions(field)?.conv === "unix_name" ? toQuotedPrintable(value as Uint8Array) : toMimeBase64(value as Uint8Array);
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return value as number;
    default: {
      const n = value as number | bigint;
      return options.pretty ? renderPrettyInt(n, criuOptions(field), field.name, hex) : n;
    }
  }
}
