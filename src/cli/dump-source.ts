// Node-only: where the CLI's DUMP argument comes from: a dump directory, an unpacked engine
// archive (images under checkpoint/), or a checkpoint archive (tar, tar.gz, tar.zst, tar.xz,
// told by its first bytes). Nothing is extracted to disk.

import { keepTaskStrings } from "../checkpoint/model/keep-task-strings";
import { openCheckpoint } from "../checkpoint/model/open";
import type { Checkpoint } from "../checkpoint/model/types";
import { openSource } from "../node/open-source";
import { openParentSources } from "../node/parent-sources";
import type { MemberTap } from "../source/archive-pass";
import type { CheckpointSource } from "../source/source";
import { progressOnStderr, type Progress } from "./progress";

export interface DumpSourceOptions {
  /** No progress line on stderr (it is shown only on a terminal, once a pass takes a second). */
  quiet?: boolean;
  /** Given the members' bytes as the pass at open reads them (see OpenArchiveOptions.tap). */
  tap?: MemberTap;
}

/**
 * Opens DUMP for the commands that read a whole checkpoint (inspect, memparse, diff, x). Each
 * pass through a compressed archive shows its progress on stderr when that is a terminal; the
 * pass at open keeps the pages of argv and environment, so the model needs no second pass.
 */
export function openDumpSource(path: string, options: DumpSourceOptions = {}): Promise<CheckpointSource> {
  let shown: { pass: number; progress: Progress; at: number } | undefined;
  return openSource(path, {
    keepRanges: keepTaskStrings,
    ...(options.tap ? { tap: options.tap } : {}),
    onRead: (done, total, pass) => {
      if (shown?.pass !== pass) {
        shown?.progress.end();
        shown = { pass, progress: progressOnStderr(pass > 1 ? `${path} (pass ${pass})` : path, total, options.quiet ?? false), at: 0 };
      }
      shown.progress.add(done - shown.at);
      shown.at = done;
      if (done >= total) shown.progress.end();
    },
  });
}

export { openParentSources };

/**
 * The model of DUMP, with its pre-dump parents followed (a directory's `parent` link), and a
 * close for every source it opened.
 */
export async function openDumpModel(
  path: string,
  options: DumpSourceOptions = {},
): Promise<{ checkpoint: Checkpoint; parents: CheckpointSource[]; close: () => Promise<void> }> {
  const source = await openDumpSource(path, options);
  const parents = await openParentSources(path).catch((): CheckpointSource[] => []);
  const close = async () => {
    await Promise.all([source, ...parents].map((s) => s.close()));
  };
  try {
    return { checkpoint: await openCheckpoint(source, parents.length ? { parents } : {}), parents, close };
  } catch (err) {
    await close();
    throw err;
  }
}
