// Test helper: a directory on disk as a CheckpointSource (via sourceFromFiles), read whole into
// memory. Fixture directories are small; `prefix` puts a folder's files under a member folder,
// e.g. a corpus images/ folder as "checkpoint/" beside Podman's metadata files.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { sourceFromFiles } from "../../src/source/files";
import type { CheckpointSource } from "../../src/source/source";

/** Every regular file under `dir`, keyed by its '/'-separated path below it, with `prefix` before. */
export function readTree(dir: string, prefix = "", into = new Map<string, Uint8Array>()): Map<string, Uint8Array> {
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) readTree(abs, `${prefix}${name}/`, into);
    else into.set(`${prefix}${name}`, new Uint8Array(readFileSync(abs)));
  }
  return into;
}

/** Several folders joined into one source: [[dir, prefix], ...]. */
export function sourceFromDirs(parts: readonly (readonly [string, string])[], label = parts[0]?.[0] ?? "<dirs>"): CheckpointSource {
  const files = new Map<string, Uint8Array>();
  for (const [dir, prefix] of parts) readTree(dir, prefix, files);
  return sourceFromFiles(files, label);
}
