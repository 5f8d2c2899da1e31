import { truncateSync, writeFileSync } from "node:fs";
import { IMG_COMMON, imageRowByName } from "../../src/image/magic-table";

/**
 * Writes a pipes-data image of one entry (pipe_id 1) with `size` bytes of zeros as its payload,
 * made sparse (truncate), so that a large image costs no disk.
 */
export function writeSparsePipesImage(path: string, size: number): void {
  const message = [0x08, 0x01, 0x10, ...varint(size)]; // pipe_id 1, bytes
  const head = [...u32le(IMG_COMMON), ...u32le(imageRowByName("PIPES_DATA")!.value), message.length, 0, 0, 0, ...message];
  writeFileSync(path, new Uint8Array(head));
  truncateSync(path, head.length + size);
}

function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
