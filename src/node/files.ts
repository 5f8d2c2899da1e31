// Node-only: reading and writing image files. The file's base name is passed to the codec, both
// for error messages and because raw images (pages-N.img...) are recognised by name only.

import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { decodeImage, type DecodeOptions } from "../image/decode";
import { encodeImage } from "../image/encode";
import type { AnyImage, CriuImage } from "../image/entries";
import type { ImageMagic } from "../image/magic-table";
import { openImageStream, type AnyImageStream, type CriuImageStream, type ReadIntoSource, type StreamOptions } from "../image/stream";

/** Reads and decodes an image file that must be of type `expect`. */
export function readImageFile<M extends ImageMagic>(path: string, options: { expect: M }): Promise<CriuImage<M>>;
/** Reads and decodes a whole image file. */
export function readImageFile(path: string, options?: { expect?: ImageMagic }): Promise<AnyImage>;
export async function readImageFile(path: string, options: { expect?: ImageMagic } = {}): Promise<unknown> {
  const bytes = asBytes(await readFile(path));
  const decodeOptions: DecodeOptions & { expect?: ImageMagic } = { fileName: basename(path), ...options };
  return decodeImage(bytes, decodeOptions);
}

/** openImageStream's options; the file name is the path's. */
export type FileStreamOptions = Omit<StreamOptions, "fileName">;

/**
 * Opens an image file for streaming decode (see openImageStream). With `reuseBuffers`, entries
 * are read into one reused buffer: memory stays at about the largest entry, and each entry's
 * Uint8Arrays are valid only until the next entry is asked for.
 */
export function openImageFileStream<M extends ImageMagic>(path: string, options: FileStreamOptions & { expect: M }): Promise<CriuImageStream<M>>;
export function openImageFileStream(path: string, options?: FileStreamOptions): Promise<AnyImageStream>;
export async function openImageFileStream(path: string, options: FileStreamOptions = {}): Promise<unknown> {
  // Each entry is read straight into a buffer of its own (see ReadIntoSource).
  return openImageStream(await openReadIntoFile(path), { fileName: basename(path), ...options });
}

/**
 * A file as a ReadIntoSource (read from the start, with its size); closed by `close()`, which
 * openImageStream calls when done. Reads past the end give 0.
 */
export async function openReadIntoFile(path: string): Promise<ReadIntoSource & { close(): Promise<void> }> {
  const handle = await open(path, "r");
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (err) {
    await handle.close();
    throw err;
  }
  let closed = false;
  return {
    readInto: async (target: Uint8Array) => (closed ? 0 : (await handle.read(target, 0, target.length, null)).bytesRead),
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
    size,
  };
}

/**
 * Encodes `image` and writes it to `path` atomically: the bytes go to a temporary file in the
 * same directory (so that the rename stays on one file system), which is flushed to disk and
 * then renamed over `path`. On any error the temporary file is removed and `path` is untouched.
 */
export async function writeImageFile(path: string, image: AnyImage): Promise<void> {
  // Encoding first: a bad entry must fail before anything touches the disk.
  await writeFileAtomic(path, encodeImage(image, { fileName: basename(path) }));
}

/**
 * Writes bytes to `path` whole or not at all (temporary file, flush, rename). Given chunks, it
 * writes them as they come: an error from the chunks' source leaves `path` untouched too.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let written = false;
  try {
    // "wx": never follow or clobber something already at the temporary name.
    const handle = await open(temp, "wx", 0o644);
    try {
      if (bytes instanceof Uint8Array) await handle.writeFile(bytes);
      else for await (const chunk of bytes) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    written = true;
  } finally {
    if (!written) await unlink(temp).catch(() => undefined);
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename itself durable. Best effort: some systems cannot fsync a directory. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file is in place either way; only durability across a crash is weaker.
  }
}

/** A Node Buffer's bytes as a plain Uint8Array view (no copy: files can be large). */
export function asBytes(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
