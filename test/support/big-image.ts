import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { IMG_COMMON, imageRowByName } from "../../src/image/magic-table";

/**
 * Writes a pipes-data image holding `size` bytes of zeros as payload (pipe_id 1), in entries of
 * at most `entrySize` bytes (one entry by default; CRIU writes at most a pipe buffer, 1 MiB by
 * default, per entry). Only the entries' heads are written: the payloads are holes, so a large
 * image costs no disk.
 */
export function writeSparsePipesImage(path: string, size: number, entrySize = size): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, new Uint8Array([...u32le(IMG_COMMON), ...u32le(imageRowByName("PIPES_DATA")!.value)]));
    let pos = 8;
    for (let left = size; left > 0 || pos === 8; ) {
      const bytes = Math.min(left, entrySize);
      const message = [0x08, 0x01, 0x10, ...varint(bytes)]; // pipe_id 1, bytes
      const head = new Uint8Array([...u32le(message.length), ...message]);
      writeSync(fd, head, 0, head.length, pos);
      pos += head.length + bytes;
      left -= bytes;
    }
    ftruncateSync(fd, pos);
  } finally {
    closeSync(fd);
  }
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
