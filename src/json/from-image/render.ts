import { isFieldSet, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { criuOptions } from "../../schema/options";
import { toMimeBase64 } from "../base64";
import { isFaithfulString, isUnknownRecord, mayNeedLossless, trailingUnknown, wireRecords } from "../lossless";
import { fieldByNumber } from "../../schema/fields";
import { ipString, renderPrettyInt } from "./pretty";
import { toQuotedPrintable } from "../quopri";
import type { JsonObject, JsonValue } from "../value";
import { ScalarType } from "../../schema/scalar-type";

export interface RenderOptions {
  /** crit's `--pretty`: apply the (criu) options hex, dev, flags, dict and ipadd. */
  pretty: boolean;
}

/** The raw payloads of a message's length-delimited records, by field number (lossless path). */
type Payloads = Map<number, Uint8Array[]>;

/**
 * A message as crit's JSON object: proto field names in field-number order, set fields only,
 * enums by name, bytes as MIME base64 (quoted-printable for `conv = "unix_name"`), integers
 * exact. `hex` is set inside a field marked hex: every integer below is printed as hex.
 * `wire` is the message's original bytes, when known: what crit's JSON cannot hold (unknown
 * fields, strings that are not UTF-8) is then written in the forms of ./lossless.ts.
 */
export function messageToJson(schema: DescMessage, message: Message, options: RenderOptions, hex = false, wire?: Uint8Array): JsonObject {
  if (!mayNeedLossless(schema, message, wire)) return render(schema, message, options, hex, undefined);
  const payloads: Payloads = new Map();
  let unknown: [number, number, Uint8Array][];
  if (wire) {
    const records = wireRecords(wire);
    unknown = [];
    records.forEach((r, i) => {
      const field = fieldByNumber(schema, r.no);
      if (isUnknownRecord(field, r)) unknown.push([i, r.no, r.bytes]);
      else if (r.payload) payloads.set(r.no, [...(payloads.get(r.no) ?? []), r.payload]);
    });
  } else {
    unknown = trailingUnknown(schema, message);
  }
  const out = render(schema, message, options, hex, payloads);
  if (unknown.length > 0) out["@unknown"] = unknown.map(([i, no, bytes]) => [i, no, toMimeBase64(bytes)]);
  return out;
}

function render(schema: DescMessage, message: Message, options: RenderOptions, hex: boolean, payloads: Payloads | undefined): JsonObject {
  const out: JsonObject = {};
  const record = message as unknown as Record<string, unknown>;
  for (const field of fieldsByNumber(schema)) {
    if (!isFieldSet(message, field)) continue;
    const raw = payloads?.get(field.number);
    const value = renderField(field, record[field.localName], options, hex, raw);
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

/** `raw`: the field's payloads on the wire, in order, when rendering losslessly. */
function renderField(field: DescField, value: unknown, options: RenderOptions, hex: boolean, raw: Uint8Array[] | undefined): JsonValue | undefined {
  const opts = criuOptions(field);
  const hexBelow = hex || (options.pretty && opts?.hex === true);
  switch (field.fieldKind) {
    case "message":
      return messageToJson(field.message, value as Message, options, hexBelow, raw?.at(-1));
    case "enum":
      return enumName(field.enum.values, value as number);
    case "scalar":
      return renderScalar(field, field.scalar, value, options, hex, raw?.at(-1));
    case "list": {
      const items = value as unknown[];
      if (field.listKind === "message") return items.map((m, i) => messageToJson(field.message, m as Message, options, hexBelow, raw?.[i]));
      if (field.listKind === "enum") return items.map((v) => enumName(field.enum.values, v as number));
      // crit's ipadd form holds one IPv4 word or four IPv6 words; other lengths stay numbers.
      if (options.pretty && opts?.ipadd && (items.length === 1 || items.length === 4)) return [ipString(items as number[])];
      return items.map((v, i) => renderScalar(field, field.scalar, v, options, hex, raw?.[i]));
    }
    default:
      return undefined;
  }
}

function enumName(values: readonly { number: number; name: string }[], n: number): JsonValue {
  return values.find((v) => v.number === n)?.name ?? n;
}

function renderScalar(field: DescField, type: ScalarType, value: unknown, options: RenderOptions, hex: boolean, raw: Uint8Array | undefined): JsonValue {
  switch (type) {
    case ScalarType.BOOL:
      return value as boolean;
    case ScalarType.STRING:
      if (raw && !isFaithfulString(raw)) return { "@bytes": toMimeBase64(raw) };
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
