import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack, anyUnpack } from "@bufbuild/protobuf/wkt";
import { afterAll, describe, expect, it } from "vitest";
import { CheckRequestSchema, ListRulesResponseSchema } from "../../src/compat/plugin/gen/buf/plugin/check/v1/check_pb";
import { Code, RequestSchema, ResponseSchema, SpecSchema } from "../../src/compat/plugin/gen/pluginrpc/v1/pluginrpc_pb";
import { PLUGIN_CATEGORIES, PLUGIN_RULES, serve, spec } from "../../src/compat/plugin/index";
import { RULES } from "../../src/compat/rules/index";
import { bufBin, repoRoot } from "../support/buf";

// The buf check plugin (dist/buf-plugin-criu.js, built by the global setup) under the real buf
// binary, in a temporary module: its findings are the criu-compat command's on the same pair.

const OPTS_PROTO = readFileSync(join(repoRoot, "proto", "opts.proto"), "utf8");

const OLD = `syntax = "proto2";
import "opts.proto";

enum kind { K_A = 0; K_B = 1; }

message sub_entry {
  optional uint32 v = 1;
}

message entry {
  optional int32 x = 1;
  required kind k = 2;
  optional uint32 gone = 3;
  optional uint64 addr = 4;
  required uint32 nr_pages = 5;
  optional sub_entry sub = 6;
  optional uint32 mode = 7 [default = 7];
}
`;

const NEW = `syntax = "proto2";
import "opts.proto";

enum kind { K_A = 0; K_B = 1; K_C = 2; }

message sub2_entry {
  optional uint32 v = 1;
}

message entry {
  optional sint32 x = 1;
  required kind k = 2;
  optional uint64 addr = 4 [(criu).hex = true];
  required uint32 compat_nr_pages = 5;
  optional sub2_entry sub = 6;
  optional uint32 mode = 7 [default = 8];
  optional uint64 nr_pages = 8;
}
`;

interface BufLine {
  path: string;
  start_line: number;
  start_column: number;
  type: string;
  message: string;
  plugin?: string;
  element?: string;
}

