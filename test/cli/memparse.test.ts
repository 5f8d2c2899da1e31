import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { corpusDir } from "../support/corpus";

// The built `crit` bin (dist/ is built by the global setup), run as a user would.
const bin = join(repoRoot, "dist/crit.cjs");
const crit = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};
const dump = `${corpusDir}podman-forensics/images`;
const checkpointctl = (name: string) => readFileSync(`${corpusDir}podman-forensics/checkpointctl/${name}`, "utf8");

describe("crit memparse", () => {
  it("prints checkpointctl's size table for a dump directory", () => {
    const r = crit(["memparse", dump]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(checkpointctl("memparse.txt").replace("podman-forensics.tar.zst", dump));
    expect(r.stderr).toBe(""); // no progress when stderr is not a terminal
  });

  it("searches every task without --pid, with context, as text and JSON", () => {
    const text = crit(["memparse", dump, "--search", "needle-7c1e-in-heap", "--context", "2"]);
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n").slice(2, 4)).toEqual([
      "1     000000001f4d5200   heap rw- +0x3200 (lazy)   ..needle-7c1e-in-heap..   1",
      "1     000000001f4d5ff9   heap rw- +0x3ff9 (lazy)   ..needle-7c1e-in-heap..   2",
    ]);
    const json = JSON.parse(crit(["memparse", dump, "--search-hex", "50415448", "--format", "json"]).stdout) as { pid: number; address: string; mapping: { kind: string } }[];
    expect(json.map((h) => [h.pid, h.address, h.mapping.kind])).toEqual([1, 6, 7].map((pid) => [pid, "0x7ffdd22b0f35", "stack"]));
  });

  it("finds both copies of the needle in the directory and in every archive kind, plain tar included", () => {
    const archives = join(repoRoot, "test/fixtures/archives");
    const tmp = mkdtempSync(join(tmpdir(), "memparse-kinds-"));
    try {
      const tar = join(tmp, "podman-forensics.tar");
      writeFileSync(tar, gunzipSync(readFileSync(join(archives, "podman-forensics.tar.gz"))));
      for (const input of [dump, tar, ...["tar.gz", "tar.zst", "tar.xz"].map((k) => join(archives, `podman-forensics.${k}`))]) {
        const r = crit(["memparse", input, "-s", "needle-7c1e-in-heap", "--format", "json", "-q"]);
        expect(r.code, input).toBe(0);
        const hits = JSON.parse(r.stdout) as { pid: number; address: string; mapping: { kind: string } }[];
        expect(hits.map((h) => [h.pid, h.address, h.mapping.kind]), input).toEqual([
          [1, "0x1f4d5200", "heap"],
          [1, "0x1f4d5ff9", "heap"],
        ]);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("prints a task's hexdump, and its rows as JSON", () => {
    const text = crit(["memparse", dump, "-p", "7"]);
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n").slice(0, 9).join("\n")).toBe(checkpointctl("memparse-pid7.txt").replace("podman-forensics.tar.zst", dump).split("\n").slice(0, 9).join("\n"));
    const json = JSON.parse(crit(["memparse", dump, "-p", "7", "--format", "json"]).stdout) as { pid: number; rows: { address?: string; hex?: string }[] };
    expect(json.pid).toBe(7);
    expect(json.rows[0]).toEqual({ address: "0x401000", hex: "4883ec0848c7c00000000048 85c07402".replace(" ", "") });
  });

  it("follows the parent link of a pre-dump chain", () => {
    const chain = `${corpusDir}old-v4.1-predump/images`;
    const r = crit(["memparse", chain, "-p", "2580"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("not in the dump");
  });

  it("fails with one line for a missing task, two searches, a bad regex or bad hex", () => {
    for (const args of [
      ["-p", "99", "-s", "x"],
      ["-p", "99"],
      ["-s", "a", "-r", "b"],
      ["-r", "("],
      ["--search-hex", "abc"],
      ["--format", "yaml"],
    ]) {
      const r = crit(["memparse", dump, ...args]);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(/^crit: .+\n$/);
    }
  });
});
