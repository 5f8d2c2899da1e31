import { existsSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, type CriuImage } from "../../src/index";
import { critJsonToImageBytes, fromCritJson } from "../../src/json/from-crit";
import { toCritJson } from "../../src/json/to-crit";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";
import { losslessImageArbitrary } from "../support/arbitraries/lossless-image";
import { corpusImages } from "../support/corpus";

// critJsonToImageBytes (JSON → wire, no message objects) must give exactly what
// encodeImage(fromCritJson()) gives: the same bytes, or the same error.

function outcome(f: () => Uint8Array): string {
  try {
    return Buffer.from(f()).toString("hex");
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const viaObjects = (text: string) => outcome(() => encodeImage(fromCritJson(text, { fileName: "in.json" }), { fileName: "in.json" }));
const direct = (text: string) => outcome(() => critJsonToImageBytes(text, { fileName: "in.json" }));

describe("JSON → image bytes agrees with the object path", () => {
  it("on crit's plain and pretty JSON of every corpus image (the original bytes)", () => {
    let checked = 0;
    for (const image of corpusImages()) {
      for (const suffix of [".json", ".pretty.json"]) {
        if (!existsSync(image.critBase + suffix)) continue;
        const bytes = critJsonToImageBytes(readFileSync(image.critBase + suffix, "utf8"));
        expect(Buffer.from(bytes).equals(readFileSync(image.abs)), image.critBase + suffix).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it.each(IMAGE_ROWS.filter((r) => r.payload === "entry" || r.payload === "pagemap").map((r) => [r.name, r] as const))(
    "on random %s images and their lossless forms, plain and pretty",
    (_, row) => {
      const plain = imageArbitrary(row, { maxEntries: 3, depth: 3 }).map((image) => encodeImage(image));
      const odd = losslessImageArbitrary(row).map((l) => l.bytes);
      fc.assert(
        fc.property(fc.oneof(plain, odd), fc.boolean(), (bytes, pretty) => {
          const text = toCritJson(decodeImage(bytes) as CriuImage, { pretty });
          expect(direct(text)).toBe(viaObjects(text));
          expect(direct(text)).toBe(Buffer.from(bytes).toString("hex"));
        }),
        { numRuns: 25 },
      );
    },
  );

  it.each([
    '{"magic": "PSTREE", "entries": [{"pid": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": 1, "ppid": 0, "pgid": 1, "sid": 1, "bogus": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": -1, "ppid": 0, "pgid": 1, "sid": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": "0x10", "ppid": 0, "pgid": 1, "sid": 1, "threads": ["0b11"]}]}',
    '{"magic": "INVENTORY", "entries": [{"img_version": 2, "lsmtype": 7}]}',
    '{"magic": "FDINFO", "entries": [{"id": 1, "flags": 2, "type": "NOPE", "fd": 3}]}',
    '{"magic": "PSTREE", "entries": [], "more": 1}',
    '{"magic": "SHMEM_PAGEMAP", "entries": [{"pages_id": 1}]}',
  ])("same result for %s", (text) => {
    expect(direct(text)).toBe(viaObjects(text));
  });
});
