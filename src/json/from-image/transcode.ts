import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { CRIU_Opts } from "../../gen/opts_pb";
import { RECURSION_LIMIT } from "../../image/decode-plan";
import { readVarint, varint as v } from "../../image/varint";
import { criuOptions } from "../../schema/options";
import { renderPrettyInt } from "./pretty";
import { concatBytes } from "../../image/bytes";
import { asciiBytes, writeBase64String, writeQuotedPrintableString, writeUtf8String, type JsonSink } from "./sink";
import { putText, textOf, type Text } from "./text-run";
import { quote, stringifyJson } from "./stringify";
import { fieldEnum, fieldMessage, fieldScalar } from "../../schema/fields";
import { isRequired } from "../../image/wire-check";
import { compileWriter, type MessageWrite, type TranscodeTools } from "./compile-transcode";
import { ScalarType } from "../../schema/scalar-type";

/**
 * Message bytes straight to crit's JSON text, written as ASCII bytes into a JsonSink, without
 * building protobuf-es messages or a string per value: the fast path of decode → JSON. It
 * handles what crit's JSON shows as crit does; for anything else (unknown fields or enum values,
 * strings that are not plain UTF-8, fields out of order or a singular field twice, ipadd lists
 * in pretty mode, malformed bytes) it writes nothing and returns false, and the caller takes
 * the object path, which has the lossless forms and the exact errors.
 */
export function messageWriter(schema: DescMessage, pretty: boolean): (sink: JsonSink, bytes: Uint8Array, start: number, end: number, level: number) => boolean {
  const plan = planFor(schema, pretty, false);
  return (sink, bytes, start, end, level) => {
    const mark = sink.pos;
    if (writerFor(plan)(sink, bytes, start, end, level)) return true;
    sink.rewind(mark);
    return false;
  };
}

type Write = (sink: JsonSink, buf: Uint8Array, start: number, end: number, level: number) => boolean;

/** Compiled writers are used unless a test turns them off to check the interpreter alone. */
let compiling = true;

/** For tests: use the compiled writers (true) or the interpreter only (false). */
export function useCompiledWriters(on: boolean): void {
  compiling = on;
}

/** The plan's writer: compiled on first use, else (or when turned off) the interpreter. */
function writerFor(plan: MessagePlan): Write {
  if (compiling && plan.compiled === undefined) plan.compiled = (compileWriter(plan.ordered, plan.pretty, TOOLS) as Write | undefined) ?? null;
  return (compiling && plan.compiled) || (plan.interpreted ??= (sink, buf, start, end, level) => writeMessage(sink, buf, start, end, plan, level));
}

type Kind = "varint" | "fixed32" | "fixed64" | "bytes" | "string" | "message";

const WIRE: Record<Kind, number> = { varint: 0, fixed64: 1, bytes: 2, string: 2, message: 2, fixed32: 5 };

interface FieldPlan {
  field: DescField;
  /** Position in the message plan's `ordered` list. */
  index: number;
  key: Uint8Array;
  kind: Kind;
  scalar: ScalarType | undefined;
  repeated: boolean;
  /** proto2 `required`: without it the message is the object path's (which refuses it). */
  required: boolean;
  /** The wire type a record of this field must have. */
  wire: number;
  enumNames: Map<number, Uint8Array> | undefined;
  opts: CRIU_Opts | undefined;
  pretty: boolean;
  hex: boolean;
  /** Pretty JSON, and the field's integers have a form other than the number (hex, dev, flags, dict). */
  prettyInt: boolean;
  /** Sub-message plan, made on first use (with hex passed down). */
  sub: (() => MessagePlan) | undefined;
  subPlan?: MessagePlan;
  /** keyText's bytes, by nesting level and whether a field came before (the compiled writers read it too). */
  keyTexts: Text[];
  /** Pretty text already written for a value of this field (flags, dict labels, devices). */
  rendered?: Map<number, Text>;
}

