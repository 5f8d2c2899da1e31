import type { ByteReader, ByteWriter } from "../bytes";
import { ImageError } from "../errors";

/**
 * Reads and writes one entry of an image: its message and whatever raw data follows it.
 * `index` is the entry's position in the image; `first` is entry 0 once it has been read (a
 * ghost file's first entry says whether the rest is contents or chunks).
 */
export interface EntryCodec<E = unknown> {
  read(r: ByteReader, index: number, first: E | undefined): E;
  write(w: ByteWriter, entry: E, index: number, first: E | undefined): void;
}

/** A size field of an entry as a byte count that fits in the data (bigint fields included). */
export function byteCount(r: ByteReader, value: number | bigint, what: string): number {
  const n = typeof value === "bigint" ? (value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value)) : value;
  if (r.final && n > r.remaining) {
    throw r.error("length-too-large", `${what}: ${value} bytes announced, ${r.remaining} left in the image`);
  }
  return n;
}

/** Reads zero padding after `size` bytes up to a multiple of `align`; keeps it only if not zeros. */
export function readPadding(r: ByteReader, size: number, align: number): Uint8Array | undefined {
  const pad = (align - (size % align)) % align;
  if (pad === 0) return undefined;
  const bytes = r.take(pad, `${pad} bytes of padding to a multiple of ${align}`);
  return bytes.every((b) => b === 0) ? undefined : bytes;
}

/** Writes the padding after `size` bytes: the kept bytes if any, zeros otherwise. */
export function writePadding(w: ByteWriter, size: number, align: number, kept: Uint8Array | undefined): void {
  const pad = (align - (size % align)) % align;
  if (kept && kept.length === pad) w.bytes(kept);
  else w.zeros(pad);
}

/** Checks, when encoding, that raw data is as long as the entry's size field says. */
export function checkLength(actual: number, announced: number | bigint, what: string): void {
  if (BigInt(actual) !== BigInt(announced)) {
    throw new ImageError({ kind: "bad-entry", expected: `${what} of ${announced} bytes as the entry says, not ${actual}` });
  }
}
