import { create, createFileRegistry, fromBinary, toBinary, type DescField, type DescMessage } from "@bufbuild/protobuf";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Effect } from "../../src/compat/verdict";
import { EFFECTS } from "../../src/compat/verdict";
import { compileSet, diff } from "./support";

// A first slice of the dynamic proof, for the protobuf-es reader and scalar fields only: write
// random messages under one revision, read them under the other, and check that what happens is
// no worse than the finding claims, and that a claimed hazard actually shows up.

function messageOf(body: string, name: string): DescMessage {
  return createFileRegistry(compileSet(body)).getMessage(name)!;
}

function scalarArb(f: DescField): fc.Arbitrary<unknown> {
  if (f.fieldKind === "enum") return fc.constantFrom(...f.enum.values.map((v) => v.number));
  if (f.fieldKind !== "scalar") throw new Error(`no arbitrary for ${f.name}`);
  switch (f.scalar) {
    case 5: return fc.integer(); // int32
    case 17: return fc.integer(); // sint32
    case 13: return fc.nat({ max: 0xffffffff }); // uint32
    case 3: return fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n); // int64
    case 4: return fc.bigInt(0n, 2n ** 64n - 1n); // uint64
    case 8: return fc.boolean();
    default: throw new Error(`no arbitrary for scalar ${f.scalar}`);
  }
}

/** Messages of `desc`: required fields always set, optional ones sometimes. */
function messageArb(desc: DescMessage): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const f of desc.fields) {
    shape[f.localName] = scalarArb(f);
    if (f.proto.label === 2) required.push(f.localName);
  }
  return fc.record(shape, { requiredKeys: required });
}

/** What the protobuf-es reader made of one message written under the other revision. */
function observe(writer: DescMessage, reader: DescMessage, init: Record<string, unknown>): Effect {
  const bytes = toBinary(writer, create(writer, init));
  let read;
  try {
    read = fromBinary(reader, bytes);
    toBinary(reader, read);
  } catch {
    return "error";
  }
  const written = create(writer, init) as unknown as Record<string, unknown>;
  for (const wf of writer.fields) {
    const rf = reader.fields.find((f) => f.number === wf.number);
    if (!rf) continue;
    const a = written[wf.localName];
    const b = (read as unknown as Record<string, unknown>)[rf.localName];
    if (asNumber(a) !== asNumber(b)) return "value";
  }
  return "none";
}

/** Values compared across kinds: false and 0 are the same number on the wire. */
function asNumber(v: unknown): bigint {
  return typeof v === "boolean" ? (v ? 1n : 0n) : BigInt(v as number | bigint);
}

const rank = (e: Effect) => EFFECTS.indexOf(e);

const CASES = [
  { name: "zigzag", old: "message M { optional sint32 a = 1; }", new: "message M { optional int32 a = 1; }", rule: "FIELD_ZIGZAG_CHANGED" },
  { name: "sign", old: "message M { optional uint32 a = 1; }", new: "message M { optional int32 a = 1; }", rule: "FIELD_SIGN_CHANGED" },
  { name: "64→32", old: "message M { optional int64 a = 1; }", new: "message M { optional int32 a = 1; }", rule: "FIELD_WIDTH_CHANGED" },
  { name: "bool", old: "message M { optional uint32 a = 1; }", new: "message M { optional bool a = 1; }", rule: "FIELD_BOOL_CHANGED" },
  { name: "required added", old: "message M { optional int32 a = 1; }", new: "message M { optional int32 a = 1; required int32 b = 2; }", rule: "FIELD_REQUIRED_ADDED" },
  { name: "default changed", old: "message M { optional int32 a = 1 [default = 7]; }", new: "message M { optional int32 a = 1 [default = 8]; }", rule: "FIELD_DEFAULT_CHANGED" },
  { name: "optional added", old: "message M { optional int32 a = 1; }", new: "message M { optional int32 a = 1; optional int32 b = 2; }", rule: "FIELD_ADDED" },
];

describe("dynamic proof (protobuf-es reader)", () => {
  for (const c of CASES) {
    for (const direction of ["backward", "forward"] as const) {
      it(`${c.name}, ${direction}`, () => {
        const finding = diff(c.old, c.new).find((f) => f.rule === c.rule)!;
        expect(finding).toBeDefined();
        const claimed = finding.verdicts[direction]["protobuf-es"];
        // backward: the new schema reads old data; forward: the old schema reads new data.
        const [writerBody, readerBody] = direction === "backward" ? [c.old, c.new] : [c.new, c.old];
        const writer = messageOf(writerBody, "M");
        const reader = messageOf(readerBody, "M");
        const arb = messageArb(writer);
        // Never worse than claimed (unknown counts as none: the value was never the reader's).
        fc.assert(fc.property(arb, (m) => rank(observe(writer, reader, m)) <= Math.max(rank(claimed), rank("unknown"))), { seed: 42 });
        // A claimed hazard shows up on some message.
        if (rank(claimed) >= rank("value")) {
          const shown = fc.check(fc.property(arb, (m) => rank(observe(writer, reader, m)) < rank("value")), { seed: 42, numRuns: 500 });
          expect(shown.failed, `${c.rule} ${direction}: no message showed the claimed ${claimed}`).toBe(true);
        }
      });
    }
  }
});
