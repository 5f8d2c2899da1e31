import { compiledOnce, compileFunction } from "../../runtime/compile-function";
import { HEX, writeInteger, writeIntegerSlow } from "./fused-numbers";
import { Kind, MAX_DEPTH, ZIGZAG, SLOW, type CompiledMessage, type FieldPlan, type MessagePlan } from "./fused-plan";
import { writeBytes, writeEnum, writeString } from "./fused-strings";
import { GIVE_UP, type FusedCursor } from "./fused-tokens";

/**
 * The one-pass encoder's message reader (fused-scanner.ts) compiled to JavaScript for one message
 * type: the key found by a switch on its length and bytes instead of a search through the plan,
 * the position kept in a local, each field's read and wire write written out with its tag's
 * bytes, integers and booleans read in place. It takes and refuses exactly what the interpreter
 * does (the tests run both on the same JSON), and throws GIVE_UP where it does. Where code cannot
 * be compiled (a Content-Security-Policy without 'unsafe-eval', probed once by compileFunction),
 * the plan keeps null and the interpreter runs.
 *
 * Two tiers. A type's code is first compiled compact: integers read and written by a call to
 * writeInteger (fused-numbers.ts) shared by all types. That code is a fraction of the full one,
 * which V8 runs slowly until it has optimised it and, on two cores, optimises in tens of
 * milliseconds per type: a whole `crit encode` of a core image (2000 entries of a dozen types)
 * was mostly spent before the full code was optimised. The compact code counts the objects it
 * reads; past FULL_AFTER of a type (where the full code's faster integers have paid for its
 * warm-up) the full code replaces it for that type, in the plan and at every call site.
 */
export function compiledMessage(plan: MessagePlan): CompiledMessage | undefined {
  return compiledOnce(plan, () => compile(plan, false));
}

/**
 * Objects of a type the interpreter reads before the type's code is compiled (or fewer: see
 * COMPILE_ALL_AFTER). Before its first tens of thousands of objects, compiled code is slower than
 * the interpreter: V8 runs a type's new code in its bytecode interpreter and optimises each
 * type's code apart, while the interpreter's one loop serves every type and is optimised early. A whole `crit encode` of a
 * core image (2000 entries, 25 types) took 276–292 ms in the encoder with compiled code from the
 * first object, 154–163 ms with the interpreter alone.
 */
let compileAfter = 1 << 17;

/**
 * Objects read by the interpreter in this process, all types together. Past COMPILE_ALL_AFTER
 * every type's code is compiled at its next object: a process that has read that much is a
 * long-lived one (a server, a bench, a loop over a dump's images), which pays for the warm-up.
 */
let interpretedTotal = 0;
const COMPILE_ALL_AFTER = 1 << 19;

/** Sets how many objects of a type the interpreter reads first (tests: 0); returns the previous value. */
export function setCompileAfter(n: number): number {
  const previous = compileAfter;
  compileAfter = n;
  return previous;
}

/** Whether the type's next object is still the interpreter's (its code not made yet). */
export function interpretedYet(plan: MessagePlan): boolean {
  return plan.compiled === undefined && plan.interpreted < compileAfter && interpretedTotal < COMPILE_ALL_AFTER;
}

/** Counts an object the interpreter reads while interpretedYet. */
export function countInterpreted(plan: MessagePlan): void {
  plan.interpreted++;
  interpretedTotal++;
}

/** Objects of one type read by its compact code before its full code is compiled. */
let fullAfter = 1 << 19;

/** Sets FULL_AFTER (tests: 0 compiles the full code at once); returns the previous value. */
export function setFullAfter(n: number): number {
  const previous = fullAfter;
  fullAfter = n;
  return previous;
}

/** The full code made for `plan` and put in place of its compact code (kept where it fails). */
function promote(plan: MessagePlan): void {
  let full: CompiledMessage | undefined;
  try {
    full = compile(plan, true);
  } catch {
    return;
  }
  if (full === undefined) return;
  plan.compiled = full;
  for (const f of plan.callers) f.subRead = full;
}

/** What the compiled code calls back into: the scanner (fused-scanner.ts). */
export interface MessageScanner extends FusedCursor {
  depth: number;
  message(plan: MessagePlan, extra: boolean): number;
  subReader(f: FieldPlan): CompiledMessage;
  otherKey(extra: boolean): number;
  ipList(f: FieldPlan): void;
}

