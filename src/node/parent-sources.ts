// The pre-dump chain behind a dump directory: its `parent` link, the parent's own link, and so on.

import { statSync } from "node:fs";
import type { CheckpointSource } from "../source/source";
import { openSource } from "./open-source";
import { parentDumpDir } from "./pages";

/**
 * The sources of a dump directory's pre-dump parents, nearest first (for `openCheckpoint` and
 * the memory reader's `parents`). An archive has none outside itself: [] (its parents, if any,
 * are members under `parent/`). A dangling link ends the chain, as CRIU then restores without
 * the parent's pages.
 */
export async function openParentSources(path: string): Promise<CheckpointSource[]> {
  const out: CheckpointSource[] = [];
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return out;
  const seen = new Set<string>();
  for (let dir = parentDumpDir(path); dir !== undefined && !seen.has(dir) && out.length < 64; dir = parentDumpDir(dir)) {
    seen.add(dir);
    try {
      out.push(await openSource(dir));
    } catch {
      break;
    }
  }
  return out;
}
