import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, isRawImage, rawMagicForFile } from "../../src/index";
import { corpusImages, readBytes } from "../support/corpus";

const images = corpusImages();

describe("every corpus image decodes and re-encodes byte for byte", () => {
  it("finds the whole corpus", () => {
    expect(images.length).toBeGreaterThan(800);
  });

  it.each(images.map((i) => [`${i.scenario}/${i.path}`, i] as const))("%s", (_, image) => {
    const bytes = readBytes(image.abs);
    const decoded = decodeImage(bytes, { fileName: image.name });
    if (isRawImage(decoded)) {
      // Raw images are known by name only, and kept as they are.
      expect(decoded.magic).toBe(rawMagicForFile(image.name));
      expect(encodeImage(decoded)).toEqual(bytes);
      return;
    }
    expect(rawMagicForFile(image.name)).toBeUndefined();
    expect(Buffer.from(encodeImage(decoded)).equals(Buffer.from(bytes))).toBe(true);
  });
});
