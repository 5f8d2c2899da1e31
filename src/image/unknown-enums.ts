import type { DescMessage, Message, UnknownField } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { fieldByNumber, fieldEnum, fieldMessage } from "../schema/fields";
import { WireType } from "../schema/scalar-type";

/**
 * protobuf-es keeps an unknown value of a closed enum among the message's unknown fields, but
 * drops it when the same message also has another unknown field. This puts every unknown field
 * back, in wire order, by scanning the message's bytes again. It runs only for messages that
 * have unknown fields at all, so ordinary CRIU data never pays for it.
 */
export function restoreUnknownEnumValues(schema: DescMessage, message: Message, bytes: Uint8Array): void {
  if (!hasEnumFields(schema) || !hasUnknownFields(schema, message)) return;
  rescan(schema, message, bytes);
}

const enumFieldCache = new WeakMap<DescMessage, boolean>();

/** Whether the message or any message type it contains has an enum field. */
function hasEnumFields(schema: DescMessage, seen = new Set<DescMessage>()): boolean {
  const cached = enumFieldCache.get(schema);
  if (cached !== undefined) return cached;
  if (seen.has(schema)) return false;
  seen.add(schema);
  const result = schema.fields.some((f) => fieldEnum(f) !== undefined || (fieldMessage(f) !== undefined && hasEnumFields(fieldMessage(f)!, seen)));
  enumFieldCache.set(schema, result);
  return result;
}

function hasUnknownFields(schema: DescMessage, message: Message): boolean {
  if (message.$unknown?.length) return true;
  for (const field of schema.fields) {
    const sub = fieldMessage(field);
    if (!sub) continue;
    const value = (message as unknown as Record<string, unknown>)[field.localName];
    const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (items.some((item) => hasUnknownFields(sub, item as Message))) return true;
  }
  return false;
}

/** Rebuilds `$unknown` of `message` and of its sub-messages from their wire bytes. */
function rescan(schema: DescMessage, message: Message, bytes: Uint8Array): void {
  const reader = new BinaryReader(bytes);
  const unknown: UnknownField[] = [];
  const listIndex = new Map<number, number>();
  const record = message as unknown as Record<string, unknown>;
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    const field = fieldByNumber(schema, no);
    const data = reader.skip(wireType, no);
    if (!field) {
      unknown.push({ no, wireType, data });
      continue;
    }
    const enumDesc = fieldEnum(field);
    if (enumDesc && wireType === WireType.Varint) {
      const value = new BinaryReader(data).int32();
      if (!enumDesc.values.some((v) => v.number === value)) unknown.push({ no, wireType, data });
      continue;
    }
    const sub = fieldMessage(field);
    if (sub && wireType === WireType.LengthDelimited) {
      const payload = new BinaryReader(data).bytes();
      const value = record[field.localName];
      let target = value;
      if (Array.isArray(value)) {
        const i = listIndex.get(no) ?? 0;
        listIndex.set(no, i + 1);
        target = value[i];
      }
      if (target) rescan(sub, target as Message, payload);
    }
  }
  message.$unknown = unknown.length > 0 ? unknown : undefined;
}
