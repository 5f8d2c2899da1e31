import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder: the nearest one up with package.json and proto/ (this file may be bundled into bench/out/). */
export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The real checkpoints of the test corpus. */
export const corpusRoot = join(repoRoot, "test", "fixtures", "corpus");

function findRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "package.json")) && existsSync(join(d, "proto"))) return d;
    if (dirname(d) === d) throw new Error(`no repository root above ${dir}`);
  }
}