function compile(plan: MessagePlan, full: boolean): CompiledMessage | undefined {
  if (!full && fullAfter <= 0) full = true;
  const fields = plan.fields;
  const source = [
    "return function message(sc, extra) {",
    ...(full ? [] : [`if (++P.seen === ${fullAfter}) promote(P);`]),
    "const s = sc.s;",
    // at: a key is next (after "{" or ","); false once the object is closed.
    "let p = sc.pos, c = 0, e = 0, at = true, extraAt = -1, w, b, q, v, st;",
    ...skipWs(),
    "if (s[p] !== 0x7b) throw GIVE_UP; p++;",
    ...skipWs(),
    "if (s[p] === 0x7d) { p++; at = false; }",
    ...fields.flatMap((f, i) => fieldStep(f, i, full)),
    // A key that is no field still to come: "extra" where allowed, and nothing after it.
    "if (at) {",
    "sc.pos = p; extraAt = sc.otherKey(extra); p = sc.pos;",
    ...skipWs(),
    "if (s[p++] !== 0x7d) throw GIVE_UP;",
    "}",
    "sc.pos = p;",
    "return extraAt;",
    "};",
    // Names the code in profiles and stack traces.
    `//# sourceURL=criu-encode/${fields[0]?.field.parent.typeName ?? "empty"}${full ? "" : ".compact"}.js`,
  ].join("\n");
  const params = ["F", "P", "promote", "GIVE_UP", "HEX", "writeInteger", "writeIntegerSlow", "writeEnum", "writeString", "writeBytes"];
  const make = compileFunction(params, source);
  if (make === undefined) return undefined;
  return make(fields, plan, promote, GIVE_UP, HEX, writeInteger, writeIntegerSlow, writeEnum, writeString, writeBytes) as CompiledMessage;
}

/** Whitespace at p stepped over: one space inline (plain JSON), longer runs by the scanner. */
function skipWs(): string[] {
  return ["c = s[p];", "if (c <= 0x20) { if (c === 0x20 && s[p + 1] > 0x20) p++; else p = sc.skipWs(p); }"];
}

/**
 * Field i, in field order: read when the key at p is its key (its bytes between quotes: a
 * field's name holds no quote or backslash), then the comma or the closing brace after it.
 * Keys come in field order, so a key that is not field i's is for a later field, "extra" or
 * none: a required field is then missing, as it is when the object closed before it. This is
 * what the interpreter takes and refuses, by straight-line code instead of a search per key.
 */
function fieldStep(f: FieldPlan, i: number, full: boolean): string[] {
  const key = f.key;
  const test = ["s[p] === 0x22", ...Array.from(key, (byte, j) => `s[p + ${j + 1}] === ${byte}`), `s[p + ${key.length + 1}] === 0x22`].join(" && ");
  return [
    `if (at && ${test}) {`,
    `p += ${key.length + 2};`,
    ...skipWs(),
    "if (s[p] !== 0x3a) throw GIVE_UP; p++;",
    ...skipWs(),
    ...fieldCode(f, i, full),
    ...skipWs(),
    "c = s[p++];",
    "if (c === 0x7d) at = false;",
    "else if (c !== 0x2c) throw GIVE_UP;",
    "else {",
    ...skipWs(),
    "}",
    `}${f.required ? " else throw GIVE_UP;" : ""}`,
  ];
}

function fieldCode(f: FieldPlan, i: number, full: boolean): string[] {
  if (!f.repeated) return valueCode(f, i, full);
  const list = [
    "if (s[p] !== 0x5b) throw GIVE_UP; p++;",
    ...skipWs(),
    "if (s[p] === 0x5d) p++;",
    "else {",
    ...(f.opts?.ipadd ? [`if (s[p] === 0x22) { sc.pos = p; sc.ipList(F[${i}]); p = sc.pos; } else`] : []),
    "for (;;) {",
    ...valueCode(f, i, full),
    ...skipWs(),
    "c = s[p++];",
    "if (c === 0x5d) break;",
    "if (c !== 0x2c) throw GIVE_UP;",
    ...skipWs(),
    "}",
    "}",
  ];
  return list;
}

/**
 * Statements that read field i's value at p and write it (tag and value), p moved past it; in
 * the compact code, integers by a call.
 */
function valueCode(f: FieldPlan, i: number, full: boolean): string[] {
  const call = (fn: string) => [`sc.pos = p; ${fn}(sc, F[${i}]); p = sc.pos;`];
  switch (f.kind) {
    case Kind.Message:
      return [
        // Recursive messages (cgroup directories) could nest past the stack: the parser says so.
        `if (++sc.depth > ${MAX_DEPTH}) throw GIVE_UP;`,
        `w = sc.w; ${tagBytes(f, 5)} w.pos = q + 1;`, // room for a one-byte length, as beginLength leaves
        "st = w.pos;",
        // The sub-message's reader called straight (the same function at every call from here).
        `sc.pos = p; (F[${i}].subRead ?? sc.subReader(F[${i}]))(sc, false); p = sc.pos;`,
        "sc.w.endLength(st);",
        "sc.depth--;",
      ];
    case Kind.Bool:
      return [
        "if (s[p] === 0x74 && s[p + 1] === 0x72 && s[p + 2] === 0x75 && s[p + 3] === 0x65) { v = 1; p += 4; }",
        "else if (s[p] === 0x66 && s[p + 1] === 0x61 && s[p + 2] === 0x6c && s[p + 3] === 0x73 && s[p + 4] === 0x65) { v = 0; p += 5; }",
        "else throw GIVE_UP;",
        `w = sc.w; ${tagBytes(f, 1)} b[q++] = v; w.pos = q;`,
      ];
    case Kind.Enum:
      return enumName(f, i);
    case Kind.String:
      return call("writeString");
    case Kind.Bytes:
      return call("writeBytes");
    case Kind.Int:
      if (f.fast === SLOW) return call("writeIntegerSlow");
      if (!full) return call("writeInteger");
      return [`int${i}: {`, ...smallInteger(f, `int${i}`), ...call("writeIntegerSlow"), "}"];
  }
}

