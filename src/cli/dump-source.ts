// Node-only: where the CLI's DUMP argument comes from: a dump directory, an unpacked engine
// archive (images under checkpoint/), or a checkpoint archive (tar, tar.gz, tar.zst, tar.xz,
// told by its first bytes). Nothing is extracted to disk.

import { statSync } from "node:fs";
import { parentDumpDir } from "../node/pages";
import { openSource } from "../node/open-source";
import type { CheckpointSource } from "../source/source";

/** Opens DUMP for the commands that read a whole checkpoint (inspect, memparse, explore). */
export function openDumpSource(path: string): Promise<CheckpointSource> {
  return openSource(path);
}

/** The sources of the dump's pre-dump parents (its `parent` link, then the parent's...), nearest first. */
export async function openParentSources(path: string): Promise<CheckpointSource[]> {
  const out: CheckpointSource[] = [];
  // An archive carries no parent link: its parents, if any, are members under parent/.
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return out;
  const seen = new Set<string>();
  for (let dir = parentDumpDir(path); dir !== undefined && !seen.has(dir) && out.length < 64; dir = parentDumpDir(dir)) {
    seen.add(dir);
    try {
      out.push(await openDumpSource(dir));
    } catch {
      break; // a dangling parent link: CRIU then restores without the parent's pages, and so do we
    }
  }
  return out;
}
