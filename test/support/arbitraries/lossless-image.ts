import fc from "fast-check";
import type { CriuImage } from "../../../src/image/entries";
import type { ImageRow } from "../../../src/image/magic-table";
import { imageMessages, referenceEncode } from "../reference-image";
import { imageArbitrary, type ImageArbitraryOptions } from "./image";
import { losslessWireArbitrary, type LosslessOptions } from "./lossless-wire";

/** An image's bytes where messages carry wire-level extras, and the unknown fields in them. */
export interface LosslessImage {
  image: CriuImage;
  bytes: Uint8Array;
  /** Sorted `unknownKey`s, each message's path prefixed with `#index` (order in the image). */
  unknown: string[];
}

/**
 * A random image of type `row` written by the reference encoder, every message replaced by
 * its encoding with unknown fields anywhere, unknown enum values and non-UTF-8 strings.
 */
export function losslessImageArbitrary(
  row: ImageRow,
  options: ImageArbitraryOptions & LosslessOptions = {},
): fc.Arbitrary<LosslessImage> {
  return imageArbitrary(row, { maxEntries: 2, depth: 2, ...options }).chain((image) => {
    const messages = imageMessages(image);
    const wires = messages.map((m, i) => losslessWireArbitrary(m.schema, m.message, `#${i}`, options));
    return fc.tuple(...wires).map((ws) => {
      let next = 0;
      const bytes = referenceEncode(image, () => ws[next++]!.bytes);
      return { image, bytes, unknown: ws.flatMap((w) => w.unknown).sort() };
    });
  });
}
