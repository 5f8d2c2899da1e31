import type { DescMessage, UnknownField } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import fc from "fast-check";

const MAX_FIELD_NO = 2 ** 29 - 1;

/** Field numbers the schema does not define: mostly small ones, near the real fields. */
export function unknownFieldNumberArbitrary(schema: DescMessage): fc.Arbitrary<number> {
  const known = new Set(schema.fields.map((f) => f.number));
  return fc
    .oneof(
      { arbitrary: fc.integer({ min: 1, max: 64 }), weight: 3 },
      { arbitrary: fc.integer({ min: 1, max: MAX_FIELD_NO }), weight: 1 },
      { arbitrary: fc.constantFrom(MAX_FIELD_NO, 19000, 19999, 2 ** 28), weight: 1 },
    )
    .filter((no) => !known.has(no));
}

/** The bytes after the tag of a field record, as protobuf-es keeps them in `$unknown`. */
function record(no: number, wireType: WireType, write: (w: BinaryWriter) => void): UnknownField {
  const w = new BinaryWriter();
  w.tag(no, wireType);
  write(w);
  const r = new BinaryReader(w.finish());
  const [n, t] = r.tag();
  return { no: n, wireType: t, data: r.skip(t, n) };
}

/**
 * An unknown field of `schema`, as protobuf-es would hold it in `$unknown`: a number the
 * schema does not have, with a varint, fixed32, fixed64 or length-delimited value.
 */
export function unknownFieldArbitrary(schema: DescMessage): fc.Arbitrary<UnknownField> {
  const no = unknownFieldNumberArbitrary(schema);
  return fc.oneof(
    fc
      .tuple(no, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
      .map(([n, v]) => record(n, WireType.Varint, (w) => w.uint64(v))),
    fc
      .tuple(no, fc.integer({ min: 0, max: 0xffffffff }))
      .map(([n, v]) => record(n, WireType.Bit32, (w) => w.fixed32(v))),
    fc
      .tuple(no, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
      .map(([n, v]) => record(n, WireType.Bit64, (w) => w.fixed64(v))),
    fc
      .tuple(no, fc.uint8Array({ maxLength: 10 }))
      .map(([n, v]) => record(n, WireType.LengthDelimited, (w) => w.bytes(v))),
  );
}

/** The full wire record (tag, then data) of an unknown field. */
export function unknownFieldBytes(field: UnknownField): Uint8Array {
  return new BinaryWriter().tag(field.no, field.wireType).raw(field.data).finish();
}

/** A multiset key for an unknown field found at `path` (a message path inside an image). */
export function unknownKey(path: string, field: UnknownField): string {
  return `${path}|${field.no}|${field.wireType}|${Buffer.from(field.data).toString("hex")}`;
}
