// Node-only: a checkpoint from a path (a dump directory or an archive file), or anything the
// browser-safe openSource takes (Blob, bytes, a web stream).

import { stat } from "node:fs/promises";
import { openSource as openInMemory } from "../source/open";
import { SourceError, type CheckpointSource } from "../source/source";
import { openArchiveFile, type ArchiveFileOptions } from "./archive-file";
import { openDirectorySource } from "./directory-source";
import { nodeDecoders } from "./decoders";

export async function openSource(
  input: string | Blob | Uint8Array | ReadableStream<Uint8Array>,
  options?: ArchiveFileOptions,
): Promise<CheckpointSource> {
  if (typeof input !== "string") return openInMemory(input, undefined, { ...options, decoders: { ...nodeDecoders(), ...options?.decoders } });
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(input)).isDirectory();
  } catch (err) {
    throw new SourceError("io", input, (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (err as Error).message);
  }
  return isDirectory ? openDirectorySource(input) : openArchiveFile(input, options);
}
