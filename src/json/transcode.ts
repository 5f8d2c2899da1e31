import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { CRIU_Opts } from "../gen/opts_pb";
import { criuOptions } from "../schema/options";
import { toMimeBase64 } from "./base64";
import { ipString, renderPrettyInt } from "./pretty";
import { toQuotedPrintable } from "./quopri";
import { quote, stringifyJson } from "./stringify";

/**
 * Message bytes straight to crit's JSON text, without building protobuf-es messages: the fast
 * path of decode → JSON. It handles what crit's JSON can show; for anything else (unknown
 * fields or enum values, strings that are not plain UTF-8, a singular message field seen twice,
 * malformed bytes) it returns `undefined` and the caller takes the object path, which has the
 * lossless forms and the exact errors.
 */
export function transcodeMessage(bytes: Uint8Array, schema: DescMessage, pretty: boolean, level: number, start = 0, end = bytes.length): string | undefined {
  return messageText(bytes, start, end, planFor(schema, pretty, false), level);
}

/** The same, with the plan looked up once: for the many entries of one image. */
export function messageTranscoder(schema: DescMessage, pretty: boolean): (bytes: Uint8Array, start: number, end: number, level: number) => string | undefined {
  const plan = planFor(schema, pretty, false);
  return (bytes, start, end, level) => messageText(bytes, start, end, plan, level);
}

type Kind = "varint" | "fixed32" | "fixed64" | "bytes" | "string" | "message";

const WIRE: Record<Kind, number> = { varint: 0, fixed64: 1, bytes: 2, string: 2, message: 2, fixed32: 5 };

interface FieldPlan {
  field: DescField;
  /** Position in the message plan's `ordered` list. */
  index: number;
  key: string;
  kind: Kind;
  scalar: ScalarType | undefined;
  repeated: boolean;
  /** The wire type a record of this field must have. */
  wire: number;
  enumNames: Map<number, string> | undefined;
  opts: CRIU_Opts | undefined;
  pretty: boolean;
  hex: boolean;
  /** Sub-message plan, made on first use (with hex passed down). */
  sub: (() => MessagePlan) | undefined;
  subPlan?: MessagePlan;
}

interface MessagePlan {
  /** Field plans by field number (sparse). */
  byNumber: (FieldPlan | undefined)[];
  ordered: FieldPlan[];
  pretty: boolean;
}

/** Plans by [pretty][hex]. */
const plans = [
  [new WeakMap<DescMessage, MessagePlan>(), new WeakMap<DescMessage, MessagePlan>()],
  [new WeakMap<DescMessage, MessagePlan>(), new WeakMap<DescMessage, MessagePlan>()],
];

function planFor(schema: DescMessage, pretty: boolean, hex: boolean): MessagePlan {
  const cache = plans[pretty ? 1 : 0]![hex ? 1 : 0]!;
  let plan = cache.get(schema);
  if (!plan) cache.set(schema, (plan = makePlan(schema, pretty, hex)));
  return plan;
}

function makePlan(schema: DescMessage, pretty: boolean, hex: boolean): MessagePlan {
  const ordered = [...schema.fields].sort((a, b) => a.number - b.number).map((field, index): FieldPlan => {
    const opts = criuOptions(field);
    const repeated = field.fieldKind === "list";
    const e = field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum") ? field.enum : undefined;
    const m = field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message") ? field.message : undefined;
    const scalar = field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar") ? field.scalar : undefined;
    const subHex = hex || (pretty && opts?.hex === true);
    return {
      field,
      index,
      key: `${quote(field.name)}: `,
      kind: m ? "message" : e ? "varint" : kindOf(scalar!),
      wire: WIRE[m ? "message" : e ? "varint" : kindOf(scalar!)],
      scalar,
      repeated,
      enumNames: e ? new Map(e.values.map((v) => [v.number, quote(v.name)])) : undefined,
      opts,
      pretty,
      hex,
      sub: m ? () => planFor(m, pretty, subHex) : undefined,
    };
  });
  const byNumber: (FieldPlan | undefined)[] = [];
  for (const p of ordered) byNumber[p.field.number] = p;
  return { byNumber, ordered, pretty };
}

function kindOf(t: ScalarType): Kind {
  switch (t) {
    case ScalarType.STRING:
      return "string";
    case ScalarType.BYTES:
      return "bytes";
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.FLOAT:
      return "fixed32";
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.DOUBLE:
      return "fixed64";
    default:
      return "varint";
  }
}



// Reader state for one varint: low and high 32 bits, and the position after it.
let lo = 0;
let hi = 0;
let at = 0;

/** Reads a varint at `pos`; false when it runs past `end` or is longer than 10 bytes. */
function varint(buf: Uint8Array, pos: number, end: number): boolean {
  let l = 0;
  let h = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (pos >= end) return false;
    const b = buf[pos++]!;
    if (shift < 28) l |= (b & 0x7f) << shift;
    else if (shift === 28) {
      l |= (b & 0x0f) << 28;
      h |= (b & 0x7f) >> 4;
    } else h |= (b & 0x7f) << (shift - 32);
    if (b < 0x80) {
      lo = l >>> 0;
      hi = h >>> 0;
      at = pos;
      return true;
    }
  }
  return false;
}

const INDENTS: string[] = [];
const indent = (level: number) => (INDENTS[level] ??= `\n${" ".repeat(4 * level)}`);

