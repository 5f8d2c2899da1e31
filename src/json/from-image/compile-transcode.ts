import { ScalarType } from "@bufbuild/protobuf";
import { compileFunction } from "../../runtime/compile-function";

/**
 * The wire → JSON writer of transcode.ts compiled to JavaScript for one message type and mode: a
 * switch on the tag with each field's ordering rule, key and (for varints) value written out.
 * It writes exactly what the interpreter writes and gives up exactly where it gives up (the
 * tests run both on the same bytes). Strings, bytes, fixed-width values and sub-messages are
 * handed to the interpreter's value writer, which comes back here for sub-messages. Where code
 * cannot be compiled (a Content-Security-Policy without 'unsafe-eval'), the interpreter runs.
 */

export type MessageWrite = (sink: unknown, buf: Uint8Array, start: number, end: number, level: number) => boolean;

/** What the compiled code needs of a field plan. */
export interface CompilableField {
  index: number;
  kind: string;
  scalar: ScalarType | undefined;
  repeated: boolean;
  required: boolean;
  wire: number;
  enumNames: Map<number, Uint8Array> | undefined;
  pretty: boolean;
  prettyInt: boolean;
  field: { number: number };
  opts?: { ipadd?: boolean } | undefined;
}

/** The interpreter's pieces the compiled code calls (passed in, to keep one implementation). */
export interface TranscodeTools {
  varint: (buf: Uint8Array, pos: number, end: number) => boolean;
  v: { lo: number; hi: number; at: number };
  putText: unknown;
  keyText: unknown;
  closeList: unknown;
  indent: unknown;
  writeValue: unknown;
  writeScalar: unknown;
  varintValue: unknown;
  COMMA: Uint8Array;
  TRUE: Uint8Array;
  FALSE: Uint8Array;
}

export function compileWriter(fields: readonly CompilableField[], pretty: boolean, tools: TranscodeTools): MessageWrite | undefined {
  try {
    return compile(fields, pretty, tools);
  } catch {
    return undefined;
  }
}

function compile(fields: readonly CompilableField[], pretty: boolean, tools: TranscodeTools): MessageWrite | undefined {
  const cases: string[] = [];
  for (const p of fields) {
    const i = p.index;
    const tag = (p.field.number << 3) | p.wire;
    cases.push(`case ${tag}: {`);
    if (p.repeated && pretty && p.opts?.ipadd) {
      cases.push("return false;", "}"); // crit's one-string form of an address: the object path
      continue;
    }
    cases.push(p.repeated ? `if (last > ${i}) return false;` : `if (last >= ${i}) return false;`);
    const open = [
      `if (listOpen) closeList(sink, ${pretty}, level);`,
      `putText(sink, keyText(P[${i}], level, last >= 0));`,
      `listOpen = ${p.repeated};`,
      ...(p.repeated ? ["sink.byte(0x5b);", ...(pretty ? ["putText(sink, indent(level + 2));"] : [])] : []),
      `last = ${i};`,
      ...(p.required ? ["r++;"] : []),
    ];
    if (p.repeated) {
      const separator = pretty ? ["sink.byte(0x2c);", "putText(sink, indent(level + 2));"] : ["sink.bytes(COMMA);"];
      cases.push(`if (last !== ${i}) {`, ...open, "} else {", ...separator, "}");
    } else cases.push(...open);
    cases.push(...valueCode(p, p.repeated ? "level + 2" : "level + 1"), "continue;", "}");
  }
  const source = [
    "return function write(sink, buf, start, end, level) {",
    "const open = sink.pos;",
    "sink.byte(0x7b);",
    "let last = -1, r = 0, listOpen = false, pos = start, tag = 0, lo = 0, hi = 0, n = 0, x;",
    "while (pos < end) {",
    "tag = buf[pos];",
    "if (tag < 0x80) pos++;",
    "else { if (!varint(buf, pos, end) || v.hi !== 0) return false; pos = v.at; tag = v.lo; }",
    "switch (tag) {",
    ...cases,
    "default: return false;",
    "}",
    "}",
    `if (listOpen) closeList(sink, ${pretty}, level);`,
    // Singular fields come once at most: all required ones are there when the count is full.
    `if (r !== ${fields.filter((p) => p.required).length}) return false;`,
    "if (last < 0) { sink.rewind(open); sink.ascii('{}'); }",
    `else { ${pretty ? "putText(sink, indent(level)); " : ""}sink.byte(0x7d); }`,
    "return true;",
    "};",
  ].join("\n");
  const names = ["P", "varint", "v", "putText", "keyText", "closeList", "indent", "writeValue", "writeScalar", "varintValue", "COMMA", "TRUE", "FALSE"];
  const make = compileFunction(names, source) as ((...args: unknown[]) => MessageWrite) | undefined;
  if (make === undefined) return undefined;
  const t = tools;
  return make(fields, t.varint, t.v, t.putText, t.keyText, t.closeList, t.indent, t.writeValue, t.writeScalar, t.varintValue, t.COMMA, t.TRUE, t.FALSE);
}

/** A value at pos written out, pos moved past it; `return false` where the interpreter gives up. */
function valueCode(p: CompilableField, level: string): string[] {
  if (p.kind !== "varint") {
    return [`n = writeValue(sink, buf, pos, end, P[${p.index}], ${level});`, "if (n < 0) return false;", "pos = n;"];
  }
  const read = [
    "if (pos < end && buf[pos] < 0x80) { lo = buf[pos]; hi = 0; pos++; }",
    "else { if (!varint(buf, pos, end)) return false; lo = v.lo; hi = v.hi; pos = v.at; }",
  ];
  if (p.enumNames) {
    // varintValue's default: the low 32 bits, signed.
    return [...read, `x = P[${p.index}].enumNames.get(lo | 0);`, "if (x === undefined) return false;", "sink.bytes(x);"];
  }
  switch (p.scalar) {
    case ScalarType.BOOL:
      return [...read, "sink.bytes(lo !== 0 || hi !== 0 ? TRUE : FALSE);"];
    case ScalarType.UINT32:
      return [...read, p.prettyInt ? scalarCall(p, "lo", level) : "sink.uint(lo);"];
    case ScalarType.SINT32:
      return [...read, "x = (lo >>> 1) ^ -(lo & 1);", p.prettyInt ? scalarCall(p, "x", level) : "sink.int(x);"];
    case ScalarType.UINT64:
    case ScalarType.INT64:
    case ScalarType.SINT64:
      return [...read, `x = varintValue(${p.scalar}, lo, hi);`, p.prettyInt ? scalarCall(p, "x", level) : "sink.int(x);"];
    default:
      return [...read, "x = lo | 0;", p.prettyInt ? scalarCall(p, "x", level) : "sink.int(x);"];
  }
}

function scalarCall(p: CompilableField, value: string, level: string): string {
  return `if (!writeScalar(sink, P[${p.index}], ${value}, ${level})) return false;`;
}
