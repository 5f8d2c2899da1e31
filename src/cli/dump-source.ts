// Node-only: where the CLI's DUMP argument comes from: a dump directory, an unpacked engine
// archive (images under checkpoint/), or a checkpoint archive (tar, tar.gz, tar.zst, tar.xz,
// told by its first bytes). Nothing is extracted to disk.

import { openCheckpoint } from "../checkpoint/model/open";
import type { Checkpoint } from "../checkpoint/model/types";
import { openSource } from "../node/open-source";
import { openParentSources } from "../node/parent-sources";
import type { CheckpointSource } from "../source/source";

/** Opens DUMP for the commands that read a whole checkpoint (inspect, memparse, explore). */
export function openDumpSource(path: string): Promise<CheckpointSource> {
  return openSource(path);
}

export { openParentSources };

/**
 * The model of DUMP, with its pre-dump parents followed (a directory's `parent` link), and a
 * close for every source it opened.
 */
export async function openDumpModel(path: string): Promise<{ checkpoint: Checkpoint; close: () => Promise<void> }> {
  const source = await openDumpSource(path);
  const parents = await openParentSources(path).catch(() => []);
  const close = async () => {
    await Promise.all([source, ...parents].map((s) => s.close()));
  };
  try {
    return { checkpoint: await openCheckpoint(source, parents.length ? { parents } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
