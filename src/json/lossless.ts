import { toBinary, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { fieldEnum, fieldMessage } from "../schema/fields";
import { WireType } from "../schema/scalar-type";

/**
 * What crit's JSON cannot hold, and the form we give it so that it round-trips:
 * - unknown fields, and unknown values of closed enums: `"@unknown": [[index, field, record]]`
 *   after the message's fields, where `record` is the base64 of the field's bytes on the wire
 *   (tag and value) and `index` its position among the message's records;
 * - a string field whose bytes are not UTF-8 text (or that protobuf-es would change, such as a
 *   leading byte-order mark): `{"@bytes": base64}` in place of the string.
 * Messages that need neither look exactly as crit prints them.
 */

export interface WireRecord {
  no: number;
  wireType: WireType;
  /** The record's bytes: tag and value. */
  bytes: Uint8Array;
  /** For length-delimited records, the value without its length. */
  payload?: Uint8Array;
}

/** Splits a message's bytes into its records, in wire order. */
export function wireRecords(bytes: Uint8Array): WireRecord[] {
  const reader = new BinaryReader(bytes);
  const out: WireRecord[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [no, wireType] = reader.tag();
    const valueStart = reader.pos;
    reader.skip(wireType, no);
    const record: WireRecord = { no, wireType, bytes: bytes.subarray(start, reader.pos) };
    if (wireType === WireType.LengthDelimited) record.payload = new BinaryReader(bytes.subarray(valueStart, reader.pos)).bytes();
    out.push(record);
  }
  return out;
}

/** Whether a record is one protobuf-es keeps among the unknown fields. */
export function isUnknownRecord(field: DescField | undefined, record: WireRecord): boolean {
  if (!field) return true;
  const e = fieldEnum(field);
  if (!e || record.wireType !== WireType.Varint) return false;
  const value = readVarintValue(record.bytes);
  return !e.values.some((v) => v.number === value);
}

function readVarintValue(recordBytes: Uint8Array): number {
  const r = new BinaryReader(recordBytes);
  r.tag();
  return r.int32();
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Whether protobuf-es reads these bytes back as a string that writes the same bytes. */
export function isFaithfulString(raw: Uint8Array): boolean {
  if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return false; // a BOM is dropped
  try {
    strictUtf8.decode(raw);
    return true;
  } catch {
    return false;
  }
}

/** Cheap test for whether a message (or one inside it) may need the lossless forms. */
export function mayNeedLossless(schema: DescMessage, message: Message, wire: Uint8Array | undefined): boolean {
  if (wire && hasBom(wire)) return true;
  return hasUnknownOrReplaced(schema, message);
}

function hasBom(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) return true;
  }
  return false;
}

function hasUnknownOrReplaced(schema: DescMessage, message: Message): boolean {
  if (message.$unknown?.length) return true;
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    const value = record[field.localName];
    if (value === undefined) continue;
    if (field.fieldKind === "scalar" && typeof value === "string" && value.includes("\uFFFD")) return true;
    if (field.fieldKind === "list" && field.listKind === "scalar" && (value as unknown[]).some((v) => typeof v === "string" && v.includes("\uFFFD"))) return true;
    const sub = fieldMessage(field);
    if (!sub) continue;
    const items = Array.isArray(value) ? value : [value];
    if (items.some((m) => hasUnknownOrReplaced(sub, m as Message))) return true;
  }
  return false;
}

/** Unknown fields of a message built in code (no original bytes): they go after the known ones. */
export function trailingUnknown(schema: DescMessage, message: Message): [number, number, Uint8Array][] {
  const unknown = message.$unknown ?? [];
  if (unknown.length === 0) return [];
  const known = wireRecords(toBinary(schema, message, { writeUnknownFields: false })).length;
  return unknown.map((u, i) => {
    const w = new BinaryWriter();
    w.tag(u.no, u.wireType).raw(u.data);
    return [known + i, u.no, w.finish()];
  });
}

/** A length-delimited record of field `no` holding `payload`. */
export function lengthDelimited(no: number, payload: Uint8Array): Uint8Array {
  return new BinaryWriter().tag(no, WireType.LengthDelimited).bytes(payload).finish();
}
