import fc from "fast-check";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { fastDecoder } from "../../src/image/fast-decode";
import { criuMessageSchema } from "../../src/schema/registry";

// A uint32 below 2^30 must come out of the fast decoders as a small integer (a V8 Smi), never as
// a heap number: a field that once held a heap number makes V8 box every value stored in that
// field of every later message of the type (a second allocation per field, which the garbage
// collector then copies). Multi-byte varints pass through `varint.lo`, a double field, which
// gave heap numbers. Checked with V8's own test (%IsSmi), turned on for this file only. (A field
// whose values pass 2^30 holds heap numbers whatever the decoder does, so only so_sndbuf, kept
// below, is checked; the messages are written by hand, since objects from protobuf-es's create()
// share the interpreter's hidden classes.)

setFlagsFromString("--allow-natives-syntax");
const isSmi = new Function("x", "return %IsSmi(x)") as (x: unknown) => boolean;

const schema = criuMessageSchema("sk_opts_entry");

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n % 0x80) | 0x80);
  out.push(n);
  return out;
}

/** so_sndbuf, so_rcvbuf, then the four required timeouts at zero. */
function bytesOf(sndbuf: number, rcvbuf: number): Uint8Array {
  return new Uint8Array([0x08, ...varint(sndbuf), 0x10, ...varint(rcvbuf), 0x18, 0, 0x20, 0, 0x28, 0, 0x30, 0]);
}

describe.each([
  ["interpreter", true],
  ["compiled", false],
])("uint32 values from the %s", (_, interpret) => {
  const decode = fastDecoder(schema, { interpret });

  it("below 2^30 are small integers, above keep their value", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x3fffffff }), fc.integer({ min: 0, max: 0xffffffff }), (small, any) => {
        const bytes = bytesOf(small, any);
        const m = decode(bytes, 0, bytes.length) as { soSndbuf: number; soRcvbuf: number } | undefined;
        expect(m).toBeDefined();
        expect(m!.soSndbuf).toBe(small);
        expect(isSmi(m!.soSndbuf)).toBe(true);
        expect(m!.soRcvbuf).toBe(any);
      }),
    );
  });

  it("212992 (a socket buffer size, three bytes on the wire), right after a value past 2^31", () => {
    const bytes = bytesOf(212992, 3_000_000_000);
    const m = decode(bytes, 0, bytes.length) as unknown as { soSndbuf: number; soRcvbuf: number };
    expect(m.soRcvbuf).toBe(3_000_000_000);
    expect(m.soSndbuf).toBe(212992);
    expect(isSmi(m.soSndbuf)).toBe(true);
  });
});
