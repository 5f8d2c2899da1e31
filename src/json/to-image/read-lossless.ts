import { clone, isFieldSet, toBinary, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { isRequired } from "../../image/wire-check";
import { concatBytes } from "../../image/bytes";
import { decodeMessage } from "../../image/message";
import { fromMimeBase64 } from "../base64";
import { isUnknownRecord, lengthDelimited, wireRecords } from "../lossless";
import { fieldByNumber } from "../../schema/fields";
import { ValueError } from "./read-scalar";
import type { JsonValue } from "../value";
import { fieldMessage } from "../../schema/fields";

// The reading half of ./lossless.ts: messages read from JSON that carried "@unknown" records or
// {"@bytes": ...} strings get their exact bytes rebuilt, and are then decoded from those bytes,
// so that they encode to them again.

interface Extras {
  /** [index among the records, record bytes, field number] */
  unknown: [number, Uint8Array, number][];
  /** Raw string bytes by field number: one for a singular field, per index for a list. */
  raw: Map<number, Uint8Array | (Uint8Array | undefined)[]>;
}

const extras = new WeakMap<Message, Extras>();

function extrasOf(message: Message): Extras {
  let x = extras.get(message);
  if (!x) extras.set(message, (x = { unknown: [], raw: new Map() }));
  return x;
}

/**
 * Reads `"@unknown": [[index, field, "base64 record"], ...]` into the message's extras. A record
 * may only hold what toCritJson puts there: a field the schema does not know, or an unknown
 * value of a closed enum; a record for a known field would overrule the value the JSON shows.
 */
export function readUnknown(schema: DescMessage, message: Message, v: JsonValue): void {
  if (!Array.isArray(v)) throw new ValueError("a list of [index, field number, base64 record]");
  for (const item of v) {
    const [index, no, text] = Array.isArray(item) ? item : [];
    const bytes = typeof text === "string" ? fromMimeBase64(text) : undefined;
    if (typeof index !== "number" || typeof no !== "number" || !bytes) throw new ValueError("[index, field number, base64 record]");
    let records: ReturnType<typeof wireRecords>;
    try {
      records = wireRecords(bytes);
    } catch {
      records = [];
    }
    if (records.length !== 1 || records[0]!.no !== no) throw new ValueError(`one wire record of field ${no}`);
    const field = fieldByNumber(schema, no);
    if (!isUnknownRecord(field, records[0]!)) {
      throw new ValueError(`a record of a field that ${schema.typeName} does not know (or an unknown value of an enum field), not of its field ${field!.name} (${no})`);
    }
    extrasOf(message).unknown.push([index, bytes, no]);
  }
}

/** Reads a string field's `{"@bytes": base64}` form: the text for now, the bytes kept. */
export function readRawString(message: Message, field: DescField, v: JsonValue, index?: number): string {
  const text = typeof v === "object" && v !== null && !Array.isArray(v) ? v["@bytes"] : undefined;
  const bytes = typeof text === "string" && Object.keys(v as object).length === 1 ? fromMimeBase64(text) : undefined;
  if (!bytes) throw new ValueError('a string, or {"@bytes": base64}');
  const raw = extrasOf(message).raw;
  if (index === undefined) raw.set(field.number, bytes);
  else {
    const list = (raw.get(field.number) as (Uint8Array | undefined)[] | undefined) ?? [];
    list[index] = bytes;
    raw.set(field.number, list);
  }
  return new TextDecoder().decode(bytes);
}

/** The message to use for an entry: itself, or, if it carried lossless forms, its exact bytes decoded. */
export function finishMessage<M extends Message>(schema: DescMessage, message: M): M {
  if (!hasExtras(schema, message)) return message;
  return decodeMessage(schema, exactBytes(schema, message)) as unknown as M;
}

function subMessages(schema: DescMessage, message: Message): [DescField & { message: DescMessage }, Message, number][] {
  const record = message as unknown as Record<string, unknown>;
  const out: [DescField & { message: DescMessage }, Message, number][] = [];
  for (const field of schema.fields) {
    if (!fieldMessage(field)) continue;
    const value = record[field.localName];
    const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
    items.forEach((m, i) => out.push([field as DescField & { message: DescMessage }, m as Message, i]));
  }
  return out;
}

function hasExtras(schema: DescMessage, message: Message): boolean {
  return extras.has(message) || subMessages(schema, message).some(([f, m]) => hasExtras(f.message, m));
}

/**
 * A required enum field whose value is unknown exists only as an "@unknown" record: protobuf-es
 * would refuse to write the message (or one holding it) without it, so a copy gets stand-in
 * values at every depth. The stand-ins' records are then replaced: at this level by the real
 * record, below it by the sub-message's exact bytes.
 */
function placeholders(schema: DescMessage, message: Message, x: Extras | undefined): [Message, Set<number>] {
  if (!needsStandIns(schema, message)) return [message, new Set()];
  const copy = clone(schema, message);
  fillStandIns(schema, copy, message);
  return [copy, new Set(missingEnums(schema, message, x).map((f) => f.number))];
}

function missingEnums(schema: DescMessage, message: Message, x = extras.get(message)): DescField[] {
  return schema.fields.filter((f) => f.fieldKind === "enum" && isRequired(f) && !isFieldSet(message, f) && x?.unknown.some(([, , no]) => no === f.number));
}

function needsStandIns(schema: DescMessage, message: Message): boolean {
  return missingEnums(schema, message).length > 0 || subMessages(schema, message).some(([f, m]) => needsStandIns(f.message, m));
}

/** `copy` is a clone of `original` (whose extras the WeakMap holds). */
function fillStandIns(schema: DescMessage, copy: Message, original: Message): void {
  const record = copy as unknown as Record<string, unknown>;
  for (const f of missingEnums(schema, original)) record[f.localName] = f.fieldKind === "enum" ? f.enum.values[0]!.number : 0;
  const copies = subMessages(schema, copy);
  subMessages(schema, original).forEach(([f, m], i) => fillStandIns(f.message, copies[i]![1], m));
}

function exactBytes(schema: DescMessage, message: Message): Uint8Array {
  const x = extras.get(message);
  const seen = new Map<number, number>();
  const subs = subMessages(schema, message);
  const [written, standIns] = placeholders(schema, message, x);
  const parts = wireRecords(toBinary(schema, written)).filter((r) => !standIns.has(r.no)).map((r) => {
    const k = seen.get(r.no) ?? 0;
    seen.set(r.no, k + 1);
    const raw = x?.raw.get(r.no);
    const rawBytes = Array.isArray(raw) ? raw[k] : raw;
    if (rawBytes) return lengthDelimited(r.no, rawBytes);
    const field = fieldByNumber(schema, r.no);
    const sub = subs.find(([f, , i]) => f === field && (f.fieldKind === "message" || i === k));
    if (sub && hasExtras(sub[0].message, sub[1])) return lengthDelimited(r.no, exactBytes(sub[0].message, sub[1]));
    return r.bytes;
  });
  for (const [index, bytes] of [...(x?.unknown ?? [])].sort((a, b) => a[0] - b[0])) {
    parts.splice(Math.min(index, parts.length), 0, bytes);
  }
  return concatBytes(parts);
}
