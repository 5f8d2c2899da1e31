// `crit diff A B`: opens both checkpoints as `crit inspect` does, compares them, prints.

import { diffCheckpoints } from "../checkpoint/diff/diff";
import type { RenderOptions } from "../checkpoint/diff/checkpointctl-view";
import { diffJson } from "../checkpoint/diff/render-json";
import { renderDiffText } from "../checkpoint/diff/render-text";
import { openCheckpoint } from "../checkpoint/model/open";
import type { MemoryDumpOptions } from "../checkpoint/memory/dump";
import { openDumpSource, openParentSources } from "./dump-source";
import { writeOutput } from "./output";

export async function diff(pathA: string, pathB: string, options: RenderOptions, format: "tree" | "json"): Promise<void> {
  const sourceA = await openDumpSource(pathA);
  try {
    const sourceB = await openDumpSource(pathB);
    try {
      const [a, b] = await Promise.all([openCheckpoint(sourceA), openCheckpoint(sourceB)]);
      const result = await diffCheckpoints(a, b, {
        pages: options.memory === true,
        memoryA: await memoryOptions(pathA),
        memoryB: await memoryOptions(pathB),
      });
      await writeOutput(undefined, format === "json" ? `${JSON.stringify(diffJson(result, options), null, 2)}\n` : renderDiffText(result, options));
    } finally {
      await sourceB.close();
    }
  } finally {
    await sourceA.close();
  }
}

/** A dump directory's parent link, followed; an archive's parents are its parent/ members, found by the reader. */
async function memoryOptions(path: string): Promise<MemoryDumpOptions> {
  const parents = await openParentSources(path);
  return parents.length > 0 ? { parents } : {};
}
