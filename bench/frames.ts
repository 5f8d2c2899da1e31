// The messages of an image as byte ranges, found once before timing, so that protobufjs,
// protobuf-es and the wire scan decode exactly the messages our decoder decodes.

import { IMG_COMMON, IMG_SERVICE, imageRowByValue } from "../src/image/magic-table";

export interface Frames {
  /** Message type names; `kinds[i]` indexes this list. */
  types: string[];
  kinds: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  count: number;
}

/** Frames of an entry, pagemap or pipes-data image; undefined for other payload kinds. */
export function frameImage(bytes: Uint8Array): Frames | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let magic = view.getUint32(0, true);
  if (magic === IMG_COMMON || magic === IMG_SERVICE) {
    magic = view.getUint32(4, true);
    pos = 8;
  } else pos = 4;
  const row = imageRowByValue(magic);
  if (!row?.message || !row.payload) return undefined;
  const payload = row.payload;
  if (payload !== "entry" && payload !== "pagemap" && payload !== "pipes-data") return undefined;
  const types = payload === "pagemap" ? ["pagemap_head", "pagemap_entry"] : [row.message];
  const kinds: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  while (pos < bytes.length) {
    const size = view.getUint32(pos, true);
    const start = pos + 4;
    const end = start + size;
    if (end > bytes.length) throw new Error(`truncated message at ${pos}`);
    kinds.push(payload === "pagemap" && starts.length > 0 ? 1 : 0);
    starts.push(start);
    ends.push(end);
    pos = end;
    if (payload === "pipes-data") pos += varintField(bytes, start, end, 2); // pipe_data_entry.bytes
  }
  return {
    types,
    kinds: Uint8Array.from(kinds),
    starts: Uint32Array.from(starts),
    ends: Uint32Array.from(ends),
    count: starts.length,
  };
}

/** The value of varint field `no` at the top level of a message (0 when absent). */
function varintField(bytes: Uint8Array, pos: number, end: number, no: number): number {
  let found = 0;
  while (pos < end) {
    const [tag, next] = varint(bytes, pos);
    pos = next;
    const wire = tag & 7;
    if (wire === 0) {
      const [value, after] = varint(bytes, pos);
      if (tag >>> 3 === no) found = value;
      pos = after;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, after] = varint(bytes, pos);
      pos = after + len;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return found;
}

function varint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    if (shift < 28) value |= (b & 0x7f) << shift;
    else value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, pos];
    shift += 7;
  }
}
