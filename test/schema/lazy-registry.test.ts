import { createRegistry } from "@bufbuild/protobuf";
import { file_google_protobuf_descriptor, FieldOptionsSchema } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { core_entrySchema, criuFiles, criu, file_pstree, pstree_entrySchema } from "../../src/schema/all";
import { criuFile, criuFileNames } from "../../src/schema/files";
import { criuMessageSchema, criuRegistry, findMessageSchema } from "../../src/schema/registry";

// criuRegistry decodes a file when one of its types is first asked for; it must answer exactly as
// a registry built from every file at once, with the very same descriptor objects.
const full = createRegistry(...criuFiles);
const names = [...full].map((d) => d.typeName).sort();

describe("lazy criuRegistry", () => {
  it("finds every type of the schema, as the same object as the generated descriptors", () => {
    expect(names.length).toBeGreaterThan(150);
    for (const name of names) {
      const desc = full.get(name)!;
      expect(criuRegistry.get(name)).toBe(desc);
      expect(criuRegistry.getMessage(name)).toBe(desc.kind === "message" ? desc : undefined);
      expect(criuRegistry.getEnum(name)).toBe(desc.kind === "enum" ? desc : undefined);
      expect(criuRegistry.getExtension(name)).toBe(desc.kind === "extension" ? desc : undefined);
      expect(criuRegistry.getService(name)).toBeUndefined();
    }
    expect(criuRegistry.getMessage("pstree_entry")).toBe(pstree_entrySchema);
    expect(findMessageSchema("core_entry")).toBe(core_entrySchema);
    expect(criuMessageSchema("core_entry")).toBe(core_entrySchema);
  });

  it("iterates the same types as the full registry", () => {
    expect([...criuRegistry].map((d) => d.typeName).sort()).toEqual(names);
  });

  it("finds the (criu) option by extendee and number", () => {
    expect(criuRegistry.getExtensionFor(FieldOptionsSchema, 1018)).toBe(criu);
    expect(criuRegistry.getExtensionFor(FieldOptionsSchema, 1019)).toBeUndefined();
    expect(criuRegistry.getExtensionFor(pstree_entrySchema, 1018)).toBeUndefined();
  });

  it("answers undefined for any other name, including Object.prototype's", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom("constructor", "toString", "__proto__", "hasOwnProperty")), (name) => {
        fc.pre(!names.includes(name));
        expect(criuRegistry.get(name)).toBeUndefined();
        expect(findMessageSchema(name)).toBeUndefined();
      }),
    );
    expect(() => criuMessageSchema("nope" as "core_entry")).toThrow(/no message nope in the CRIU schema/);
  });

  it("decodes each file once and shares it with the generated constants", () => {
    expect(criuFile("pstree.proto")).toBe(file_pstree);
    expect(criuFile("google/protobuf/descriptor.proto")).toBe(file_google_protobuf_descriptor);
    expect(criuFileNames).toEqual(criuFiles.map((f) => f.proto.name));
    expect(() => criuFile("constructor")).toThrow(/no file "constructor" in the CRIU schema/);
  });
});
