import { compiledOnce, compileFunction } from "../runtime/compile-function";
import { readVarint, varint } from "./varint";
import { fixedValue, K, RECURSION_LIMIT, stringValue, varintValue, type FastDecoder, type FieldPlan, type MessagePlan } from "./decode-plan";
import { interpreted } from "./interpret-decode";

/**
 * The fast decoder compiled to JavaScript for one message type (its plan: decode-plan.ts): a
 * switch on the tag with each field's read written out, and objects made by a constructor whose
 * shape V8 can predict. It accepts and rejects exactly what the interpreter (interpret-decode.ts)
 * does (the tests run both on the same bytes) and is several times faster. Where code cannot be
 * compiled (a page whose Content-Security-Policy forbids `new Function`), the interpreter is used
 * instead.
 */
export function compiledDecoder(plan: MessagePlan): FastDecoder | undefined {
  return compiledOnce(plan, () => compile(plan));
}

/** BigInt values of one-byte varints, shared (BigInts are immutable). */
const SMALL = Array.from({ length: 128 }, (_, i) => BigInt(i));
const SMALL_ZIGZAG = Array.from({ length: 128 }, (_, i) => BigInt((i >>> 1) ^ -(i & 1)));

/** A decoder for sub-messages that compiles on first use (so recursive types work). */
interface SubDecoder {
  fn: FastDecoder;
}

function subDecoder(p: FieldPlan): SubDecoder {
  const sub: SubDecoder = {
    fn: (buf, start, end, depth) => {
      const plan = (p.subPlan ??= p.sub!());
      sub.fn = compiledDecoder(plan) ?? interpreted(plan);
      return sub.fn(buf, start, end, depth);
    },
  };
  return sub;
}

function compile(plan: MessagePlan): FastDecoder | undefined {
  const fields = plan.byNumber.filter((p): p is FieldPlan => p !== undefined);
  const key = (name: string) => `[${JSON.stringify(name)}]`;
  // Room for every field inside the object: V8 sizes a constructor's objects by the `this.x =`
  // stores in its body (plus 8), and fields added past that go to a separate array, grown and
  // copied three slots at a time (sk_opts_entry has 20). The stores under `if (room)` never run
  // (`new Message()` passes nothing); the unused room is given back after a few objects.
  const spare = (n: number) => (n > 0 ? `if (room) { ${Array.from({ length: n }, (_, i) => `this.r${i} = 0;`).join(" ")} }` : "");
  const ctor = [`this.$typeName = ${JSON.stringify(plan.typeName)};`, ...plan.lists.map((n) => `this${key(n)} = [];`)];
  const cases: string[] = [];
  fields.forEach((p, i) => {
    const tag = (p.number << 3) | p.wire;
    const order = p.repeated ? `if (last > ${p.number}) return;` : `if (last >= ${p.number}) return;`;
    const store = p.repeated ? `m${key(p.name)}.push(x);` : `m${key(p.name)} = x;`;
    const count = p.required ? ["r++;"] : [];
    cases.push(`case ${tag}: {`, order, `last = ${p.number};`, ...count, ...readValue(p, i), store, "continue;", "}");
  });
  const source = [
    `function Message(room) { ${ctor.join(" ")} ${spare(fields.length)} }`,
    "Message.prototype = prototype;",
    `return function decode(buf, pos, end, depth) {`,
    // protobuf-es's fromBinary refuses more than RECURSION_LIMIT nested messages: so do we.
    `if (depth >= ${RECURSION_LIMIT}) return;`,
    "const m = new Message();",
    "let last = 0, r = 0, t = 0, b = 0, n = 0, x;",
    "while (pos < end) {",
    "t = buf[pos++];",
    // Field numbers up to 2047 fit in two bytes; longer tags go the slow way.
    "if (t > 127) { if (pos >= end) return; b = buf[pos++]; if (b > 127 || b === 0) return; t = (t & 127) | (b << 7); }",
    "switch (t) {",
    ...cases,
    "default: return;",
    "}",
    "}",
    // Singular fields come once at most (the order rule): all required ones are there when the count is full.
    `if (r !== ${plan.requiredCount}) return;`,
    "return m;",
    "};",
  ].join("\n");
  const make = compileFunction(
    ["prototype", "F", "S", "readVarint", "v", "varintValue", "stringValue", "fixedValue", "SMALL", "SMALL_ZIGZAG"],
    source,
  ) as ((...args: unknown[]) => FastDecoder) | undefined;
  if (make === undefined) return undefined;
  const subs = fields.map((p) => (p.kind === K.Message ? subDecoder(p) : undefined));
  return make(plan.prototype, fields, subs, readVarint, varint, varintValue, stringValue, fixedValue, SMALL, SMALL_ZIGZAG);
}

/** Statements that read field `i`'s value into `x` (returning undefined where the interpreter would). */
function readValue(p: FieldPlan, i: number): string[] {
  if (p.wire === 0) {
    return [
      "if (pos >= end) return;",
      "b = buf[pos];",
      `if (b < 128) { pos++; ${oneByte(p, i)} }`,
      `else { if (!readVarint(buf, pos, end) || v.padded) return; pos = v.at; x = varintValue(F[${i}], v.lo, v.hi, v.len); if (x === undefined) return; }`,
    ];
  }
  if (p.wire === 2) {
    const length = [
      "if (pos >= end) return;",
      "n = buf[pos];",
      "if (n < 128) pos++; else { if (!readVarint(buf, pos, end) || v.padded || v.hi !== 0) return; n = v.lo; pos = v.at; }",
      "if (pos + n > end) return;",
    ];
    if (p.kind === K.Message) return [...length, `x = S[${i}].fn(buf, pos, pos + n, (depth | 0) + 1); if (x === undefined) return; pos += n;`];
    if (p.kind === K.String) return [...length, "x = stringValue(buf, pos, pos + n); if (x === undefined) return; pos += n;"];
    return [...length, "x = buf.subarray(pos, pos + n); pos += n;"];
  }
  const size = p.wire === 5 ? 4 : 8;
  return [`if (pos + ${size} > end) return;`, `x = fixedValue(${p.kind}, buf, pos); pos += ${size};`];
}

/** A one-byte varint `b` as the field's value (the same as varintValue gives). */
function oneByte(p: FieldPlan, i: number): string {
  switch (p.kind) {
    case K.Uint32:
    case K.Int32:
      return "x = b;";
    case K.Enum:
      return `if (!F[${i}].enumValues.has(b)) return; x = b;`;
    case K.Sint32:
      return "x = (b >>> 1) ^ -(b & 1);";
    case K.Bool:
      return "if (b > 1) return; x = b === 1;";
    case K.Uint64:
    case K.Int64:
      return "x = SMALL[b];";
    case K.Sint64:
      return "x = SMALL_ZIGZAG[b];";
    default:
      return "return;";
  }
}
