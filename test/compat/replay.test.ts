import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { releaseDescriptorSet } from "../../src/compat/inputs";
import { replayDirectory } from "../../src/compat/replay";
import { repoRoot } from "../support/buf";
import { fixturePath } from "../support/fixtures";

// Replay of real images: a CRIU 4.1 and a CRIU 4.2 dump, every image decoded under the v4.1 and
// the v4.2 schema. The pagemap change of v4.2 (field 2 renamed compat_nr_pages, a new uint64
// nr_pages = 5) is the only difference, and it shows in both dumps.

const [v41, v42] = [releaseDescriptorSet("v4.1"), releaseDescriptorSet("v4.2")];
const images = (scenario: string) => fixturePath(`corpus/${scenario}/images`);

describe("replay of real images under two revisions", () => {
  it("a CRIU 4.1 dump: pagemap's field 2 is nr_pages under v4.1, compat_nr_pages under v4.2", () => {
    const r = replayDirectory(images("old-v4.1-basic"), v41, v42);
    expect(r.images.length).toBeGreaterThan(10);
    expect(r.skipped.map((s) => s.file)).toEqual(["pages-1.img"]);
    expect(r.differences.map((d) => [d.file.replace(/\d+/, "N"), d.message, d.key, d.old, d.new])).toEqual([
      ["pagemap-N.img", "pagemap_entry", "nr_pages", "1", "(absent)"],
      ["pagemap-N.img", "pagemap_entry", "compat_nr_pages", "(absent)", "1"],
    ]);
  });

  it("a CRIU 4.2 dump: v4.1 tools read the zero CRIU 4.2 writes into field 2 as nr_pages", () => {
    const r = replayDirectory(images("old-v4.2-basic"), v41, v42);
    const pagemap = r.differences.filter((d) => d.message === "pagemap_entry");
    expect(pagemap.map((d) => [d.key, d.old, d.new])).toEqual([
      ["nr_pages", "0", '"1"'],
      ["compat_nr_pages", "(absent)", "0"],
    ]);
    expect(r.differences).toEqual(pagemap);
  });

  it("the same schema twice: no differences", () => {
    expect(replayDirectory(images("old-v4.2-basic"), v42, v42).differences).toEqual([]);
  });

  it("criu-compat --replay DIR OLD NEW prints them and exits 100", () => {
    const r = spawnSync(process.execPath, [join(repoRoot, "dist", "criu-compat.js"), "--replay", images("old-v4.1-basic"), "criu:v4.1", "criu:v4.2"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(100);
    expect(r.stdout).toMatch(/pagemap-\d+\.img: pagemap_entry nr_pages: criu:v4\.1 1, criu:v4\.2 \(absent\) \(11 entries\)/);
    expect(r.stdout).toMatch(/16 images, 48 messages decoded under both revisions; 2 differences; skipped pages-1\.img\n$/);
  });
});
