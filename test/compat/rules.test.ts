import { describe, expect, it } from "vitest";
import { RULES } from "../../src/compat/rules/index";
import type { Finding } from "../../src/compat/rule";
import type { Effect, Reader, Severity } from "../../src/compat/verdict";
import { MORE_CASES } from "./rule-cases";
import { diff } from "./support";

// One case per rule on a small inline schema, checked old → new and, swapped, new → old: the
// swapped run must report the mirror rule, with backward and forward exchanged where the
// change is symmetric.

export type Expect = { rule: string; path: string; severity: Severity; backward?: Partial<Record<Reader, Effect>>; forward?: Partial<Record<Reader, Effect>>; message?: RegExp };
export interface Case {
  name: string;
  old: string;
  new: string;
  expect: Expect;
  reverse: Expect;
}

const E = "enum E { A = 0; B = 1; }";
const m = (fields: string, extra = "") => `${extra}\nmessage M { ${fields} }`;

const CASES: Case[] = [
  {
    name: "optional field added",
    old: m("optional int32 a = 1;"),
    new: m("optional int32 a = 1; optional int32 b = 2;"),
    expect: { rule: "FIELD_ADDED", path: "M.b", severity: "info", forward: { upb: "unknown" } },
    reverse: { rule: "FIELD_REMOVED", path: "M.b", severity: "breaking", backward: { "protobuf-c": "loss" } },
  },
  {
    name: "field renumbered",
    old: m("optional int32 a = 1;"),
    new: m("optional int32 a = 2;"),
    expect: { rule: "FIELD_RENUMBERED", path: "M.a", severity: "breaking", backward: { upb: "loss" }, forward: { upb: "loss" } },
    reverse: { rule: "FIELD_RENUMBERED", path: "M.a", severity: "breaking" },
  },
  {
    name: "required field added, no default",
    old: m("optional int32 a = 1;"),
    new: m("optional int32 a = 1; required int32 b = 2;"),
    expect: { rule: "FIELD_REQUIRED_ADDED", path: "M.b", severity: "breaking", backward: { "protobuf-c": "error", upb: "error", "protobuf-es": "error" }, forward: { "protobuf-c": "unknown" } },
    reverse: { rule: "FIELD_REQUIRED_REMOVED", path: "M.b", severity: "breaking", forward: { "protobuf-c": "error" }, backward: { upb: "unknown" } },
  },
  {
    name: "required field added with a default (protobuf-c's exception)",
    old: m("optional int32 a = 1;"),
    new: m("optional int32 a = 1; required int32 b = 2 [default = 7];"),
    expect: { rule: "FIELD_REQUIRED_ADDED", path: "M.b", severity: "breaking", backward: { "protobuf-c": "value", upb: "error" } },
    reverse: { rule: "FIELD_REQUIRED_REMOVED", path: "M.b", severity: "breaking", forward: { "protobuf-c": "value", "protobuf-es": "error" } },
  },
  {
    name: "optional made required",
    old: m("optional int32 a = 1;"),
    new: m("required int32 a = 1;"),
    expect: { rule: "FIELD_REQUIRED_ADDED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "error" } },
    reverse: { rule: "FIELD_REQUIRED_REMOVED", path: "M.a", severity: "breaking", forward: { "protobuf-c": "error" } },
  },
  {
    name: "optional scalar made repeated",
    old: m("optional int32 a = 1;"),
    new: m("repeated int32 a = 1;"),
    expect: { rule: "FIELD_CARDINALITY_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "none" }, forward: { upb: "loss" } },
    reverse: { rule: "FIELD_CARDINALITY_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "loss" }, forward: { upb: "none" } },
  },
  {
    name: "optional scalar made packed repeated",
    old: m("optional int32 a = 1;"),
    new: m("repeated int32 a = 1 [packed = true];"),
    expect: { rule: "FIELD_CARDINALITY_CHANGED", path: "M.a", severity: "breaking", forward: { "protobuf-c": "error", upb: "loss", "protobuf-es": "error" } },
    reverse: { rule: "FIELD_CARDINALITY_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "error" } },
  },
  {
    name: "optional message made repeated",
    old: m("optional M a = 1;"),
    new: m("repeated M a = 1;"),
    expect: { rule: "FIELD_CARDINALITY_CHANGED", path: "M.a", severity: "breaking", forward: { upb: "value" } },
    reverse: { rule: "FIELD_CARDINALITY_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "value" } },
  },
  {
    name: "repeated scalar packed",
    old: m("repeated int32 a = 1;"),
    new: m("repeated int32 a = 1 [packed = true];"),
    expect: { rule: "FIELD_PACKED_CHANGED", path: "M.a", severity: "info" },
    reverse: { rule: "FIELD_PACKED_CHANGED", path: "M.a", severity: "info" },
  },
  {
    name: "default changed",
    old: m("optional int32 a = 1 [default = 7];"),
    new: m("optional int32 a = 1 [default = 8];"),
    expect: { rule: "FIELD_DEFAULT_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-es": "value" }, forward: { "protobuf-c": "value" } },
    reverse: { rule: "FIELD_DEFAULT_CHANGED", path: "M.a", severity: "breaking" },
  },
  {
    name: "wire type changed",
    old: m("optional int32 a = 1;"),
    new: m("optional string a = 1;"),
    expect: { rule: "FIELD_WIRE_TYPE_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "error", upb: "loss", "protobuf-es": "error" } },
    reverse: { rule: "FIELD_WIRE_TYPE_CHANGED", path: "M.a", severity: "breaking", forward: { "protobuf-c": "error" } },
  },
  {
    name: "zigzag",
    old: m("optional sint32 a = 1;"),
    new: m("optional int32 a = 1;"),
    expect: { rule: "FIELD_ZIGZAG_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-es": "value" }, forward: { "protobuf-es": "value" } },
    reverse: { rule: "FIELD_ZIGZAG_CHANGED", path: "M.a", severity: "breaking" },
  },
  {
    name: "sign",
    old: m("optional uint32 a = 1;"),
    new: m("optional int32 a = 1;"),
    expect: { rule: "FIELD_SIGN_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "value" }, forward: { upb: "value" } },
    reverse: { rule: "FIELD_SIGN_CHANGED", path: "M.a", severity: "breaking" },
  },
  {
    name: "64→32 truncation",
    old: m("optional int64 a = 1;"),
    new: m("optional int32 a = 1;"),
    expect: { rule: "FIELD_WIDTH_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "value" }, forward: { "protobuf-c": "none" } },
    reverse: { rule: "FIELD_WIDTH_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "none" }, forward: { "protobuf-c": "value" } },
  },
  {
    name: "bool",
    old: m("optional uint32 a = 1;"),
    new: m("optional bool a = 1;"),
    expect: { rule: "FIELD_BOOL_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "value" }, forward: { upb: "none" } },
    reverse: { rule: "FIELD_BOOL_CHANGED", path: "M.a", severity: "breaking", forward: { upb: "value" } },
  },
  {
    name: "int → closed enum",
    old: m("optional int32 a = 1;", E),
    new: m("optional E a = 1;", E),
    expect: { rule: "FIELD_ENUM_INT_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "json", upb: "loss" }, forward: { upb: "json" } },
    reverse: { rule: "FIELD_ENUM_INT_CHANGED", path: "M.a", severity: "breaking", forward: { "protobuf-es": "loss" }, backward: { "protobuf-es": "json" } },
  },
  {
    name: "bytes → string",
    old: m("optional bytes a = 1;"),
    new: m("optional string a = 1;"),
    expect: { rule: "FIELD_STRING_BYTES_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "value" }, forward: { upb: "json" } },
    reverse: { rule: "FIELD_STRING_BYTES_CHANGED", path: "M.a", severity: "breaking", forward: { upb: "value" } },
  },
  {
    name: "fixed32 → float",
    old: m("optional fixed32 a = 1;"),
    new: m("optional float a = 1;"),
    expect: { rule: "FIELD_FLOAT_BITS_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "value" } },
    reverse: { rule: "FIELD_FLOAT_BITS_CHANGED", path: "M.a", severity: "breaking" },
  },
  {
    name: "bytes → message",
    old: m("optional bytes a = 1;", "message S { optional int32 x = 1; }"),
    new: m("optional S a = 1;", "message S { optional int32 x = 1; }"),
    expect: { rule: "FIELD_MESSAGE_BYTES_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "error" }, forward: { upb: "json" } },
    reverse: { rule: "FIELD_MESSAGE_BYTES_CHANGED", path: "M.a", severity: "breaking", forward: { "protobuf-c": "error" } },
  },
  {
    name: "message type swapped for a structurally equal one",
    old: m("optional S a = 1;", "message S { optional int32 x = 1; } message T { optional int32 x = 1; }"),
    new: m("optional T a = 1;", "message S { optional int32 x = 1; } message T { optional int32 x = 1; }"),
    expect: { rule: "FIELD_MESSAGE_TYPE_CHANGED", path: "M.a", severity: "info" },
    reverse: { rule: "FIELD_MESSAGE_TYPE_CHANGED", path: "M.a", severity: "info" },
  },
  {
    name: "message type swapped for a different one, recursively",
    old: m("optional S a = 1;", "message S { optional S next = 1; optional sint32 x = 2; } message T { optional T next = 1; optional int32 x = 2; }"),
    new: m("optional T a = 1;", "message S { optional S next = 1; optional sint32 x = 2; } message T { optional T next = 1; optional int32 x = 2; }"),
    expect: { rule: "FIELD_MESSAGE_TYPE_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "value" } },
    reverse: { rule: "FIELD_MESSAGE_TYPE_CHANGED", path: "M.a", severity: "breaking" },
  },
  {
    name: "enum type swapped for one with fewer values",
    old: m("optional E a = 1;", `${E} message H { enum F { A = 0; } }`),
    new: m("optional H.F a = 1;", `${E} message H { enum F { A = 0; } }`),
    expect: { rule: "FIELD_ENUM_TYPE_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "loss" } },
    // protobuf-es loses an unknown closed-enum value beside another unknown field (dynamic proof).
    reverse: { rule: "FIELD_ENUM_TYPE_CHANGED", path: "M.a", severity: "reencode", forward: { "protobuf-c": "none", upb: "unknown", "protobuf-es": "reencode" } },
  },
  {
    name: "field renamed",
    old: m("optional int32 nr_pages = 1;"),
    new: m("optional int32 pages = 1;"),
    expect: { rule: "FIELD_RENAMED", path: "M.pages", severity: "json", backward: { "protobuf-c": "none", upb: "json" } },
    reverse: { rule: "FIELD_RENAMED", path: "M.nr_pages", severity: "json", forward: { "protobuf-es": "json" } },
  },
  {
    name: "json_name changed",
    old: m("optional int32 a = 1;"),
    new: m('optional int32 a = 1 [json_name = "alpha"];'),
    expect: { rule: "FIELD_JSON_NAME_CHANGED", path: "M.a", severity: "json", backward: { upb: "none", "protobuf-es": "json" } },
    reverse: { rule: "FIELD_JSON_NAME_CHANGED", path: "M.a", severity: "json" },
  },
  {
    name: "name reused for another number (pagemap's nr_pages in v4.2)",
    old: m("required uint32 nr_pages = 2;"),
    new: m("required uint32 compat_nr_pages = 2; optional uint64 nr_pages = 5;"),
    expect: { rule: "FIELD_NAME_REUSED", path: "M.nr_pages", severity: "json", backward: { upb: "json" } },
    reverse: { rule: "FIELD_REMOVED", path: "M.nr_pages", severity: "breaking" },
  },
  {
    name: "value added to a closed enum of an optional field",
    old: m("optional E a = 1;", "enum E { A = 0; }"),
    new: m("optional E a = 1;", "enum E { A = 0; B = 1; }"),
    expect: { rule: "ENUM_VALUE_ADDED", path: "E.B", severity: "reencode", forward: { "protobuf-c": "none", upb: "unknown", "protobuf-es": "reencode" } },
    reverse: { rule: "ENUM_VALUE_REMOVED", path: "E.B", severity: "breaking", backward: { upb: "loss", "protobuf-c": "none" } },
  },
  {
    name: "value added to a closed enum behind a required field",
    old: m("required E a = 1;", "enum E { A = 0; }"),
    new: m("required E a = 1;", "enum E { A = 0; B = 1; }"),
    expect: { rule: "ENUM_VALUE_ADDED_REQUIRED", path: "E.B", severity: "breaking", forward: { "protobuf-c": "none", upb: "error", "protobuf-es": "error" }, backward: { upb: "none" } },
    reverse: { rule: "ENUM_VALUE_REMOVED", path: "E.B", severity: "breaking", backward: { upb: "error" } },
  },
  {
    name: "enum value renamed",
    old: m("optional E e = 1;", E),
    new: m("optional E e = 1;", "enum E { A = 0; C = 1; }"),
    expect: { rule: "ENUM_VALUE_RENAMED", path: "E.C", severity: "json", backward: { upb: "json" } },
    reverse: { rule: "ENUM_VALUE_RENAMED", path: "E.B", severity: "json" },
  },
  {
    name: "enum value name moved to another number",
    old: m("optional E e = 1;", E),
    new: m("optional E e = 1;", "enum E { A = 0; X = 1; B = 2; }"),
    expect: { rule: "ENUM_VALUE_NAME_REUSED", path: "E.B", severity: "json" },
    reverse: { rule: "ENUM_VALUE_NAME_REUSED", path: "E.B", severity: "json" },
  },
  {
    name: "(criu).hex added",
    old: m("optional uint64 a = 1;", 'import "opts.proto";'),
    new: m("optional uint64 a = 1 [(criu).hex = true];", 'import "opts.proto";'),
    expect: { rule: "FIELD_CRIU_OPTION_CHANGED", path: "M.a", severity: "json", backward: { "protobuf-c": "none", upb: "json" } },
    reverse: { rule: "FIELD_CRIU_OPTION_CHANGED", path: "M.a", severity: "json" },
  },
  {
    name: "message added",
    old: m("optional int32 a = 1;"),
    new: m("optional int32 a = 1;", "message N { optional int32 b = 1; }"),
    expect: { rule: "MESSAGE_ADDED", path: "N", severity: "info" },
    // Nothing referred to N: removing it breaks no reader (FIELD_* findings carry any that did).
    reverse: { rule: "MESSAGE_REMOVED", path: "N", severity: "info" },
  },
  {
    name: "message renamed",
    old: "message M { optional int32 a = 1; }",
    new: "message M2 { optional int32 a = 1; }",
    expect: { rule: "MESSAGE_RENAMED", path: "M2", severity: "info" },
    reverse: { rule: "MESSAGE_RENAMED", path: "M", severity: "info" },
  },
  {
    name: "enum added",
    old: m("optional int32 a = 1;"),
    new: m("optional int32 a = 1;", E),
    expect: { rule: "ENUM_ADDED", path: "E", severity: "info" },
    reverse: { rule: "ENUM_REMOVED", path: "E", severity: "info" },
  },
  {
    name: "enum renamed",
    old: E,
    new: "enum E2 { A = 0; B = 1; }",
    expect: { rule: "ENUM_RENAMED", path: "E2", severity: "info" },
    reverse: { rule: "ENUM_RENAMED", path: "E", severity: "info" },
  },
];

function check(findings: Finding[], e: Expect) {
  const found = findings.find((f) => f.rule === e.rule && f.path === e.path);
  expect(found, `${e.rule} at ${e.path} in ${JSON.stringify(findings.map((f) => [f.rule, f.path]))}`).toBeDefined();
  expect(found!.severity).toBe(e.severity);
  if (e.message) expect(found!.message).toMatch(e.message);
  for (const [reader, effect] of Object.entries(e.backward ?? {})) expect(found!.verdicts.backward[reader as Reader], `backward ${reader}`).toBe(effect);
  for (const [reader, effect] of Object.entries(e.forward ?? {})) expect(found!.verdicts.forward[reader as Reader], `forward ${reader}`).toBe(effect);
  expect(found!.location?.file).toBe("test.proto");
  expect(found!.location?.line).toBeGreaterThan(0);
}

describe("rules on inline schemas", () => {
  for (const c of [...CASES, ...MORE_CASES]) {
    it(`${c.name}: old → new`, () => check(diff(c.old, c.new), c.expect));
    it(`${c.name}: new → old`, () => check(diff(c.new, c.old), c.reverse));
  }

  it("every rule has a case", () => {
    const covered = new Set([...CASES, ...MORE_CASES].flatMap((c) => [c.expect.rule, c.reverse.rule]));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it("an unchanged schema gives no findings", () => {
    const body = m('required uint64 a = 1 [(criu).hex = true]; repeated E e = 2 [packed = true];', `import "opts.proto";\n${E}`);
    expect(diff(body, body)).toEqual([]);
  });

  it("rules are well formed for buf's plugin protocol", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[A-Z0-9][A-Z0-9_]*[A-Z0-9]$/);
      expect(r.purpose).toMatch(/^[A-Z].*\.$/);
      expect(r.categories.length).toBeGreaterThan(0);
    }
  });
});
