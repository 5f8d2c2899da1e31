// The floor: a walk over the wire format that reads every tag, varint and length, and steps
// into sub-messages (known from the descriptors), but builds nothing. No decoder that returns
// objects can be faster than this.

import type { DescMessage } from "@bufbuild/protobuf";

/** For each field number, the table of its sub-message, or undefined for anything else. */
type Table = (Table | undefined)[];

const tables = new Map<DescMessage, Table>();

export function scanTable(schema: DescMessage): Table {
  let table = tables.get(schema);
  if (table) return table;
  table = [];
  tables.set(schema, table); // before the fields: recursive messages
  for (const field of schema.fields) {
    if (field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")) {
      table[field.number] = scanTable(field.message);
    }
  }
  return table;
}

/**
 * Walks the message in bytes[pos, end); returns a checksum of every value read, so that the
 * work cannot be optimised away.
 */
export function scanMessage(bytes: Uint8Array, pos: number, end: number, table: Table): number {
  let sum = 0;
  while (pos < end) {
    let b = bytes[pos++]!;
    let tag = b & 0x7f;
    if (b & 0x80) {
      b = bytes[pos++]!;
      tag |= (b & 0x7f) << 7;
      while (b & 0x80) b = bytes[pos++]!; // field numbers above 2^11 do not occur in CRIU
    }
    switch (tag & 7) {
      case 0: {
        let value = 0;
        let shift = 0;
        do {
          b = bytes[pos++]!;
          if (shift < 32) value |= (b & 0x7f) << shift;
          shift += 7;
        } while (b & 0x80);
        sum = (sum + value) | 0;
        break;
      }
      case 1:
        sum = (sum + bytes[pos]!) | 0;
        pos += 8;
        break;
      case 5:
        sum = (sum + bytes[pos]!) | 0;
        pos += 4;
        break;
      case 2: {
        let len = 0;
        let shift = 0;
        do {
          b = bytes[pos++]!;
          len |= (b & 0x7f) << shift;
          shift += 7;
        } while (b & 0x80);
        const sub = table[tag >>> 3];
        if (sub) sum = (sum + scanMessage(bytes, pos, pos + len, sub)) | 0;
        else sum = (sum + len) | 0;
        pos += len;
        break;
      }
      default:
        throw new Error(`wire type ${tag & 7} at ${pos}`);
    }
  }
  return sum;
}
