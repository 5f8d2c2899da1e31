import { getExtension, hasExtension, toJson } from "@bufbuild/protobuf";
import type { DescriptorProto } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { criuOptions, criuRegistry } from "../../src/index";
import { criu, CRIU_OptsSchema } from "../../src/gen/opts_pb";
import { releaseSchema } from "../support/fixtures";

/** `message.field → (criu) options as JSON` for every field of the release that has them. */
function optionsInRelease(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const visit = (m: DescriptorProto, scope: string) => {
    const name = scope + m.name;
    for (const f of m.field) {
      if (f.options && hasExtension(f.options, criu)) {
        out.set(`${name}.${f.name}`, toJson(CRIU_OptsSchema, getExtension(f.options, criu)));
      }
    }
    for (const n of m.nestedType) visit(n, `${name}.`);
  };
  for (const file of releaseSchema("v4.2").file) for (const m of file.messageType) visit(m, "");
  return out;
}

/** The same, read through the generated descriptors with our run-time helper. */
function optionsInGeneratedCode(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const type of criuRegistry) {
    if (type.kind !== "message") continue;
    for (const field of type.fields) {
      const opts = criuOptions(field);
      if (opts) out.set(`${type.typeName}.${field.name}`, toJson(CRIU_OptsSchema, opts));
    }
  }
  return out;
}

describe("(criu) field options at run time", () => {
  const expected = optionsInRelease();
  const actual = optionsInGeneratedCode();

  it("reads back every option of criu-v4.2.binpb, and no others", () => {
    expect(expected.size).toBeGreaterThanOrEqual(100);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });

  it("counts each option kind as the release has them", () => {
    const kinds = new Map<string, number>();
    for (const opts of actual.values()) {
      for (const key of Object.keys(opts as object)) kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(kinds)).toEqual({ hex: 75, flags: 8, dict: 7, dev: 6, ipadd: 6, odev: 2, conv: 1 });
  });

  it("gives typed values for well-known fields", () => {
    const field = (msg: string, name: string) => criuRegistry.getMessage(msg)!.fields.find((f) => f.name === name)!;
    expect(criuOptions(field("unix_sk_entry", "name"))?.conv).toBe("unix_name");
    expect(criuOptions(field("unix_sk_entry", "flags"))?.hex).toBe(true);
    expect(criuOptions(field("vma_entry", "prot"))?.flags).toBe("mmap.prot");
    expect(criuOptions(field("ghost_file_entry", "rdev"))).toMatchObject({ dev: true, odev: true });
    expect(criuOptions(field("task_core_entry", "task_state"))?.dict).toBe("gen");
    expect(criuOptions(field("unix_sk_entry", "id"))).toBeUndefined();
  });
});
