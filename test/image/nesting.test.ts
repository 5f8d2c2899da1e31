import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { decodeImage, IMG_COMMON, ImageError, imageRowByName } from "../../src/index";
import { CritJsonError } from "../../src/json/value";
import { critJsonToImageBytes } from "../../src/json/to-image/from-crit";
import { imageBytesToCritJson } from "../../src/json/from-image/image-bytes";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { cgroup_entrySchema } from "../../src/schema/all";

// cgroup_dir_entry holds its children: a damaged or hostile image can nest it without end. Every
// path must answer as fromBinary does (it refuses more than 100 nested messages), with a typed
// error, never a stack overflow.

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

/** A CGROUP image whose one controller has a directory nested `depth` times (built in one pass). */
function nestedCgroups(depth: number): { image: Uint8Array; entry: Uint8Array } {
  const name = [0x0a, 0x01, 0x61]; // dir_name "a"
  // Sizes from the innermost directory out: each level is its name, then its child as field 2.
  const sizes = [name.length];
  for (let i = 0; i < depth; i++) sizes.push(name.length + 1 + varint(sizes[i]!).length + sizes[i]!);
  const dir = sizes[depth]!;
  const controller = 1 + varint(dir).length + dir; // cg_controller_entry.dirs
  const size = 1 + varint(controller).length + controller; // cgroup_entry.controllers
  const bytes: number[] = [];
  bytes.push(0x12, ...varint(controller), 0x12, ...varint(dir));
  for (let i = depth; i > 0; i--) bytes.push(...name, 0x12, ...varint(sizes[i - 1]!));
  bytes.push(...name);
  const entry = Uint8Array.from(bytes);
  expect(entry.length).toBe(size);
  const image = new Uint8Array(12 + entry.length);
  const view = new DataView(image.buffer);
  view.setUint32(0, IMG_COMMON, true);
  view.setUint32(4, imageRowByName("CGROUP")!.value, true);
  view.setUint32(8, entry.length, true);
  image.set(entry, 12);
  return { image, entry };
}

const fails = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe("deeply nested messages", () => {
  it("decode and decode → JSON accept exactly what fromBinary accepts", () => {
    for (const depth of [90, 97, 98, 99, 150]) {
      const { image, entry } = nestedCgroups(depth);
      const reference = fails(() => fromBinary(cgroup_entrySchema, entry));
      const decoded = fails(() => decodeImage(image, { fileName: "cgroup.img" }));
      const json = fails(() => imageBytesToCritJson(image, { fileName: "cgroup.img" }));
      expect(decoded === undefined, `decodeImage at depth ${depth}`).toBe(reference === undefined);
      expect(json === undefined, `imageBytesToCritJson at depth ${depth}`).toBe(reference === undefined);
      if (reference) {
        expect(decoded).toBeInstanceOf(ImageError);
        expect(json).toBeInstanceOf(ImageError);
      } else {
        expect(imageBytesToCritJson(image)).toBe(toCritJson(decodeImage(image)));
      }
    }
    // The boundary is inside the range tried.
    expect(fails(() => fromBinary(cgroup_entrySchema, nestedCgroups(90).entry))).toBeUndefined();
    expect(fails(() => fromBinary(cgroup_entrySchema, nestedCgroups(150).entry))).toBeDefined();
  });

  it("100,000 levels: typed errors, no stack overflow, on image bytes and on JSON", () => {
    const { image } = nestedCgroups(100_000);
    expect(fails(() => decodeImage(image, { fileName: "cgroup.img" }))).toBeInstanceOf(ImageError);
    expect(fails(() => imageBytesToCritJson(image, { fileName: "cgroup.img" }))).toBeInstanceOf(ImageError);
    const n = 100_000;
    const json = `{"magic": "CGROUP", "entries": [{"controllers": [{"dirs": [${'{"dir_name": "a", "children": ['.repeat(n)}{"dir_name": "a"}${"]}".repeat(n)}]}]}]}`;
    const err = fails(() => critJsonToImageBytes(json));
    expect(err).toBeInstanceOf(CritJsonError);
    expect((err as Error).message).toContain("nesting");
  });
});
