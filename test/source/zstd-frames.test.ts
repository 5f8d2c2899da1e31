// zstd frames told apart on the compressed side, and each frame's content checksum (XXH64)
// verified: streams built here from raw and RLE blocks (every field written by hand, so the
// splitter is checked against the format, not against itself), several frames with and without
// checksums, skippable frames between them, fed in any chunking; and the corpus archive with one
// byte changed anywhere.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SourceError } from "../../src/source/source";
import { readFixture } from "../support/fixtures";
import { decodeAll, decodesAnyFrames, frame, frameSpec, h64Raw, le } from "../support/zstd-build";

describe("zstd frames and content checksums", () => {
  it("XXH64 test vector (the empty input)", () => {
    expect(h64Raw(new Uint8Array(0))).toBe(0xef46db3751d8e999n);
  });

  it("decodes any sequence of frames, in any chunking, to their content", () => decodesAnyFrames({}, 150));

  it("a changed byte in a raw block of a frame with a checksum is found, naming the frame and offset", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frameSpec, { minLength: 1, maxLength: 3 }), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (specs, pickFrame, pickByte, delta) => {
        const i = pickFrame % specs.length;
        specs[i]!.checksum = true;
        specs[i]!.blocks[0]!.rle = false;
        const frames = specs.map(frame);
        const bytes = Uint8Array.from(frames.flatMap((f) => f.bytes));
        const start = frames.slice(0, i).reduce((n, f) => n + f.bytes.length, 0) + (specs[i]!.skippableBefore ? 8 + specs[i]!.skippableBefore!.length : 0);
        const data = specs[i]!.blocks[0]!.data;
        const at = start + 6 + 3 + (pickByte % data.length);
        bytes[at] = (bytes[at]! + delta) % 256;
        const err = await decodeAll(bytes, [17]).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(SourceError);
        expect((err as SourceError).kind).toBe("corrupt");
        expect((err as SourceError).message).toMatch(new RegExp(`zstd frame ${i + 1} decodes to bytes whose checksum is [0-9a-f]{8}, not the [0-9a-f]{8} it stores`));
      }),
      { numRuns: 100 },
    );
  });

  it("a frame that decodes to another size than its header says is corrupt", async () => {
    // Single-segment frame (descriptor 0x20 | checksum 0x04), content size 1 byte: 3.
    const content = [7, 8, 9];
    const sum = le(Number(h64Raw(Uint8Array.from(content)) & 0xffffffffn), 4);
    const good = [0x28, 0xb5, 0x2f, 0xfd, 0x24, 3, ...le(1 | (3 << 3), 3), ...content, ...sum];
    expect([...(await decodeAll(Uint8Array.from(good)))]).toEqual(content);
    const lying = good.slice();
    lying[5] = 4;
    const err = await decodeAll(Uint8Array.from(lying)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "corrupt" });
    expect((err as Error).message).toMatch(/zstd frame 1 (decodes to 3 bytes; its header says 4|.*)/);
  });

  it("a stream that stops inside a frame is truncated; garbage between frames is corrupt", async () => {
    const { bytes } = frame({ blocks: [{ rle: false, data: Uint8Array.of(1, 2, 3) }], checksum: true, skippableBefore: undefined });
    const cut = await decodeAll(Uint8Array.from(bytes.slice(0, bytes.length - 2))).catch((e: unknown) => e);
    expect(cut).toMatchObject({ kind: "truncated" });
    const junk = await decodeAll(Uint8Array.from([...bytes, 1, 2, 3, 4])).catch((e: unknown) => e);
    expect(junk).toMatchObject({ kind: "corrupt", offset: bytes.length });
    expect((junk as Error).message).toContain(`no zstd frame at compressed byte ${bytes.length} (found 01 02 03 04)`);
  });

  it("the corpus archive: one changed byte anywhere is a SourceError, or changes nothing it decodes to", async () => {
    const zst = readFixture("archives/podman-forensics.tar.zst");
    const whole = await decodeAll(zst, [4096]);
    expect(whole.length).toBe(365568);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: zst.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
        const damaged = new Uint8Array(zst);
        damaged[at] = (damaged[at]! + delta) % 256;
        // Some bits are never read (the padding of a bitstream, unused table entries): the zstd
        // tool accepts such a change too, and the bytes come out the same.
        const result = await decodeAll(damaged, [4096]).catch((e: unknown) => e);
        if (result instanceof Uint8Array) expect(Buffer.from(result).equals(Buffer.from(whole)), `byte ${at} changed the output, not noticed`).toBe(true);
        else expect(result).toBeInstanceOf(SourceError);
      }),
      { numRuns: 200 },
    );
  });
});
