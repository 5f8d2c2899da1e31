import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, ImageError, type CriuImage } from "../../src/index";
import { imageBytesToCritJson } from "../../src/json/from-image/image-bytes";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";
import { losslessImageArbitrary } from "../support/arbitraries/lossless-image";
import { entryCorpusImages, errorOf } from "../support/corpus";
import { concatBytes } from "../../src/image/bytes";

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

// imageBytesToCritJson (wire → text) must say exactly what toCritJson(decodeImage()) says.

function viaObjects(bytes: Uint8Array, pretty: boolean, fileName?: string): string {
  return toCritJson(decodeImage(bytes, { fileName }) as CriuImage, { pretty });
}

describe("wire → crit JSON agrees with the object path", () => {
  const images = entryCorpusImages();

  it("on every corpus image, plain and pretty", () => {
    for (const { image, bytes } of images) {
      for (const pretty of [false, true]) {
        expect(imageBytesToCritJson(bytes, { pretty, fileName: image.name }), image.abs).toBe(viaObjects(bytes, pretty, image.name));
      }
    }
  });

  it.each(IMAGE_ROWS.filter((r) => r.payload === "entry" || r.payload === "pagemap").map((r) => [r.name, r] as const))(
    "on random %s images, with and without unknown fields and odd strings",
    (_, row) => {
      const plain = imageArbitrary(row, { maxEntries: 3, depth: 3 }).map((image) => encodeImage(image));
      const odd = losslessImageArbitrary(row).map((l) => l.bytes);
      fc.assert(
        fc.property(fc.oneof(plain, odd), fc.boolean(), (bytes, pretty) => {
          expect(imageBytesToCritJson(bytes, { pretty })).toBe(viaObjects(bytes, pretty));
        }),
        { numRuns: 30 },
      );
    },
  );

  it("leaves no trace of a fast path that gave up, pretty JSON included", () => {
    // A long string of escaped characters, then a byte that is not UTF-8: the fast path writes
    // ~600 bytes before it gives up; the object path's {"@bytes": ...} is shorter. What the fast
    // path wrote must not show through the indentation that follows.
    const name = new TextEncoder().encode("\u00e9".repeat(100));
    name[name.length - 1] = 0xff;
    const entry = (nodename: Uint8Array | string) =>
      concatBytes([
        Uint8Array.of(0x0a, ...varint(typeof nodename === "string" ? nodename.length : nodename.length)),
        typeof nodename === "string" ? new TextEncoder().encode(nodename) : nodename,
        Uint8Array.of(0x12, 1, 0x78),
      ]);
    const header = encodeImage({ magic: "UTSNS", entries: [] } as unknown as CriuImage);
    const framed = [entry(name), entry("a"), entry("b"), entry("c")].map((m) => concatBytes([new Uint8Array(new Uint32Array([m.length]).buffer), m]));
    const bytes = concatBytes([header, ...framed]);
    for (const pretty of [false, true]) {
      const text = imageBytesToCritJson(bytes, { pretty });
      expect(text).toBe(viaObjects(bytes, pretty));
      expect(text).toContain("@bytes");
    }
  });

  it("gives the same errors on truncated images", () => {
    for (const { image, bytes } of images.filter((i) => i.bytes.length < 3000).slice(0, 120)) {
      for (let cut = 0; cut < bytes.length; cut += 7) {
        const part = bytes.subarray(0, cut);
        const a = errorOf(() => imageBytesToCritJson(part, { fileName: image.name })) as ImageError | undefined;
        const b = errorOf(() => viaObjects(part, false, image.name)) as ImageError | undefined;
        expect(a?.message, `${image.abs} cut at ${cut}`).toBe(b?.message);
        if (a) expect(a).toBeInstanceOf(ImageError);
      }
    }
  });
});
