import fc from "fast-check";
import { encodeImage } from "../../../src/image/encode";
import { IMG_COMMON, IMG_SERVICE } from "../../../src/image/magic-table";
import { anyImageArbitrary, IMAGE_ROWS } from "./image";

const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

/** A header CRIU could have written: header word (or none) and a known magic. */
const headerBytes = fc
  .tuple(fc.constantFrom<number[]>([], u32(IMG_COMMON), u32(IMG_SERVICE)), fc.constantFrom(...IMAGE_ROWS))
  .map(([word, row]) => [...word, ...u32(row.value)]);

/** A valid image with 1..4 bytes overwritten, inserted or removed. */
const mutatedImage = fc
  .tuple(
    anyImageArbitrary({ maxEntries: 2, depth: 2 }).map((image) => encodeImage(image)),
    fc.array(fc.tuple(fc.constantFrom("set", "insert", "delete"), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
  )
  .map(([bytes, edits]) => {
    const out = Array.from(bytes);
    for (const [op, at, value] of edits) {
      const i = at % (out.length + 1);
      if (op === "insert") out.splice(i, 0, value);
      else if (i < out.length) op === "set" ? (out[i] = value) : out.splice(i, 1);
    }
    return new Uint8Array(out);
  });

/**
 * Bytes for robustness tests: random bytes, a valid header followed by random bytes (so that
 * entry parsing is reached), and valid images with a few bytes changed.
 */
export const corruptImageArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.tuple(headerBytes, fc.uint8Array({ maxLength: 64 })).map(([h, tail]) => new Uint8Array([...h, ...tail])),
  mutatedImage,
);

/** File names given along: none, raw images (matched by name), and ordinary images. */
export const fileNameArbitrary = fc.constantFrom(undefined, "pages-1.img", "tmpfs-dev-3.tar.gz.img", "core-1.img", "stats-dump", "x/route6-2.img");
