import { ScalarType } from "@bufbuild/protobuf";
import fc from "fast-check";

const U32_MAX = 0xffffffff;
const I32_MIN = -0x80000000;
const I32_MAX = 0x7fffffff;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** Values at the edges of a range, mixed in so that boundaries are hit often. */
function withEdges<T>(arb: fc.Arbitrary<T>, edges: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
}

/**
 * Strings protobuf-es encodes and decodes unchanged: any code point (no lone surrogates),
 * but not a leading U+FEFF, which protobuf-es's TextDecoder strips as a byte order mark.
 */
export const stringArbitrary: fc.Arbitrary<string> = fc
  .oneof(fc.string({ maxLength: 6 }), fc.string({ unit: "binary", maxLength: 6 }))
  .filter((s) => !s.startsWith("\uFEFF"));

/** A value of one protobuf scalar type as protobuf-es holds it (64-bit kinds as bigint). */
export function scalarArbitrary(type: ScalarType): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return withEdges(fc.integer({ min: 0, max: U32_MAX }), [0, 1, 0x7fffffff, 0x80000000, U32_MAX]);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return withEdges(fc.integer({ min: I32_MIN, max: I32_MAX }), [0, -1, 1, I32_MIN, I32_MAX]);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return withEdges(fc.bigInt({ min: 0n, max: U64_MAX }), [0n, 1n, (1n << 32n) - 1n, 1n << 63n, U64_MAX]);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return withEdges(fc.bigInt({ min: I64_MIN, max: I64_MAX }), [0n, -1n, 1n, I64_MIN, I64_MAX]);
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.STRING:
      return stringArbitrary;
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 12 });
    case ScalarType.FLOAT:
      return fc.float({ noNaN: true }).map(Math.fround);
    case ScalarType.DOUBLE:
      return fc.double({ noNaN: true });
  }
}