const work = mkdtempSync(join(tmpdir(), "criu-compat-plugin-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// A private copy of the built package, so that a concurrent `npm run build` (tsup cleans dist/)
// cannot pull the plugin from under buf.
const pkg = join(work, "pkg");
cpSync(join(repoRoot, "dist"), join(pkg, "dist"), { recursive: true });
cpSync(join(repoRoot, "package.json"), join(pkg, "package.json"));
symlinkSync(join(repoRoot, "schemas"), join(pkg, "schemas"));
symlinkSync(join(repoRoot, "node_modules"), join(pkg, "node_modules"));
const plugin = join(pkg, "dist", "buf-plugin-criu.js");
const cli = join(pkg, "dist", "criu-compat.js");
for (const [dir, text] of [["old", OLD], ["new", NEW]] as const) {
  mkdirSync(join(work, dir));
  writeFileSync(join(work, dir, "m.proto"), text);
  writeFileSync(join(work, dir, "opts.proto"), OPTS_PROTO);
}

function bufYaml(options = "", use = "[WIRE_JSON, CRIU_WIRE, CRIU_JSON, CRIU_OPTIONS]"): string {
  return `version: v2\nmodules:\n  - path: new\nbreaking:\n  use: ${use}\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\nplugins:\n  - plugin: ${plugin}\n${options}`;
}

function buf(args: string[], yaml = bufYaml()) {
  writeFileSync(join(work, "buf.yaml"), yaml);
  const r = spawnSync(bufBin, args, { cwd: work, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Each buf run starts the plugin nine times (--protocol, --spec, ListRules, ListCategories, twice,
// then Check): ~1 s of Node start-up each on a loaded machine. The run with the default buf.yaml
// is shared by the tests that need it.
let defaultBreaking: ReturnType<typeof buf> | undefined;
function breakingWithDefaults() {
  defaultBreaking ??= buf(["breaking", "new", "--against", "old", "--error-format", "json"]);
  return defaultBreaking;
}

function ndjson(text: string): BufLine[] {
  return text.trim() ? text.trim().split("\n").map((l) => JSON.parse(l) as BufLine) : [];
}

function criuCompat(...args: string[]): BufLine[] {
  const r = spawnSync(process.execPath, [cli, ...args, "--format", "json"], { cwd: work, encoding: "utf8" });
  expect(r.status, r.stderr).not.toBe(1);
  return ndjson(r.stdout);
}

/** Rule, element and message of the plugin's annotations ("element: message (readers)."). */
function pluginFindings(lines: BufLine[]) {
  return lines
    .filter((l) => l.plugin)
    .map((l) => {
      const m = /^(\S+): (.*) \(backward: .*; forward: .*\)\.$/.exec(l.message);
      expect(m, l.message).not.toBeNull();
      return { type: l.type, element: m![1]!, message: m![2]!, path: l.path, line: l.start_line, column: l.start_column };
    })
    .sort((a, b) => `${a.type} ${a.element}`.localeCompare(`${b.type} ${b.element}`));
}

function cliFindings(lines: BufLine[]) {
  return lines
    .map((l) => ({ type: l.type, element: l.element!, message: l.message, path: l.path, line: l.start_line, column: l.start_column }))
    .sort((a, b) => `${a.type} ${a.element}`.localeCompare(`${b.type} ${b.element}`));
}

describe("buf-plugin-criu under buf breaking", () => {
  it("finds what criu-compat finds on the same pair, at the same lines", () => {
    const r = breakingWithDefaults();
    expect(r.code, r.stderr).toBe(100);
    const lines = ndjson(r.stdout);
    const ours = pluginFindings(lines);
    const theirs = cliFindings(criuCompat("old", "new"));
    expect(ours.map(({ type, element, message }) => ({ type, element, message }))).toEqual(
      theirs.map(({ type, element, message }) => ({ type, element, message })),
    );
    // Elements of the new revision: the same file and line; a removed field points at its message.
    for (const o of ours) {
      const t = theirs.find((x) => x.type === o.type && x.element === o.element)!;
      if (o.type === "FIELD_REMOVED") {
        expect([o.path, o.line]).toEqual(["new/m.proto", 10]);
      } else {
        expect([o.path, o.line, o.column]).toEqual([`new/${t.path}`, t.line, t.column]);
      }
    }
    expect(ours.map((o) => o.type)).toEqual(
      expect.arrayContaining(["ENUM_VALUE_ADDED_REQUIRED", "FIELD_ZIGZAG_CHANGED", "FIELD_REMOVED", "FIELD_CRIU_OPTION_CHANGED", "FIELD_NAME_REUSED", "FIELD_DEFAULT_CHANGED"]),
    );
    // buf's own rules still run beside ours, and flag the structurally identical type swap we accept.
    expect(lines.some((l) => !l.plugin && l.type === "FIELD_WIRE_JSON_COMPATIBLE_TYPE" && l.message.includes("sub2_entry"))).toBe(true);
    expect(ours.some((o) => o.element === "entry.sub")).toBe(false);
  });

  it("finds what criu-compat finds on CRIU v3.17 → v4.2 (descriptor sets as inputs)", () => {
    const [v317, v42] = ["v3.17", "v4.2"].map((v) => join(repoRoot, "schemas", "criu", `criu-${v}.binpb`));
    // With reencode: true, everything criu-compat lists; without, all but the re-encode hazard.
    const r = buf(["breaking", v42!, "--against", v317!, "--error-format", "json"], bufYaml("    options:\n      reencode: true\n", "[CRIU_WIRE, CRIU_JSON, CRIU_OPTIONS]"));
    expect(r.code, r.stderr).toBe(100);
    const ours = pluginFindings(ndjson(r.stdout));
    const theirs = cliFindings(criuCompat("criu:v3.17", "criu:v4.2"));
    expect(ours).toEqual(theirs);
    expect(ours.length).toBe(7);
    const plain = pluginFindings(ndjson(buf(["breaking", v42!, "--against", v317!, "--error-format", "json"], bufYaml("", "[CRIU_WIRE, CRIU_JSON, CRIU_OPTIONS]")).stdout));
    const hazards = criuCompat("criu:v3.17", "criu:v4.2").filter((l) => (l as { severity?: string }).severity === "reencode");
    expect(hazards.length).toBe(1);
    expect(plain).toEqual(theirs.filter((f) => !(f.type === hazards[0]!.type && f.element === hazards[0]!.element)));
  });

  // Three more buf runs (27 plugin starts): 84 s were seen at a load of 7, so a generous limit.
  it("takes options from buf.yaml", { timeout: 300_000 }, () => {
    const all = pluginFindings(ndjson(breakingWithDefaults().stdout));
    const ignored = buf(["breaking", "new", "--against", "old", "--error-format", "json"], bufYaml("    options:\n      ignore: [FIELD_ZIGZAG_CHANGED, entry.addr]\n"));
    const left = pluginFindings(ndjson(ignored.stdout));
    expect(left.map((f) => `${f.type} ${f.element}`)).toEqual(
      all.filter((f) => f.type !== "FIELD_ZIGZAG_CHANGED" && f.element !== "entry.addr").map((f) => `${f.type} ${f.element}`),
    );
    // Only CRIU's own restore (protobuf-c) reading old images: JSON-only findings and forward hazards go.
    const pbc = buf(
      ["breaking", "new", "--against", "old", "--error-format", "json"],
      bufYaml("    options:\n      readers: [protobuf-c]\n      directions: [backward]\n      wire_only: true\n"),
    );
    const narrow = pluginFindings(ndjson(pbc.stdout)).map((f) => f.type);
    expect(narrow).toContain("FIELD_REMOVED");
    expect(narrow).not.toContain("ENUM_VALUE_ADDED_REQUIRED");
    expect(narrow).not.toContain("FIELD_NAME_REUSED");
    const bad = buf(["breaking", "new", "--against", "old"], bufYaml("    options:\n      readers: [protoc]\n"));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/option readers: unknown protoc/);
  });

  it("runs only the rules buf.yaml enables", () => {
    const r = buf(["breaking", "new", "--against", "old", "--error-format", "json"], bufYaml("", "[FIELD_NAME_REUSED]"));
    expect(pluginFindings(ndjson(r.stdout)).map((f) => f.type)).toEqual(["FIELD_NAME_REUSED"]);
  });

  it("lists our rules and categories in buf config ls-breaking-rules", () => {
    const r = buf(["config", "ls-breaking-rules", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const listed = ndjson(r.stdout) as unknown as { id: string; categories: { id: string }[] | string[]; plugin?: string }[];
    const ids = listed.map((x) => x.id);
    for (const rule of PLUGIN_RULES) expect(ids).toContain(rule.id);
    const zigzag = listed.find((x) => x.id === "FIELD_ZIGZAG_CHANGED")!;
    expect(JSON.stringify(zigzag.categories)).toContain("CRIU_WIRE");
  });

  it("adds nothing to buf lint (every rule compares two revisions)", () => {
    const r = buf(["lint", "new", "--error-format", "json"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

describe("buf-plugin-criu protocol", () => {
  it("lists Check, ListRules and ListCategories in its spec", () => {
    expect(fromBinary(SpecSchema, spec()).procedures.map((p) => p.path).sort()).toEqual([
      "/buf.plugin.check.v1.CheckService/Check",
      "/buf.plugin.check.v1.CheckService/ListCategories",
      "/buf.plugin.check.v1.CheckService/ListRules",
    ]);
  });

  it("lists every rule that can break, with categories it also lists", () => {
    const request = toBinary(RequestSchema, create(RequestSchema));
    const response = fromBinary(ResponseSchema, serve("/buf.plugin.check.v1.CheckService/ListRules", request));
    const rules = anyUnpack(response.value!, ListRulesResponseSchema)!.rules;
    expect(rules.map((r) => r.id)).toEqual(RULES.filter((r) => !r.categories.every((c) => c === "CRIU_INFO")).map((r) => r.id));
    for (const r of rules) for (const c of r.categoryIds) expect(PLUGIN_CATEGORIES).toContain(c);
  });

  it("answers errors as pluginrpc errors", () => {
    const unknown = fromBinary(ResponseSchema, serve("/buf.plugin.check.v1.CheckService/Nope", new Uint8Array()));
    expect(unknown.error?.code).toBe(Code.UNIMPLEMENTED);
    const request = toBinary(
      RequestSchema,
      create(RequestSchema, {
        value: anyPack(CheckRequestSchema, create(CheckRequestSchema, { againstFileDescriptors: [{}], options: [{ key: "colour", value: { type: { case: "boolValue", value: true } } }] })),
      }),
    );
    const bad = fromBinary(ResponseSchema, serve("/buf.plugin.check.v1.CheckService/Check", request));
    expect(bad.error?.code).toBe(Code.INVALID_ARGUMENT);
    expect(bad.error?.message).toMatch(/unknown option "colour"/);
  });
});