interface MessagePlan {
  /** Field plans by field number (sparse). */
  byNumber: (FieldPlan | undefined)[];
  ordered: FieldPlan[];
  pretty: boolean;
  requiredCount: number;
  /** Its compiled writer (null: compiling failed), and the interpreter bound to it. */
  compiled?: Write | null;
  interpreted?: Write;
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
    const e = fieldEnum(field);
    const m = fieldMessage(field);
    const scalar = fieldScalar(field);
    const subHex = hex || (pretty && opts?.hex === true);
    return {
      field,
      index,
      key: asciiBytes(`${quote(field.name)}: `),
      kind: m ? "message" : e ? "varint" : kindOf(scalar!),
      wire: WIRE[m ? "message" : e ? "varint" : kindOf(scalar!)],
      scalar,
      repeated,
      required: isRequired(field),
      enumNames: e ? new Map(e.values.map((v) => [v.number, asciiBytes(quote(v.name))])) : undefined,
      opts,
      pretty,
      hex,
      prettyInt: pretty && (hex || opts?.hex === true || !!opts?.dev || !!opts?.flags || !!opts?.dict),
      sub: m ? () => planFor(m, pretty, subHex) : undefined,
      keyTexts: [],
    };
  });
  const byNumber: (FieldPlan | undefined)[] = [];
  for (const p of ordered) byNumber[p.field.number] = p;
  return { byNumber, ordered, pretty, requiredCount: ordered.filter((p) => p.required).length };
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



/** Messages open around the one being written (shared with the compiled writers). */
const nesting = { depth: 0 };

/** A varint, read into `v` (the transcoder takes any form protobuf-es reads the same way). */
const varint = readVarint;

const COMMA = asciiBytes(", ");
const TRUE = asciiBytes("true");
const FALSE = asciiBytes("false");

function writeMessage(sink: JsonSink, buf: Uint8Array, start: number, end: number, plan: MessagePlan, level: number): boolean {
  const pretty = plan.pretty;
  const open = sink.pos;
  sink.byte(0x7b); // {
  let last = -1;
  let required = 0;
  let listOpen = false;
  let pos = start;
  while (pos < end) {
    let tag = buf[pos]!;
    if (tag < 0x80) pos++;
    else {
      if (!varint(buf, pos, end) || v.hi !== 0) return false;
      pos = v.at;
      tag = v.lo;
    }
    const no = tag >>> 3;
    const p = plan.byNumber[no];
    if (p === undefined || p.wire !== (tag & 7)) return false; // unknown field, or packed/mismatched
    if (p.index < last || (p.index === last && !p.repeated)) return false;
    if (p.repeated && pretty && p.opts?.ipadd) return false;
    if (p.index !== last) {
      if (listOpen) closeList(sink, pretty, level);
      putText(sink, keyText(p, level, last >= 0));
      listOpen = p.repeated;
      if (listOpen) {
        sink.byte(0x5b); // [
        if (pretty) sink.newline(level + 2);
      }
      last = p.index;
      if (p.required) required++;
    } else if (pretty) {
      sink.byte(0x2c);
      sink.newline(level + 2);
    } else sink.bytes(COMMA);
    const next = writeValue(sink, buf, pos, end, p, p.repeated ? level + 2 : level + 1);
    if (next < 0) return false;
    pos = next;
  }
  if (listOpen) closeList(sink, pretty, level);
  if (required !== plan.requiredCount) return false; // singular fields come once: all are there when the count is full
  if (last < 0) {
    sink.rewind(open);
    sink.ascii("{}");
  } else {
    if (pretty) sink.newline(level);
    sink.byte(0x7d); // }
  }
  return true;
}

/** The separator, the line break and indent (pretty) and the key, as one run of bytes. */
function keyText(p: FieldPlan, level: number, after: boolean): Text {
  const slot = (level << 1) | (after ? 1 : 0);
  const texts = p.keyTexts;
  let text = texts[slot];
  if (text === undefined) {
    const separator = after ? (p.pretty ? "," : ", ") : "";
    const indentation = p.pretty ? `\n${" ".repeat(4 * (level + 1))}` : "";
    texts[slot] = text = textOf(concatBytes([asciiBytes(separator + indentation), p.key]));
  }
  return text;
}

function closeList(sink: JsonSink, pretty: boolean, level: number): void {
  if (pretty) sink.newline(level + 1);
  sink.byte(0x5d); // ]
}

