import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, type CriuImage } from "../../src/index";
import { fromCritJson } from "../../src/json/to-image/from-crit";
import { parseJson } from "../../src/json/to-image/parse";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";
import { losslessImageArbitrary } from "../support/arbitraries/lossless-image";

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("random images → crit JSON → image gives the same bytes", () => {
  it.each(IMAGE_ROWS.map((row) => [row.name, row] as const))("%s, plain and pretty", (_, row) => {
    fc.assert(
      fc.property(imageArbitrary(row, { maxEntries: 3, depth: 3 }), fc.boolean(), (image, pretty) => {
        const bytes = encodeImage(image);
        const decoded = decodeImage(bytes, { expect: row.name }) as CriuImage;
        const text = toCritJson(decoded, { pretty });
        const back = encodeImage(fromCritJson(text));
        if (!sameBytes(back, bytes)) expect(toCritJson(decodeImage(back), { pretty })).toBe(text);
        expect(sameBytes(back, bytes)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it.each(IMAGE_ROWS.map((row) => [row.name, row] as const))(
    "%s with unknown fields anywhere, unknown enum values and non-UTF-8 strings (our lossless forms)",
    (_, row) => {
      fc.assert(
        fc.property(losslessImageArbitrary(row), fc.boolean(), ({ bytes }, pretty) => {
          const text = toCritJson(decodeImage(bytes, { expect: row.name }) as CriuImage, { pretty });
          const back = encodeImage(fromCritJson(text));
          if (!sameBytes(back, bytes)) expect(toCritJson(decodeImage(back), { pretty })).toBe(text);
          expect(sameBytes(back, bytes)).toBe(true);
        }),
        { numRuns: 25 },
      );
    },
  );

  it("keeps every 64-bit value exact, in both directions", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (u, s) => {
        const text = `{"magic": "RLIMIT", "entries": [{"cur": ${u}, "max": ${u}}]}`;
        const image = fromCritJson(text);
        expect(toCritJson(image)).toBe(text);
        expect((parseJson(`[${s}]`) as bigint[])[0]!.toString()).toBe(s.toString());
      }),
    );
  });
});
