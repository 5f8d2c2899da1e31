import fc from "fast-check";

/** Byte sequences that are not valid UTF-8 (TextDecoder would replace them with U+FFFD). */
const BAD_SEQUENCES: number[][] = [
  [0xff],
  [0xfe],
  [0x80], // lone continuation byte
  [0xbf, 0x80],
  [0xc0, 0xaf], // overlong "/"
  [0xc3], // truncated two-byte sequence
  [0xe2, 0x82], // truncated three-byte sequence
  [0xed, 0xa0, 0x80], // UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // five-byte form
];

const BOM = [0xef, 0xbb, 0xbf];

const utf8 = fc.string({ unit: "binary", maxLength: 4 }).map((s) => Array.from(new TextEncoder().encode(s)));

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bytes of a string field that protobuf-es cannot hold as they are: invalid UTF-8 somewhere
 * (valid text around one or more bad sequences), or valid text behind a byte order mark
 * (TextDecoder drops a leading BOM).
 */
export const oddStringBytesArbitrary: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(utf8, fc.array(fc.tuple(fc.constantFrom(...BAD_SEQUENCES), utf8), { minLength: 1, maxLength: 3 }))
        .map(([head, rest]) => [...head, ...rest.flatMap(([bad, text]) => [...bad, ...text])]),
    },
    { weight: 1, arbitrary: utf8.map((text) => [...BOM, ...text]) },
  )
  .map((bytes) => new Uint8Array(bytes))
  .filter((bytes) => !isValidUtf8(bytes) || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf));
