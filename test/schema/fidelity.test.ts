import { describe, expect, it } from "vitest";
import { buildDescriptorSet } from "../support/buf";
import { diffFlattened, flattenDescriptorSet } from "../support/descriptor-diff";
import { releaseSchema } from "../support/fixtures";

describe("proto/ describes CRIU v4.2's schema exactly", () => {
  const expected = flattenDescriptorSet(releaseSchema("v4.2"));
  const actual = flattenDescriptorSet(buildDescriptorSet("proto"));

  it("has the same files, messages, enums and fields as criu-v4.2.binpb", () => {
    const diffs = diffFlattened(expected, actual);
    if (diffs.length > 0) console.error(`${diffs.length} differences:\n${diffs.join("\n")}`);
    expect(diffs).toEqual([]);
  });

  it("covers the whole release: 76 files, 173 messages, 19 enums", () => {
    const count = (kind: string) => [...actual.keys()].filter((k) => k.split(":")[1]!.startsWith(`${kind} `)).length;
    expect([...actual.keys()].filter((k) => k.endsWith(":file"))).toHaveLength(76);
    expect(count("message")).toBe(173);
    expect(count("enum")).toBe(19);
    expect(count("value")).toBe(119);
  });

  it("reports a changed field, so the comparison itself can fail", () => {
    const tampered = new Map(actual);
    const key = "pagemap.proto:field pagemap_entry.nr_pages";
    tampered.set(key, tampered.get(key)!.replace('"number":5', '"number":6'));
    tampered.delete("core.proto:field task_core_entry.comm");
    expect(diffFlattened(expected, tampered)).toHaveLength(2);
  });
});
