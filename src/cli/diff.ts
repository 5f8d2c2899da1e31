// `crit diff A B`: opens both checkpoints as `crit inspect` does, compares them, prints.

import { diffCheckpoints } from "../checkpoint/diff/diff";
import type { RenderOptions } from "../checkpoint/diff/checkpointctl-view";
import { diffJson } from "../checkpoint/diff/render-json";
import { renderDiffText } from "../checkpoint/diff/render-text";
import type { MemoryDumpOptions } from "../checkpoint/memory/dump";
import type { CheckpointSource } from "../source/source";
import { openDumpModel } from "./dump-source";
import { writeOutput } from "./output";

export async function diff(pathA: string, pathB: string, options: RenderOptions, format: "tree" | "json", quiet = false): Promise<void> {
  const a = await openDumpModel(pathA, { quiet });
  try {
    const b = await openDumpModel(pathB, { quiet });
    try {
      const result = await diffCheckpoints(a.checkpoint, b.checkpoint, {
        pages: options.memory === true,
        memoryA: memoryOptions(a.parents),
        memoryB: memoryOptions(b.parents),
      });
      await writeOutput(undefined, format === "json" ? `${JSON.stringify(diffJson(result, options), null, 2)}\n` : renderDiffText(result, options));
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
  }
}

/** A dump directory's parents (its parent link, followed); an archive's are its parent/ members, found by the reader. */
function memoryOptions(parents: CheckpointSource[]): MemoryDumpOptions {
  return parents.length > 0 ? { parents } : {};
}
