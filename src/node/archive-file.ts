// Node-only: a checkpoint archive file (tar, tar.gz, tar.zst, tar.xz; told by its first bytes).
// A plain tar is indexed and read by ranges; a compressed one is read in bounded passes
// (src/source/archive.ts). Nothing is extracted to disk.

import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { openArchive, type OpenArchiveOptions } from "../source/archive";
import { nodeDecoders } from "./decoders";
import { SourceError, type CheckpointSource } from "../source/source";

/** Raw bytes are read from the file in chunks of this size. */
const READ_CHUNK = 256 << 10;

export interface ArchiveFileOptions extends OpenArchiveOptions {
  /**
   * Called as a compressed archive is read through (each pass from the start of the file):
   * bytes of the file read so far in this pass, the file's size, and the pass number from 1.
   */
  onRead?: (done: number, total: number, pass: number) => void;
}

export async function openArchiveFile(path: string, options?: ArchiveFileOptions): Promise<CheckpointSource> {
  const fail = (err: unknown, offset?: number) =>
    err instanceof SourceError ? err : new SourceError("io", path, `the file system refused: ${(err as Error).message}`, undefined, offset);
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw fail(err);
  }
  const file = handle;
  try {
    const { size } = await file.stat();
    const readInto = async (offset: number, into: Uint8Array): Promise<Uint8Array> => {
      let bytesRead;
      try {
        ({ bytesRead } = await file.read(into, 0, into.length, offset));
      } catch (err) {
        throw fail(err, offset);
      }
      return bytesRead === into.length ? into : into.subarray(0, bytesRead);
    };
    let pass = 0;
    const onRead = options?.onRead;
    return await openArchive(
      {
        label: path,
        length: size,
        readAt: (offset, length) => readInto(offset, new Uint8Array(length)),
        readInto,
        replay: () => rawChunks(path, fail, onRead && ((done) => onRead(done, size, pass)), () => pass++),
        close: () => file.close(),
      },
      { ...options, decoders: { ...nodeDecoders(), ...options?.decoders } },
    );
  } catch (err) {
    await file.close();
    throw err;
  }
}

async function* rawChunks(path: string, fail: (err: unknown) => SourceError, onRead: ((done: number) => void) | undefined, started: () => void): AsyncGenerator<Uint8Array> {
  started();
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  let done = 0;
  try {
    for await (const chunk of stream) {
      done += (chunk as Buffer).length;
      onRead?.(done);
      yield chunk as Buffer;
    }
  } catch (err) {
    throw fail(err);
  } finally {
    stream.destroy();
  }
}
