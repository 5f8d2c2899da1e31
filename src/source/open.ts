// Opening a checkpoint archive from what a browser (or Node) holds: a File/Blob, bytes, a stream.
// The format is told by the first bytes, never by a name.

import { openArchive, openArchiveStream, type OpenArchiveOptions } from "./archive";
import { SourceError, type CheckpointSource } from "./source";

/**
 * A pass reads a Blob in slices this large, the next one while the current one is decoded:
 * blob.stream() hands out 64 KiB to 1 MiB chunks, and in Chromium's workers costs about twice the
 * CPU per byte of 4 MiB slices (bench/explorer-profile.ts).
 */
const BLOB_PASS_CHUNK = 4 << 20;

/**
 * A checkpoint archive in a Blob (a browser File): a plain tar is read by ranges (blob.slice);
 * a compressed one is read in passes of Blob slices.
 */
export function sourceFromBlob(blob: Blob, name?: string, options?: OpenArchiveOptions): Promise<CheckpointSource> {
  const label = name ?? ((blob as { name?: unknown }).name as string | undefined) ?? "<blob>";
  const readAt = async (offset: number, length: number) => {
    try {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    } catch (err) {
      throw new SourceError("io", label, `the Blob refused a read: ${err instanceof Error ? err.message : String(err)}`, undefined, offset);
    }
  };
  return openArchive({ label, length: blob.size, readAt, replay: () => slicesAhead(readAt, blob.size) }, options);
}

/** The bytes [0, size) in BLOB_PASS_CHUNK reads, each started while the one before is consumed. */
async function* slicesAhead(readAt: (offset: number, length: number) => Promise<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  const start = (at: number) => {
    if (at >= size) return undefined;
    const read = readAt(at, Math.min(BLOB_PASS_CHUNK, size - at));
    read.catch(() => {}); // awaited below; a pass stopped early leaves it unawaited
    return read;
  };
  let next = start(0);
  for (let at = 0; next !== undefined; at += BLOB_PASS_CHUNK) {
    const chunk = await next;
    next = start(at + BLOB_PASS_CHUNK);
    yield chunk;
  }
}

/** A checkpoint archive already in memory. */
export function sourceFromBytes(bytes: Uint8Array, name = "<bytes>", options?: OpenArchiveOptions): Promise<CheckpointSource> {
  return openArchive(
    {
      label: name,
      length: bytes.length,
      readAt: async (offset, length) => bytes.subarray(offset, offset + length),
      replay: async function* () {
        for (let at = 0; at < bytes.length; at += 1 << 20) yield bytes.subarray(at, at + (1 << 20));
      },
    },
    options,
  );
}

/**
 * A checkpoint archive arriving as a stream, read once: the pass at open keeps every member up to
 * 8 MiB (256 MiB of them in all) and larger members until they reach 512 MiB in all (options.keep
 * changes both). A member it did not keep cannot be read afterwards (SourceError "unsupported");
 * open a File/Blob instead to read archives with larger page images.
 */
export function sourceFromStream(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  name = "<stream>",
  options?: OpenArchiveOptions,
): Promise<CheckpointSource> {
  return openArchiveStream(stream, name, options);
}

/** A checkpoint archive from a Blob/File, bytes or a stream (Node's `@criu/images/node` also takes paths). */
export function openSource(
  input: Blob | Uint8Array | ReadableStream<Uint8Array>,
  name?: string,
  options?: OpenArchiveOptions,
): Promise<CheckpointSource> {
  if (input instanceof Uint8Array) return sourceFromBytes(input, name, options);
  if (typeof Blob !== "undefined" && input instanceof Blob) return sourceFromBlob(input, name, options);
  return sourceFromStream(input as ReadableStream<Uint8Array>, name, options);
}