/**
 * fused-numbers.ts's fast paths, with the field's constants in place: a literal of at most 15
 * digits within the field's range (negative only for ZigZag), or "0x" and at most 13 hex digits
 * (what pretty JSON writes for hex fields), written as its tag and varint; `break <label>` when
 * written, else the slow path follows with p unmoved.
 */
function smallInteger(f: FieldPlan, label: string): string[] {
  const zigzag = f.fast === ZIGZAG;
  const max = f.max32 < 0 ? (f.is64 ? "Infinity" : "-1") : zigzag ? `(neg ? ${f.max32 + 1} : ${f.max32})` : String(f.max32);
  const write = [`w = sc.w; ${tagBytes(f, 8)}`, ...(zigzag ? ["v = neg ? 2 * v - 1 : 2 * v;"] : []), ...varint(), `break ${label};`];
  return [
    "c = s[p];",
    ...(zigzag ? ["const neg = c === 0x2d;", "if (neg) c = s[p + 1];"] : ["const neg = false;"]),
    "if (c >= 0x30 && c <= 0x39) {",
    "st = neg ? p + 1 : p; e = st + 1; v = c - 0x30;",
    "if (v !== 0) while (e - st < 15 && (c = s[e]) >= 0x30 && c <= 0x39) { v = v * 10 + (c - 0x30); e++; }",
    "c = s[e];",
    `if (!(c >= 0x30 && c <= 0x39) && c !== 0x2e && c !== 0x65 && c !== 0x45 && v <= ${max} && !(neg && v === 0)) {`,
    "p = e;",
    ...write,
    "}",
    "} else if (c === 0x22 && !neg && s[p + 1] === 0x30 && s[p + 2] === 0x78) {",
    // Up to 13 digits the value is below 2^52: exact, and a 64-bit field takes it whole.
    "e = p + 3; v = 0;",
    "while ((c = HEX[s[e]]) >= 0) { v = v * 16 + c; e++; }",
    `if (s[e] === 0x22 && e - p > 3 && e - p <= 16 && v <= ${f.is64 ? "Infinity" : String(f.max32)}) {`,
    "p = e + 1;",
    ...write,
    "}",
    "}",
  ];
}

/**
 * An enum's name compared in place with each of the type's names (its bytes between quotes), its
 * number written as the tag and varint; any other text (escapes, an unknown name) and negative
 * numbers go to writeEnum, which takes and refuses what the interpreter does.
 */
function enumName(f: FieldPlan, i: number): string[] {
  const label = `enum${i}`;
  const names = f.enumNames.filter(([, n]) => n >= 0);
  return [
    `${label}: {`,
    "v = -1;",
    "if (s[p] === 0x22) {",
    ...names.map(([name, n], j) => {
      const test = [...Array.from(name, (byte, k) => `s[p + ${k + 1}] === ${byte}`), `s[p + ${name.length + 1}] === 0x22`].join(" && ");
      return `${j ? "else " : ""}if (${test}) { v = ${n}; e = p + ${name.length + 2}; }`;
    }),
    "}",
    `if (v >= 0) { p = e; w = sc.w; ${tagBytes(f, 5)} ${varint().join(" ")} break ${label}; }`,
    `sc.pos = p; writeEnum(sc, F[${i}]); p = sc.pos;`,
    "}",
  ];
}

/** v (a non-negative safe integer) as a varint at b[q], w.pos moved past it. */
function varint(): string[] {
  return [
    "while (v > 0x7fffffff) { b[q++] = (v % 128) | 0x80; v = Math.floor(v / 128); }",
    "while (v > 0x7f) { b[q++] = (v & 0x7f) | 0x80; v >>>= 7; }",
    "b[q++] = v; w.pos = q;",
  ];
}

/** Room for the tag and `more` bytes reserved in `w`, the tag written; b and q: the buffer and where next. */
function tagBytes(f: FieldPlan, more: number): string {
  const writes = Array.from(f.tag, (byte) => `b[q++] = ${byte};`).join(" ");
  return `w.reserve(${f.tag.length + more}); b = w.buf; q = w.pos; ${writes}`;
}
