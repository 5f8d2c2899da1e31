import type { Message } from "@bufbuild/protobuf";
import { K, RECURSION_LIMIT, fixedValue, stringValue, varintValue, type FastDecoder, type MessagePlan } from "./decode-plan";
import { readVarint, varint as v } from "./varint";

/** The interpreter: reads the plan field by field (used where code cannot be compiled). */
export function interpreted(plan: MessagePlan): FastDecoder {
  return (bytes, start, end, depth) => decode(bytes, start, end, plan, depth ?? 0);
}

/** A varint in its shortest form (what an encoder writes), read into `v`. */
function varint(buf: Uint8Array, pos: number, end: number): boolean {
  return readVarint(buf, pos, end) && !v.padded;
}

function decode(buf: Uint8Array, start: number, end: number, plan: MessagePlan, depth: number): Message | undefined {
  if (depth >= RECURSION_LIMIT) return undefined;
  const msg = Object.create(plan.prototype) as Record<string, unknown>;
  msg.$typeName = plan.typeName;
  for (const name of plan.lists) msg[name] = [];
  let last = 0;
  let required = 0;
  let pos = start;
  while (pos < end) {
    if (!varint(buf, pos, end) || v.hi !== 0) return undefined;
    pos = v.at;
    const no = v.lo >>> 3;
    const p = plan.byNumber[no];
    if (p === undefined || p.wire !== (v.lo & 7)) return undefined;
    // protobuf-es writes fields in number order, each singular field once.
    if (no < last || (no === last && !p.repeated)) return undefined;
    last = no;
    if (p.required) required++;
    let value: unknown;
    if (p.wire === 0) {
      if (!varint(buf, pos, end)) return undefined;
      pos = v.at;
      value = varintValue(p, v.lo, v.hi, v.len);
      if (value === undefined) return undefined;
    } else if (p.wire === 2) {
      if (!varint(buf, pos, end) || v.hi !== 0 || v.at + v.lo > end) return undefined;
      const from = v.at;
      pos = v.at + v.lo;
      if (p.kind === K.Message) {
        value = decode(buf, from, pos, (p.subPlan ??= p.sub!()), depth + 1);
        if (value === undefined) return undefined;
      } else if (p.kind === K.String) {
        value = stringValue(buf, from, pos);
        if (value === undefined) return undefined;
      } else value = buf.subarray(from, pos);
    } else {
      const n = p.wire === 5 ? 4 : 8;
      if (pos + n > end) return undefined;
      value = fixedValue(p.kind, buf, pos);
      pos += n;
    }
    if (p.repeated) (msg[p.name] as unknown[]).push(value);
    else msg[p.name] = value;
  }
  // Each singular field is read at most once (above): all are there when the count is full.
  if (required !== plan.requiredCount) return undefined;
  return msg as unknown as Message;
}
