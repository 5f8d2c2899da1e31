import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readVarint, varint } from "../../src/image/varint";

/** The rule readVarint follows, written the slow way with a BigInt. */
function reference(buf: Uint8Array, pos: number, end: number) {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return undefined;
    const b = buf[pos + i]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) {
      if (i === 9 && b > 1) return undefined;
      return { lo: Number(value & 0xffffffffn), hi: Number(value >> 32n), len: i + 1, at: pos + i + 1, padded: b === 0 && i > 0 };
    }
  }
  return undefined;
}

function encode(value: bigint): number[] {
  const out: number[] = [];
  do {
    const b = Number(value & 0x7fn);
    value >>= 7n;
    out.push(value > 0n ? b | 0x80 : b);
  } while (value > 0n);
  return out;
}

describe("readVarint", () => {
  const check = (buf: Uint8Array, pos: number, end: number) => {
    const want = reference(buf, pos, end);
    const ok = readVarint(buf, pos, end);
    expect(ok).toBe(want !== undefined);
    if (want) expect({ lo: varint.lo, hi: varint.hi, len: varint.len, at: varint.at, padded: varint.padded }).toEqual(want);
  };

  it("reads what the slow rule reads, on random bytes, at any position and end (far from and near the end)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 24 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const pos = a % bytes.length;
        const end = pos + (b % (bytes.length - pos + 1));
        check(bytes, pos, end);
        check(bytes, pos, bytes.length);
      }),
      { numRuns: 20000 },
    );
  });

  it("reads every 64-bit value back, of every length, with bytes after it or none", () => {
    const edges = [0n, 1n, 127n, 128n, 2n ** 28n - 1n, 2n ** 28n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 35n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), fc.nat({ max: 12 }), (value, after) => {
        const bytes = Uint8Array.from([...encode(value), ...Array.from({ length: after }, () => 0xff)]);
        expect(readVarint(bytes, 0, bytes.length)).toBe(true);
        expect((BigInt(varint.hi) << 32n) | BigInt(varint.lo)).toBe(value);
        expect(varint.at).toBe(encode(value).length);
        expect(varint.padded).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it("refuses eleven bytes, bits past 64, and a varint cut by the end; tells a padded one", () => {
    const long = Uint8Array.from([...Array(10).fill(0x80), 0x00, 0, 0]);
    expect(readVarint(long, 0, long.length)).toBe(false);
    const past64 = Uint8Array.from([...Array(9).fill(0xff), 0x02, 0, 0, 0]);
    expect(readVarint(past64, 0, past64.length)).toBe(false);
    const max = Uint8Array.from([...Array(9).fill(0xff), 0x01, 0, 0, 0]);
    expect(readVarint(max, 0, max.length)).toBe(true);
    expect([varint.lo, varint.hi, varint.at]).toEqual([0xffffffff, 0xffffffff, 10]);
    const cut = Uint8Array.from([0x80, 0x80, 0x80, 0x01]);
    expect(readVarint(cut, 0, 3)).toBe(false);
    const padded = Uint8Array.from([0x81, 0x00, ...Array(12).fill(0)]);
    expect(readVarint(padded, 0, padded.length)).toBe(true);
    expect([varint.lo, varint.padded, varint.len]).toEqual([1, true, 2]);
  });
});
