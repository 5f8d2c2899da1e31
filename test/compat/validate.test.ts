// criu-compat refuses descriptor sets that are no schema (issue #16), and --replay goes on past
// a bad image, naming it.

import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorSetSchema, type FieldDescriptorProto } from "@bufbuild/protobuf/wkt";
import { afterAll, describe, expect, it } from "vitest";
import { loadDescriptorSet } from "../../src/compat/index";
import { releaseDescriptorSet } from "../../src/compat/inputs";
import { replayDirectory } from "../../src/compat/replay";
import { descriptorSetProblems } from "../../src/compat/validate";
import { fixturePath } from "../support/fixtures";

type Field = Partial<Omit<FieldDescriptorProto, "$typeName">>;

function set(fields: Field[], extraMessages: string[] = ["M"]) {
  const field = (f: Field) => ({ name: "a", number: 1, label: FieldDescriptorProto_Label.OPTIONAL, type: FieldDescriptorProto_Type.INT32, ...f });
  return create(FileDescriptorSetSchema, {
    file: [{ name: "m.proto", package: "p", syntax: "proto2", messageType: extraMessages.map((name, i) => ({ name, field: i === 0 ? fields.map(field) : [] })) }],
  });
}

describe("descriptor sets are checked", () => {
  const work = mkdtempSync(join(tmpdir(), "criu-compat-validate-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("a valid set and the shipped releases have no problem", () => {
    expect(descriptorSetProblems(set([{ name: "a", number: 1 }, { name: "b", number: 2, type: FieldDescriptorProto_Type.MESSAGE, typeName: ".p.M" }]))).toEqual([]);
    expect(descriptorSetProblems(releaseDescriptorSet("v4.2"))).toEqual([]);
  });

  it.each([
    ["a dangling type", [{ type: FieldDescriptorProto_Type.MESSAGE, typeName: ".p.Nope" }], ["M"], "p.M.a: type .p.Nope is not defined"],
    ["an enum type that is a message", [{ type: FieldDescriptorProto_Type.ENUM, typeName: ".p.M" }], ["M"], "p.M.a: .p.M is not an enum"],
    ["two fields of one name", [{ number: 1 }, { number: 2 }], ["M"], "p.M.a: a second field of that name"],
    ["two fields of one number", [{ name: "a" }, { name: "b" }], ["M"], "p.M.b: field number 1 is used twice"],
    ["field number 0", [{ number: 0 }], ["M"], "p.M.a: field number 0, not from 1 to 536870911"],
    ["field number 2^29", [{ number: 2 ** 29 }], ["M"], "p.M.a: field number 536870912, not from 1 to 536870911"],
    ["a negative field number", [{ number: -5 }], ["M"], "p.M.a: field number -5, not from 1 to 536870911"],
    ["a message defined twice", [], ["M", "M"], "p.M is defined twice"],
  ])("%s", (_, fields, messages, problem) => {
    const bad = set(fields as Field[], messages);
    expect(descriptorSetProblems(bad)).toContain(problem);
    writeFileSync(join(work, "bad.binpb"), toBinary(FileDescriptorSetSchema, bad));
    expect(() => loadDescriptorSet("bad.binpb", work)).toThrow(`bad.binpb: not a valid descriptor set:\n  ${problem}`);
  });

  it("an unknown field type (kept by protobuf among unknown fields)", () => {
    // FieldDescriptorProto: name (1) "a", number (3) 1, label (4) 1, type (5) 99
    const field = [0x0a, 1, 0x61, 0x18, 1, 0x20, 1, 0x28, 99];
    const message = [0x0a, 1, 0x4d, 0x12, field.length, ...field];
    const file = [0x0a, 3, 0x6d, 0x2e, 0x70, 0x22, message.length, ...message];
    writeFileSync(join(work, "type.binpb"), new Uint8Array([0x0a, file.length, ...file]));
    expect(() => loadDescriptorSet("type.binpb", work)).toThrow("M.a: no field type, or one protobuf does not know");
  });

  it("a 0-byte file is not an empty schema", () => {
    writeFileSync(join(work, "empty.binpb"), new Uint8Array(0));
    expect(() => loadDescriptorSet("empty.binpb", work)).toThrow("empty.binpb: not a valid descriptor set:\n  no .proto file in it");
  });

  it("bytes that are no descriptor set at all", () => {
    writeFileSync(join(work, "junk.binpb"), new Uint8Array([0xff, 0xff, 0xff]));
    expect(() => loadDescriptorSet("junk.binpb", work)).toThrow(/^junk\.binpb: not a descriptor set/);
  });
});

describe("--replay past a bad image", () => {
  const work = mkdtempSync(join(tmpdir(), "criu-compat-replay-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("names the bad image with the reason and replays the others", () => {
    const dump = fixturePath("corpus/old-v4.2-basic/images");
    for (const f of readdirSync(dump)) copyFileSync(join(dump, f), join(work, f));
    copyFileSync(fixturePath("fuzz-findings/F1-missing-required.pstree.img"), join(work, "pstree.img"));
    const v42 = releaseDescriptorSet("v4.2");
    const r = replayDirectory(work, v42, v42);
    expect(r.skipped.find((s) => s.file === "pstree.img")?.reason).toMatch(/pstree\.img.*the required field pstree_entry\.sid/);
    expect(r.images).toContain("inventory.img");
    expect(r.images).not.toContain("pstree.img");
  });
});
