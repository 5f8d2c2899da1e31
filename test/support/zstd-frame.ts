// A zstd frame made of raw and RLE blocks, for tests only (no zstd encoder is needed at test time):
// real framing the decoder must walk, in blocks of the sizes the test picks.

import { concatBytes } from "../../src/image/bytes";

const MAX_BLOCK = 128 << 10;

function blockHeader(last: boolean, type: 0 | 1, size: number): Uint8Array {
  const value = (last ? 1 : 0) | (type << 1) | (size << 3);
  return Uint8Array.of(value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff);
}

/** `bytes` as one zstd frame (2 MiB window, no checksum) in blocks of at most `blockSize` bytes. */
export function zstdFrame(bytes: Uint8Array, blockSize = MAX_BLOCK): Uint8Array {
  const size = Math.max(1, Math.min(blockSize, MAX_BLOCK));
  const parts: Uint8Array[] = [Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58)];
  if (bytes.length === 0) parts.push(blockHeader(true, 0, 0));
  for (let at = 0; at < bytes.length; at += size) {
    const block = bytes.subarray(at, at + size);
    const last = at + size >= bytes.length;
    if (block.every((b) => b === block[0])) parts.push(blockHeader(last, 1, block.length), block.subarray(0, 1));
    else parts.push(blockHeader(last, 0, block.length), block);
  }
  return concatBytes(parts);
}
