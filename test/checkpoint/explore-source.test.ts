// crit's explorers over any CheckpointSource, and go-criu's socket explorer (`x sk`).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exploreFds, exploreMems, explorePs, exploreRss } from "../../src/checkpoint/explore";
import { readDumpSource } from "../../src/checkpoint/explore-source";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { exploreSk } from "../../src/checkpoint/views/explore-sk";
import { openDumpDir } from "../../src/node/dump-dir";
import { corpusDir, scenarios } from "../support/corpus";
import { fixturePath } from "../support/fixtures";
import { sourceFromDirs } from "../support/source-dir";

const EXPLORERS = { ps: explorePs, fds: exploreFds, mems: exploreMems, rss: exploreRss };
const run = (f: () => string) => {
  try {
    return f();
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
};

describe("crit's explorers on a checkpoint source", () => {
  it.each(scenarios())("%s: the same text with the images under checkpoint/ as in the folder", async (name) => {
    const dir = `${corpusDir}${name}/images`;
    const dump = await readDumpSource(sourceFromDirs([[dir, "checkpoint/"]], name));
    for (const [what, explorer] of Object.entries(EXPLORERS)) {
      expect(run(() => explorer(dump)), what).toBe(run(() => explorer(openDumpDir(dir))));
    }
  });
});

describe("crit x sk", () => {
  it.each(scenarios())("%s: go-criu's output byte for byte", async (name) => {
    const expected = fixturePath(`explore-sk/${name}.x-sk.json`);
    expect(existsSync(expected)).toBe(true);
    const cp = await openCheckpoint(sourceFromDirs([[`${corpusDir}${name}/images`, ""]], name));
    expect(exploreSk(cp)).toBe(readFileSync(expected, "utf8"));
  });
});
