import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, ImageError, isRawImage, type CriuImage } from "../../src/index";
import { imageBytesToCritJson } from "../../src/json/image-bytes";
import { toCritJson } from "../../src/json/to-crit";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";
import { losslessImageArbitrary } from "../support/arbitraries/lossless-image";
import { corpusImages, readBytes } from "../support/corpus";

// imageBytesToCritJson (wire → text) must say exactly what toCritJson(decodeImage()) says.

function viaObjects(bytes: Uint8Array, pretty: boolean, fileName?: string): string {
  return toCritJson(decodeImage(bytes, { fileName }) as CriuImage, { pretty });
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe("wire → crit JSON agrees with the object path", () => {
  const images = corpusImages().flatMap((image) => {
    const bytes = readBytes(image.abs);
    return isRawImage(decodeImage(bytes, { fileName: image.name })) ? [] : [{ image, bytes }];
  });

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
