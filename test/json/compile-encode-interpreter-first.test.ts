import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage, encodeImage, type CriuImage } from "../../src/index";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { setCompileAfter } from "../../src/json/to-image/compile-encode";
import { fusedImageBytes } from "../../src/json/to-image/fused-encode";
import { planFor } from "../../src/json/to-image/fused-plan";
import { criuRegistry } from "../../src/schema/registry";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";

// The encoder's first tier: each type's first objects are read by the interpreter, then by the
// code compiled for it (here after 3 objects instead of COMPILE_AFTER). Types cross over at
// different times, so compiled code meets sub-message types still interpreted (and read them
// through message() until they have code of their own): every image must still come out whole.
describe("JSON → image: interpreter first, then compiled code", () => {
  let previous = 0;
  beforeAll(() => void (previous = setCompileAfter(3)));
  afterAll(() => void setCompileAfter(previous));
  const utf8 = new TextEncoder();

  it("reads a type's first objects with the interpreter, the rest with its code", () => {
    const schema = criuRegistry.getMessage("pagemap_entry")!;
    const plan = planFor(schema);
    // The first test to meet this type: nothing read, nothing compiled yet.
    expect([plan.interpreted, plan.compiled]).toEqual([0, undefined]);
    const head = create(criuRegistry.getMessage("pagemap_head")!, { pagesId: 1 });
    const entries = Array.from({ length: 10 }, (_, i) => create(schema, { vaddr: BigInt((i + 1) * 4096), compatNrPages: i + 1, nrPages: i + 1, flags: 1 }));
    const bytes = encodeImage({ magic: "PAGEMAP", entries: [head, ...entries] } as unknown as CriuImage);
    const json = utf8.encode(toCritJson(decodeImage(bytes) as CriuImage, { pretty: true }));
    const out = fusedImageBytes(json);
    expect(out).toBeDefined();
    expect(plan.interpreted).toBe(3);
    expect(plan.compiled).toBeTruthy();
    expect(Buffer.from(out!).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each(IMAGE_ROWS.filter((r) => r.payload === "entry" || r.payload === "pagemap").map((r) => [r.name, r] as const))(
    "random %s images come out byte for byte",
    (_, row) => {
      fc.assert(
        fc.property(imageArbitrary(row, { maxEntries: 4, depth: 3 }), fc.boolean(), (image, pretty) => {
          const bytes = encodeImage(image);
          const json = utf8.encode(toCritJson(decodeImage(bytes) as CriuImage, { pretty }));
          const out = fusedImageBytes(json);
          if (out !== undefined) expect(Buffer.from(out).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
        }),
        { numRuns: 8 },
      );
    },
  );
});