function messageText(buf: Uint8Array, start: number, end: number, plan: MessagePlan, level: number): string | undefined {
  const values: (string | string[] | undefined)[] = new Array(plan.ordered.length);
  let raw: (unknown[] | undefined)[] | undefined; // list items of ipadd fields
  let pos = start;
  while (pos < end) {
    if (!varint(buf, pos, end) || hi !== 0) return undefined;
    pos = at;
    const no = lo >>> 3;
    const wire = lo & 7;
    const p = plan.byNumber[no];
    if (p === undefined || p.wire !== wire) return undefined; // unknown field, or packed/mismatched
    const i = p.index;
    let text: string | undefined;
    let value: unknown;
    switch (p.kind) {
      case "varint": {
        if (!varint(buf, pos, end)) return undefined;
        pos = at;
        value = varintValue(p.scalar, lo, hi);
        if (p.enumNames) {
          text = p.enumNames.get(value as number);
          if (text === undefined) return undefined; // unknown enum value: lossless path
        } else text = scalarText(p, value as number | bigint | boolean, level);
        break;
      }
      case "fixed32":
      case "fixed64": {
        const n = p.kind === "fixed32" ? 4 : 8;
        if (pos + n > end) return undefined;
        value = fixedValue(p.scalar!, buf, pos);
        pos += n;
        text = scalarText(p, value as number | bigint, level);
        break;
      }
      default: {
        if (!varint(buf, pos, end) || hi !== 0 || at + lo > end) return undefined;
        const from = at;
        pos = at + lo;
        if (p.kind === "message") {
          if (!p.repeated && values[i] !== undefined) return undefined; // merged occurrences
          text = messageText(buf, from, pos, (p.subPlan ??= p.sub!()), level + (p.repeated ? 2 : 1));
        } else if (p.kind === "string") {
          const s = utf8(buf, from, pos);
          text = s === undefined ? undefined : quote(s);
        } else {
          const bytes = buf.subarray(from, pos);
          text = quote(p.opts?.conv === "unix_name" ? toQuotedPrintable(bytes) : toMimeBase64(bytes));
        }
        if (text === undefined) return undefined;
      }
    }
    if (p.repeated) {
      ((values[i] as string[] | undefined) ?? (values[i] = [])).push(text!);
      if (p.pretty && p.opts?.ipadd) ((raw ??= [])[i] ??= []).push(value);
    } else values[i] = text;
  }
  return objectText(plan, values, raw, level);
}

function objectText(plan: MessagePlan, values: (string | string[] | undefined)[], raw: (unknown[] | undefined)[] | undefined, level: number): string {
  const pretty = plan.pretty;
  const sep = pretty ? `,${indent(level + 1)}` : ", ";
  let out = "";
  let first = true;
  for (let i = 0; i < plan.ordered.length; i++) {
    const v = values[i];
    if (v === undefined) continue;
    const p = plan.ordered[i]!;
    let text: string;
    if (typeof v === "string") text = v;
    else if (raw?.[i] && (v.length === 1 || v.length === 4)) text = stringifyJson([ipString(raw[i] as number[])], pretty, level + 1);
    else text = pretty ? `[${indent(level + 2)}${v.join(`,${indent(level + 2)}`)}${indent(level + 1)}]` : `[${v.join(", ")}]`;
    out += (first ? "" : sep) + p.key + text;
    first = false;
  }
  if (first) return "{}";
  return pretty ? `{${indent(level + 1)}${out}${indent(level)}}` : `{${out}}`;
}

function varintValue(t: ScalarType | undefined, l: number, h: number): number | bigint | boolean {
  switch (t) {
    case ScalarType.BOOL:
      return l !== 0 || h !== 0;
    case ScalarType.UINT32:
      return l;
    case ScalarType.SINT32:
      return (l >>> 1) ^ -(l & 1);
    case ScalarType.UINT64:
      return h === 0 ? l : h < 0x200000 ? h * 0x100000000 + l : (BigInt(h) << 32n) | BigInt(l);
    case ScalarType.INT64: {
      if (h < 0x200000) return h * 0x100000000 + l;
      return BigInt.asIntN(64, (BigInt(h) << 32n) | BigInt(l));
    }
    case ScalarType.SINT64: {
      const u = (BigInt(h) << 32n) | BigInt(l);
      return (u >> 1n) ^ -(u & 1n);
    }
    default:
      return l | 0; // int32 and enums: the low 32 bits, signed
  }
}

function fixedValue(t: ScalarType, buf: Uint8Array, pos: number): number | bigint {
  const view = new DataView(buf.buffer, buf.byteOffset + pos, t === ScalarType.FIXED32 || t === ScalarType.SFIXED32 || t === ScalarType.FLOAT ? 4 : 8);
  switch (t) {
    case ScalarType.FIXED32:
      return view.getUint32(0, true);
    case ScalarType.SFIXED32:
      return view.getInt32(0, true);
    case ScalarType.FIXED64:
      return view.getBigUint64(0, true);
    case ScalarType.SFIXED64:
      return view.getBigInt64(0, true);
    case ScalarType.FLOAT:
      return view.getFloat32(0, true);
    default:
      return view.getFloat64(0, true);
  }
}

function scalarText(p: FieldPlan, v: number | bigint | boolean, level: number): string | undefined {
  if (typeof v === "boolean") return v ? "true" : "false";
  if (p.scalar === ScalarType.FLOAT || p.scalar === ScalarType.DOUBLE) return undefined; // CRIU has none
  if (!p.pretty) return String(v);
  const rendered = renderPrettyInt(v, p.opts, p.field.name, p.hex);
  return typeof rendered === "string" ? quote(rendered) : stringifyJson(rendered, true, level + 1);
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A string's text, or undefined when its bytes are not text protobuf-es would keep as is. */
function utf8(buf: Uint8Array, start: number, end: number): string | undefined {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return end - start < 64 ? String.fromCharCode(...buf.subarray(start, end)) : strict.decode(buf.subarray(start, end));
  if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) return undefined; // a BOM
  try {
    return strict.decode(buf.subarray(start, end));
  } catch {
    return undefined;
  }
}
