import { compileFunction } from "../../runtime/compile-function";
import { RECURSION_LIMIT } from "../../image/decode-plan";
import { ScalarType } from "../../schema/scalar-type";

/**
 * The wire → JSON writer of transcode.ts compiled to JavaScript for one message type and mode: a
 * switch on the tag with each field's ordering rule, key and value written out (a sub-message by
 * a call to its type's writer, kept per field). It writes exactly what the interpreter writes
 * and gives up exactly where it gives up (the tests run both on the same bytes). Bytes and
 * fixed-width values are handed to the interpreter's value writer. Where code cannot be compiled
 * (a Content-Security-Policy without 'unsafe-eval'), the interpreter runs.
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
  hex: boolean;
  opts?: { ipadd?: boolean; hex?: boolean } | undefined;
  /** The key texts keyText has made, by (level << 1) | (a field came before). */
  keyTexts: readonly unknown[];
}

/** The interpreter's pieces the compiled code calls (passed in, to keep one implementation). */
export interface TranscodeTools {
  varint: (buf: Uint8Array, pos: number, end: number) => boolean;
  v: { lo: number; hi: number; at: number };
  putText: unknown;
  keyText: unknown;
  closeList: unknown;
  writeValue: unknown;
  writeScalar: unknown;
  varintValue: unknown;
  writeUtf8String: unknown;
  /** The writer of a message field's type (writerFor its plan); given the field's own plan, which is transcode.ts's type. */
  subWriter: (p: never) => MessageWrite;
  /** Messages open around the one being written: past RECURSION_LIMIT the object path decides. */
  nesting: { depth: number };
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

/**
 * Types with more fields than this are compiled in the shared form: the switch on the tag only
 * names the field and how its value is written (k), and one piece of code writes the key, the
 * list brackets and each kind of value for all fields. Written out per field, a core image's
 * larger types (user_x86_regs: 27 fields) made functions V8 took 15-75 ms each to optimise,
 * inlining the helpers at every field's call sites: most of a cold `crit decode` of a core image
 * ran before that. Small types (pagemap's 4 fields) stay written out, which is a little faster.
 */
const SHARED_FROM = 8;

function compile(fields: readonly CompilableField[], pretty: boolean, tools: TranscodeTools): MessageWrite | undefined {
  const shared = fields.length > SHARED_FROM;
  const cases: string[] = [];
  const kinds: string[] = [];
  /** Kinds (by index) some list with a one-byte tag is written with: they loop over the list's run. */
  const listRuns: boolean[] = [];
  for (const p of fields) {
    const i = p.index;
    const tag = (p.field.number << 3) | p.wire;
    if (p.repeated && pretty && p.opts?.ipadd) {
      cases.push(`case ${tag}: return false;`); // crit's one-string form of an address: the object path
      continue;
    }
    const order = `if (last ${p.repeated ? ">" : ">="} ${i}) return false;`;
    if (shared) {
      const value = valueCode(p, "i", "lv").join(" ");
      let k = kinds.indexOf(value);
      if (k < 0) k = kinds.push(value) - 1;
      // The rest of a list whose tag is one byte (the separator, then the value), read in place.
      if (p.repeated && tag < 0x80) listRuns[k] = true;
      cases.push(`case ${tag}: ${order} i = ${i}; k = ${k}; rep = ${p.repeated}; req = ${p.required}; break;`);
      continue;
    }
    cases.push(`case ${tag}: {`, order);
    const open = [...openCode(pretty, `P[${i}]`, String(p.repeated)), `last = ${i};`, ...(p.required ? ["r++;"] : [])];
    if (p.repeated) cases.push(`if (last !== ${i}) {`, ...open, "} else {", separator(pretty), "}");
    else cases.push(...open);
    const value = valueCode(p, String(i), p.repeated ? "level + 2" : "level + 1");
    cases.push(...value);
    // The rest of a list whose tag is one byte, read here instead of by a turn of the switch.
    if (p.repeated && tag < 0x80) cases.push(`while (pos < end && buf[pos] === ${tag}) {`, "pos++;", separator(pretty), ...value, "}");
    cases.push("continue;", "}");
  }
  const common = shared
    ? [
        `if (rep && last === i) { ${separator(pretty)} }`,
        "else {",
        ...openCode(pretty, "P[i]", "rep"),
        "last = i;",
        "if (req) r++;",
        "}",
        "lv = rep ? level + 2 : level + 1;",
        "switch (k) {",
        ...kinds.map((code, k) =>
          listRuns[k] ? `case ${k}: { ${code} if (rep && tag < 0x80) while (pos < end && buf[pos] === tag) { pos++; ${separator(pretty)} ${code} } continue; }` : `case ${k}: { ${code} continue; }`,
        ),
        "}",
      ]
    : [];
  const source = [
    "return function write(sink, buf, start, end, level) {",
    "const open = sink.pos;",
    "sink.byte(0x7b);",
    `let last = -1, r = 0, listOpen = false, pos = start, tag = 0, lo = 0, hi = 0, n = 0, x${shared ? ", i = 0, k = 0, rep = false, req = false, lv = 0" : ""};`,
    "while (pos < end) {",
    "tag = buf[pos];",
    "if (tag < 0x80) pos++;",
    "else { if (!varint(buf, pos, end) || v.hi !== 0) return false; pos = v.at; tag = v.lo; }",
    "switch (tag) {",
    ...cases,
    "default: return false;",
    "}",
    ...common,
    "}",
    `if (listOpen) closeList(sink, ${pretty}, level);`,
    // Singular fields come once at most: all required ones are there when the count is full.
    `if (r !== ${fields.filter((p) => p.required).length}) return false;`,
    "if (last < 0) { sink.rewind(open); sink.ascii('{}'); }",
    `else { ${pretty ? "sink.newline(level); " : ""}sink.byte(0x7d); }`,
    "return true;",
    "};",
  ].join("\n");
  const names = ["P", "S", "D", "varint", "v", "putText", "keyText", "closeList", "writeValue", "writeScalar", "varintValue", "writeUtf8String", "COMMA", "TRUE", "FALSE"];
  const make = compileFunction(names, source) as ((...args: unknown[]) => MessageWrite) | undefined;
  if (make === undefined) return undefined;
  const t = tools;
  const subs = fields.map((p) => (p.kind === "message" ? subWriterSlot(p, t) : undefined));
  return make(fields, subs, t.nesting, t.varint, t.v, t.putText, t.keyText, t.closeList, t.writeValue, t.writeScalar, t.varintValue, t.writeUtf8String, t.COMMA, t.TRUE, t.FALSE);
}

/**
 * A message field's writer, found on first use (so that recursive types compile) and then kept:
 * each field's call goes to one function, which V8 can inline, where writeValue's one call for
 * every message field of every type could not be.
 */
function subWriterSlot(p: CompilableField, tools: TranscodeTools): { fn: MessageWrite } {
  const slot = {
    fn: (sink: unknown, buf: Uint8Array, start: number, end: number, level: number): boolean => {
      slot.fn = tools.subWriter(p as never);
      return slot.fn(sink, buf, start, end, level);
    },
  };
  return slot;
}

/** A field's key written (after the list before it is closed), its list opened when `repeated`. */
function openCode(pretty: boolean, field: string, repeated: string): string[] {
  return [
    `if (listOpen) closeList(sink, ${pretty}, level);`,
    // keyText's lookup written out; keyText itself makes a text the first time.
    `x = ${field}.keyTexts[(level << 1) | (last >= 0 ? 1 : 0)];`,
    `putText(sink, x !== undefined ? x : keyText(${field}, level, last >= 0));`,
    `listOpen = ${repeated};`,
    ...(repeated === "false" ? [] : [`${repeated === "true" ? "" : `if (${repeated}) `}{ sink.byte(0x5b);${pretty ? " sink.newline(level + 2);" : ""} }`]),
  ];
}

/** Between two values of a list. */
function separator(pretty: boolean): string {
  return pretty ? "sink.byte(0x2c); sink.newline(level + 2);" : "sink.bytes(COMMA);";
}

/**
 * A value at pos written out (the field whose plan is P[index], its sub-writer's slot S[index],
 * at `level`), pos moved past it; `return false` where the interpreter gives up. In the shared
 * form (index "i"), fields of a kind get the same text.
 */
function valueCode(p: CompilableField, index: string, level: string): string[] {
  const field = `P[${index}]`;
  if (p.kind === "message" || p.kind === "string") {
    const length = [
      "if (pos >= end) return false;",
      "n = buf[pos];",
      "if (n < 0x80) pos++; else { if (!varint(buf, pos, end) || v.hi !== 0) return false; n = v.lo; pos = v.at; }",
      "if (n > end - pos) return false;",
    ];
    if (p.kind === "string") return [...length, "if (!writeUtf8String(sink, buf, pos, pos + n)) return false;", "pos += n;"];
    return [...length, `if (++D.depth >= ${RECURSION_LIMIT}) { D.depth--; return false; }`, `x = S[${index}].fn(sink, buf, pos, pos + n, ${level});`, "D.depth--;", "if (!x) return false;", "pos += n;"];
  }
  if (p.kind !== "varint") {
    return [`n = writeValue(sink, buf, pos, end, ${field}, ${level});`, "if (n < 0) return false;", "pos = n;"];
  }
  const read = [
    "if (pos < end && buf[pos] < 0x80) { lo = buf[pos]; hi = 0; pos++; }",
    "else { if (!varint(buf, pos, end)) return false; lo = v.lo; hi = v.hi; pos = v.at; }",
  ];
  if (p.enumNames) {
    // varintValue's default: the low 32 bits, signed.
    return [...read, `x = ${field}.enumNames.get(lo | 0);`, "if (x === undefined) return false;", "sink.bytes(x);"];
  }
  switch (p.scalar) {
    case ScalarType.BOOL:
      return [...read, "sink.bytes(lo !== 0 || hi !== 0 ? TRUE : FALSE);"];
    case ScalarType.UINT32:
      if (hexAlways(p)) return [...read, "sink.hexWords(0, lo);"];
      return [...read, p.prettyInt ? scalarCall(field, "lo", level) : "sink.uint(lo);"];
    case ScalarType.SINT32:
      return [...read, "x = (lo >>> 1) ^ -(lo & 1);", p.prettyInt ? scalarCall(field, "x", level) : "sink.int(x);"];
    case ScalarType.UINT64:
    case ScalarType.INT64:
    case ScalarType.SINT64: {
      const general = [`x = varintValue(${p.scalar}, lo, hi);`, p.prettyInt ? scalarCall(field, "x", level) : "sink.int(x);"];
      // Addresses and sizes shown in hex: from the two words, as writeScalar writes any value below 2^53.
      if (hexAlways(p) && p.scalar === ScalarType.UINT64) return [...read, "if (hi < 0x200000) sink.hexWords(hi, lo); else {", ...general, "}"];
      if (p.prettyInt) return [...read, ...general];
      // Below 2^32 (registers, sizes, most values): the low word alone, no call and no double.
      const small = p.scalar === ScalarType.SINT64 ? "sink.int((lo >>> 1) ^ -(lo & 1));" : "sink.uint(lo);";
      return [...read, `if (hi === 0) { ${small} } else {`, ...general, "}"];
    }
    default:
      return [...read, "x = lo | 0;", p.prettyInt ? scalarCall(field, "x", level) : "sink.int(x);"];
  }
}

/**
 * Pretty JSON shows this unsigned field's values below 2^53 as hex, whatever its other options
 * (writeScalar: hex comes before flags, dict and dev).
 */
function hexAlways(p: CompilableField): boolean {
  return p.prettyInt && (p.hex || p.opts?.hex === true);
}

function scalarCall(field: string, value: string, level: string): string {
  return `if (!writeScalar(sink, ${field}, ${value}, ${level})) return false;`;
}