/** Writes one value at `pos`; returns the position after it, or -1 to give up. */
function writeValue(sink: JsonSink, buf: Uint8Array, pos: number, end: number, p: FieldPlan, level: number): number {
  switch (p.kind) {
    case "varint": {
      // One byte: most values in CRIU's messages (ids, flags, small counts, enums).
      if (pos < end && buf[pos]! < 0x80) {
        v.lo = buf[pos]!;
        v.hi = 0;
        v.at = pos + 1;
      } else if (!varint(buf, pos, end)) return -1;
      const value = varintValue(p.scalar, v.lo, v.hi);
      if (p.enumNames) {
        const name = p.enumNames.get(value as number);
        if (name === undefined) return -1; // unknown enum value: lossless path
        sink.bytes(name);
      } else if (!writeScalar(sink, p, value, level)) return -1;
      return v.at;
    }
    case "fixed32":
    case "fixed64": {
      const n = p.kind === "fixed32" ? 4 : 8;
      if (pos + n > end || !writeScalar(sink, p, fixedValue(p.scalar!, buf, pos), level)) return -1;
      return pos + n;
    }
    default: {
      if (!varint(buf, pos, end) || v.hi !== 0 || v.at + v.lo > end) return -1;
      const from = v.at;
      const to = v.at + v.lo;
      if (p.kind === "message") {
        // Past fromBinary's limit on nested messages, the object path (and its error) decides.
        const ok = ++nesting.depth < RECURSION_LIMIT && writerFor((p.subPlan ??= p.sub!()))(sink, buf, from, to, level);
        nesting.depth--;
        if (!ok) return -1;
      } else if (p.kind === "string") {
        if (!writeUtf8String(sink, buf, from, to)) return -1;
      } else if (p.opts?.conv === "unix_name") {
        writeQuotedPrintableString(sink, buf, from, to);
      } else writeBase64String(sink, buf, from, to);
      return to;
    }
  }
}

function writeScalar(sink: JsonSink, p: FieldPlan, v: number | bigint | boolean, level: number): boolean {
  if (typeof v === "boolean") sink.bytes(v ? TRUE : FALSE);
  else if (p.scalar === ScalarType.FLOAT || p.scalar === ScalarType.DOUBLE) return false; // CRIU has none
  else if (!p.prettyInt) sink.int(v); // crit's pretty form of a plain integer is the number
  else if ((p.hex || p.opts?.hex) && typeof v === "number" && v >= 0) sink.hexString(v);
  else if (typeof v === "number") {
    // Flag sets, dict labels and device numbers: the same few values recur, so each field
    // keeps the text it wrote for them.
    const cache = (p.rendered ??= new Map());
    let text = cache.get(v);
    if (text === undefined) {
      const mark = sink.pos;
      if (writeRendered(sink, p, v, level) && cache.size < 4096) cache.set(v, textOf(sink.buf.slice(mark, sink.pos)));
      return true;
    }
    putText(sink, text);
  } else writeRendered(sink, p, v, level);
  return true;
}

/** Writes crit's pretty form of an integer; false when the text depends on the nesting level. */
function writeRendered(sink: JsonSink, p: FieldPlan, v: number | bigint, level: number): boolean {
  const rendered = renderPrettyInt(v, p.opts, p.field.name, p.hex);
  if (typeof rendered === "string") sink.ascii(quote(rendered));
  else if (typeof rendered === "number" || typeof rendered === "bigint") sink.int(rendered);
  else {
    sink.ascii(stringifyJson(rendered, true, level));
    return false;
  }
  return true;
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
      if (h < 0x200000) {
        // Below 2^53 (fd -1 in every VMA, say): exact as a number, ZigZag undone by halving.
        const u = h * 0x100000000 + l;
        return l & 1 ? -(u + 1) / 2 : u / 2;
      }
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

/** A message field's writer, for the compiled code (which keeps it per field). */
const subWriter = (p: FieldPlan): MessageWrite => writerFor((p.subPlan ??= p.sub!())) as MessageWrite;

/** What the compiled writers share with the interpreter. */
const TOOLS: TranscodeTools = {
  varint,
  v,
  putText,
  keyText,
  closeList,
  writeValue,
  writeScalar,
  varintValue,
  writeUtf8String,
  subWriter,
  nesting,
  COMMA,
  TRUE,
  FALSE,
};
