import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { critBin } from "../support/crit";

// dist/crit.cjs starts the bundle through V8's code cache (src/cli/launch.ts). Whatever the
// cache's state, crit answers the same.
const image = join(repoRoot, "test/fixtures/corpus/proc-minimal/images/pstree.img");
const expected = '{\n    "magic": "PSTREE",\n    "count": 1\n}\n';
const work = mkdtempSync(join(tmpdir(), "crit-cache-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function info(cacheHome: string, extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
  delete env.CRIT_NO_CODE_CACHE;
  Object.assign(env, extra);
  const r = spawnSync(process.execPath, [critBin, "info", image], { env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheFiles = (home: string): string[] => {
  try {
    return readdirSync(join(home, "criu-images"));
  } catch {
    return [];
  }
};

describe("crit's code cache", () => {
  it("is written after the first run, then used, with the same output", () => {
    const home = join(work, "fresh");
    expect(info(home)).toEqual({ code: 0, stdout: expected, stderr: "" });
    const files = cacheFiles(home);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^crit-${process.version}-${process.arch}-\\d+-\\d+\\.v8cache$`));
    const cache = readFileSync(join(home, "criu-images", files[0]!));
    expect(cache.length).toBeGreaterThan(1000);
    expect(info(home)).toEqual({ code: 0, stdout: expected, stderr: "" });
    // Accepted, so not written again.
    expect(readFileSync(join(home, "criu-images", files[0]!)).equals(cache)).toBe(true);
  });

  it("replaces a damaged cache", () => {
    const home = join(work, "damaged");
    expect(info(home).code).toBe(0);
    const file = join(home, "criu-images", cacheFiles(home)[0]!);
    writeFileSync(file, "not a cache");
    expect(info(home)).toEqual({ code: 0, stdout: expected, stderr: "" });
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  });

  it("is skipped with CRIT_NO_CODE_CACHE, or when the directory cannot be written", () => {
    const off = join(work, "off");
    expect(info(off, { CRIT_NO_CODE_CACHE: "1" })).toEqual({ code: 0, stdout: expected, stderr: "" });
    expect(cacheFiles(off)).toEqual([]);
    const blocked = join(work, "blocked");
    writeFileSync(blocked, "");
    chmodSync(blocked, 0o444);
    // A file where the directory should be: nothing can be made under it, root or not.
    expect(info(blocked)).toEqual({ code: 0, stdout: expected, stderr: "" });
  });
});
