// Hand-built zstd streams for tests: frames of raw and RLE blocks with every field written
// here (so decoders are checked against the format, not against themselves), optional content
// checksums and skippable frames, fed in any chunking.
import fc from "fast-check";
import { expect } from "vitest";
import xxhash from "xxhash-wasm";
import { decompress, type PlatformDecoders } from "../../src/source/decompress";

export const { h64Raw } = await xxhash();

export interface FrameSpec {
  blocks: { rle: boolean; data: Uint8Array }[];
  checksum: boolean;
  skippableBefore: Uint8Array | undefined;
}

export const le = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => Math.floor(n / 256 ** i) % 256);

/** A zstd frame of raw / RLE blocks: magic, descriptor (no single segment, window 1 MiB), blocks, checksum. */
export function frame(spec: FrameSpec): { bytes: number[]; content: number[] } {
  const out: number[] = [];
  const content: number[] = [];
  if (spec.skippableBefore) out.push(...le(0x184d2a53, 4), ...le(spec.skippableBefore.length, 4), ...spec.skippableBefore);
  out.push(0x28, 0xb5, 0x2f, 0xfd, spec.checksum ? 0x04 : 0x00, 0x50); // window 2^(10+10)
  spec.blocks.forEach((b, i) => {
    const last = i === spec.blocks.length - 1 ? 1 : 0;
    const header = last | ((b.rle ? 1 : 0) << 1) | (b.data.length << 3);
    out.push(...le(header, 3));
    if (b.rle) {
      out.push(b.data[0] ?? 0);
      for (let k = 0; k < b.data.length; k++) content.push(b.data[0] ?? 0);
    } else {
      out.push(...b.data);
      content.push(...b.data);
    }
  });
  if (spec.checksum) out.push(...le(Number(h64Raw(Uint8Array.from(content)) & 0xffffffffn), 4));
  return { bytes: out, content };
}

export const frameSpec = fc.record({
  blocks: fc.array(fc.record({ rle: fc.boolean(), data: fc.uint8Array({ minLength: 1, maxLength: 300 }) }), { minLength: 1, maxLength: 4 }),
  checksum: fc.boolean(),
  skippableBefore: fc.option(fc.uint8Array({ maxLength: 20 }), { nil: undefined }),
});

export async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** Everything `bytes` decompresses to, fed in chunks of the given sizes (cycled). */
export async function decodeAll(bytes: Uint8Array, sizes: number[] = [bytes.length || 1], decoders: PlatformDecoders = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of decompress("zstd", chunked(bytes, sizes), "test.zst", decoders)) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** The property: any sequence of frames, in any chunking, decodes to its content. */
export async function decodesAnyFrames(decoders: PlatformDecoders, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(frameSpec, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }), async (specs, sizes) => {
      const frames = specs.map(frame);
      const bytes = Uint8Array.from(frames.flatMap((f) => f.bytes));
      expect([...(await decodeAll(bytes, sizes, decoders))]).toEqual(frames.flatMap((f) => f.content));
    }),
    { numRuns },
  );
}
