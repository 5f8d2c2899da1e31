import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, ImageError, isRawImage, type CriuImage } from "../../src/index";
import { imageBytesToCritJsonBytes, imageBytesToCritJsonChunks } from "../../src/json/from-image/image-bytes";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";
import { losslessImageArbitrary } from "../support/arbitraries/lossless-image";
import { corpusImages, entryCorpusImages, errorOf, readBytes } from "../support/corpus";

// imageBytesToCritJsonChunks (what `crit decode -o` writes) must give, chunk after chunk, the
// very bytes of imageBytesToCritJsonBytes, and the same errors.

const latin1 = new TextDecoder("latin1");

/** The chunks, each copied before the next is asked for (they share one buffer). */
function collect(bytes: Uint8Array, options: { pretty?: boolean; chunkSize?: number; fileName?: string }): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const chunk of imageBytesToCritJsonChunks(bytes, options)) out.push(chunk.slice());
  return out;
}

const text = (chunks: Uint8Array[]) => chunks.map((c) => latin1.decode(c)).join("");

describe("image → crit JSON in chunks", () => {
  const images = entryCorpusImages();

  it("gives the whole text on every corpus image, plain and pretty, at any chunk size", () => {
    for (const { image, bytes } of images) {
      for (const pretty of [false, true]) {
        const whole = latin1.decode(imageBytesToCritJsonBytes(bytes, { pretty, fileName: image.name }));
        for (const chunkSize of [1, 100, 4096, undefined]) {
          expect(text(collect(bytes, { pretty, chunkSize, fileName: image.name })), `${image.abs} ${chunkSize}`).toBe(whole);
        }
      }
    }
  });

  it("cuts between entries once a chunk is full, and reuses one buffer", () => {
    // A files image of many small entries (the corpus's own, repeated): 64 KiB chunks.
    const files = images.find(({ image }) => image.name === "files.img" && image.abs.includes("podman-forensics"));
    expect(files).toBeDefined();
    const image = decodeImage(files!.bytes) as CriuImage<"FILES">;
    const many = encodeImage({ magic: "FILES", entries: Array.from({ length: 40 }, () => image.entries).flat() } as CriuImage<"FILES">);
    for (const pretty of [false, true]) {
      const buffers = new Set<ArrayBufferLike>();
      const sizes: number[] = [];
      const parts: string[] = [];
      for (const chunk of imageBytesToCritJsonChunks(many, { pretty, chunkSize: 1 << 16 })) {
        buffers.add(chunk.buffer);
        sizes.push(chunk.length);
        parts.push(latin1.decode(chunk));
      }
      expect(parts.join("")).toBe(latin1.decode(imageBytesToCritJsonBytes(many, { pretty })));
      expect(sizes.length).toBeGreaterThan(3);
      // Every chunk but the last holds at least chunkSize bytes and ends after a whole entry.
      for (const [i, size] of sizes.slice(0, -1).entries()) {
        expect(size).toBeGreaterThanOrEqual(1 << 16);
        expect(parts[i]!.endsWith("}")).toBe(true);
      }
      expect(buffers.size).toBe(1);
    }
  });

  it.each(IMAGE_ROWS.filter((r) => r.payload === "entry" || r.payload === "pagemap").map((r) => [r.name, r] as const))(
    "gives the whole text on random %s images at random chunk sizes",
    (_, row) => {
      const plain = imageArbitrary(row, { maxEntries: 4, depth: 3 }).map((image) => encodeImage(image));
      const odd = losslessImageArbitrary(row).map((l) => l.bytes);
      fc.assert(
        fc.property(fc.oneof(plain, odd), fc.boolean(), fc.integer({ min: 1, max: 300 }), (bytes, pretty, chunkSize) => {
          expect(text(collect(bytes, { pretty, chunkSize }))).toBe(latin1.decode(imageBytesToCritJsonBytes(bytes, { pretty })));
        }),
        { numRuns: 20 },
      );
    },
  );

  it("throws the whole path's error on truncated images, after the chunks before the bad entry", () => {
    let failures = 0;
    for (const { image, bytes } of images.filter((i) => i.bytes.length < 3000).slice(0, 80)) {
      for (let cut = 0; cut < bytes.length; cut += 11) {
        const part = bytes.subarray(0, cut);
        const whole = errorOf(() => imageBytesToCritJsonBytes(part, { fileName: image.name })) as ImageError | undefined;
        const seen: Uint8Array[] = [];
        const chunked = errorOf(() => {
          for (const chunk of imageBytesToCritJsonChunks(part, { fileName: image.name, chunkSize: 16 })) seen.push(chunk.slice());
        }) as ImageError | undefined;
        expect(chunked?.message, `${image.abs} cut at ${cut}`).toBe(whole?.message);
        if (chunked) {
          failures++;
          expect(chunked).toBeInstanceOf(ImageError);
          // What came before the error is the start of crit's document, never anything else.
          expect(text(seen).startsWith('{"magic": ') || seen.length === 0).toBe(true);
        }
      }
    }
    expect(failures).toBeGreaterThan(100);
  });

  it("refuses a raw image and a bad magic before giving any chunk", () => {
    const raw = corpusImages().find((image) => isRawImage(decodeImage(readBytes(image.abs), { fileName: image.name })));
    expect(raw).toBeDefined();
    for (const bytes of [readBytes(raw!.abs), new Uint8Array(64)]) {
      const iterator = imageBytesToCritJsonChunks(bytes, { fileName: raw!.name });
      expect(() => iterator.next()).toThrow(ImageError);
    }
  });
});
