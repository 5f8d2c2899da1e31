// Node-only: where the CLI's DUMP argument comes from: a dump directory, an unpacked engine
// archive (images under checkpoint/), or a checkpoint archive (tar, tar.gz, tar.zst, tar.xz,
// told by its first bytes). Nothing is extracted to disk.

import { openSource } from "../node/open-source";
import type { CheckpointSource } from "../source/source";

/** Opens DUMP for the commands that read a whole checkpoint (inspect, memparse, explore). */
export function openDumpSource(path: string): Promise<CheckpointSource> {
  return openSource(path);
}
