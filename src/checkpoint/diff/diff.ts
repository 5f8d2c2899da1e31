// diffCheckpoints: what changed from checkpoint A to checkpoint B, as data.

import type { MemoryDumpOptions } from "../memory/dump";
import type { Checkpoint } from "../model/types";
import { diffFiles } from "./files";
import { diffMemory } from "./memory";
import { countEnvironment, countThreads, diffProcesses } from "./processes";
import { diffSockets } from "./sockets";
import type { CheckpointDiff, CheckpointSide, DiffOptions } from "./types";

export interface DiffSources {
  /** How to open each checkpoint's memory (its pre-dump parents, page size); see MemoryDumpOptions. */
  memoryA?: MemoryDumpOptions;
  memoryB?: MemoryDumpOptions;
}

/**
 * Compares two checkpoints (of one container, or any two dumps): processes by pid, open files
 * by pid and fd, sockets by pid and fd, memory maps by start address and, unless
 * `options.pages` is false, the bytes of every page both hold. Never throws for differences;
 * a task whose pages cannot be read gets `pages.error`.
 */
export async function diffCheckpoints(a: Checkpoint, b: Checkpoint, options: DiffOptions & DiffSources = {}): Promise<CheckpointDiff> {
  const chunkPages = options.chunkPages ?? 256;
  if (!Number.isSafeInteger(chunkPages) || chunkPages < 1) throw new RangeError(`diffCheckpoints: chunkPages must be a positive integer, not ${chunkPages}`);
  const pages =
    options.pages === false
      ? undefined
      : { chunkPages, dumpA: options.memoryA, dumpB: options.memoryB, onProgress: options.onProgress, signal: options.signal };
  const sa = side(a);
  const sb = side(b);
  return {
    a: sa,
    b: sb,
    sameContainer: sa.container && sb.container ? sa.container.id === sb.container.id : null,
    processes: diffProcesses(a.tasks, b.tasks),
    files: diffFiles(a.tasks, b.tasks),
    sockets: diffSockets(a.tasks, b.tasks),
    memory: { pagesBytesChange: sb.pagesBytes - sa.pagesBytes, tasks: await diffMemory(a, b, pages) },
  };
}

function side(cp: Checkpoint): CheckpointSide {
  const e = cp.engine;
  return {
    label: cp.source.label,
    container: !e ? null : { name: e.containerName, id: e.id, image: e.image, created: e.created },
    checkpointBytes: cp.sizes.checkpoint,
    pagesBytes: cp.sizes.memoryPages,
  };
}

/** How many things differ, per part; all zero when the checkpoints are alike. */
export function countChanges(d: CheckpointDiff): { processes: number; files: number; sockets: number; maps: number; pages: number } {
  const p = d.processes;
  let maps = 0;
  let pages = 0;
  for (const t of d.memory.tasks) {
    maps += t.maps.added.length + t.maps.removed.length + t.maps.resized.length + t.maps.changed.length;
    if (t.pages) pages += t.pages.changed.length + t.pages.onlyInA + t.pages.onlyInB + (t.pages.error ? 1 : 0);
  }
  return {
    processes: p.added.length + p.removed.length + p.changed.length,
    files: d.files.opened.length + d.files.closed.length + d.files.changed.length,
    sockets: d.sockets.added.length + d.sockets.removed.length + d.sockets.changed.length,
    maps,
    pages,
  };
}

export { countEnvironment, countThreads };
