// Opening a checkpoint archive from what a browser (or Node) holds: a File/Blob, bytes, a stream.
// The format is told by the first bytes, never by a name.

import { chunksOf } from "./byte-input";
import { openArchive, openArchiveStream, type OpenArchiveOptions } from "./archive";
import { SourceError, type CheckpointSource } from "./source";

/**
 * A checkpoint archive in a Blob (a browser File): a plain tar is read by ranges (blob.slice);
 * a compressed one is read in passes over blob.stream().
 */
export function sourceFromBlob(blob: Blob, name?: string, options?: OpenArchiveOptions): Promise<CheckpointSource> {
  const label = name ?? ((blob as { name?: unknown }).name as string | undefined) ?? "<blob>";
  return openArchive(
    {
      label,
      length: blob.size,
      readAt: async (offset, length) => {
        try {
          return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
        } catch (err) {
          throw new SourceError("io", label, `the Blob refused a read: ${err instanceof Error ? err.message : String(err)}`, undefined, offset);
        }
      },
      replay: () => chunksOf(blob.stream() as ReadableStream<Uint8Array>),
    },
    options,
  );
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
