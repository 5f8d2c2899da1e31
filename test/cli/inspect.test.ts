// `crit inspect` and `crit x DUMP sk` as a user runs them, on an unpacked Podman checkpoint and
// on a plain dump directory.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { corpusDir } from "../support/corpus";
import { fixturePath } from "../support/fixtures";

const bin = join(repoRoot, "dist/crit.cjs");
const crit = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};

// The archive's layout: engine files at the top, the images under checkpoint/.
const work = mkdtempSync(join(tmpdir(), "crit-inspect-"));
const unpacked = join(work, "podman-forensics");
cpSync(fixturePath("podman/forensics/engine"), unpacked, { recursive: true });
cpSync(`${corpusDir}podman-forensics/images`, join(unpacked, "checkpoint"), { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("crit inspect", () => {
  it("prints checkpointctl's summary tree", () => {
    const r = crit(["inspect", unpacked]);
    expect(r.code).toBe(0);
    const expected = readFileSync(fixturePath("podman/forensics/checkpointctl/inspect.txt"), "utf8");
    expect(r.stdout).toBe(expected.replace("from podman-forensics.tar.zst", `from ${unpacked}`));
  });

  it("prints JSON with --all --format json, jq-style keys included", () => {
    const r = crit(["inspect", "--all", "--format", "json", unpacked]);
    expect(r.code).toBe(0);
    const [node] = JSON.parse(r.stdout) as { container_name: string; process_tree: { children: { pid: number }[] }; sockets: unknown[] }[];
    expect(node!.container_name).toBe("corpus-fx");
    expect(node!.process_tree.children.map((c) => c.pid)).toEqual([6]);
    expect(node!.sockets).toHaveLength(3);
  });

  it("inspects a plain dump directory", () => {
    const r = crit(["inspect", "--ps-tree-cmd", `${corpusDir}proc-tcp/images`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/└── Process tree\n    └── \[\d+\]  \S/);
  });

  it("follows a dump directory's parent link for command lines held by the pre-dump", () => {
    const r = crit(["inspect", "--ps-tree-cmd", `${corpusDir}old-v4.1-predump/images`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[2583]  /srv/corpus-work/old-bin/old-mem shared");
    expect(r.stdout).not.toContain("Warnings");
  });

  it("fails with one line naming the pid, or what is missing", () => {
    const r = crit(["inspect", "-p", "4242", unpacked]);
    expect([r.code, r.stderr]).toEqual([1, "crit: no process with PID 4242 (use `inspect --ps-tree` to view all PIDs)\n"]);
    const empty = crit(["inspect", work]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^crit: .*crit-inspect-.*: no CRIU images .* it holds \d+ files \(podman-forensics\/checkpoint\/cgroup\.img, /);
  });
});

describe("crit x", () => {
  it("explores the images under checkpoint/ as crit does in the folder", () => {
    const inFolder = crit(["x", `${corpusDir}podman-forensics/images`, "fds"]);
    const inArchive = crit(["x", unpacked, "fds"]);
    expect(inArchive).toEqual({ ...inFolder });
    expect(inArchive.stdout).toBe(readFileSync(`${corpusDir}podman-forensics/crit/x-fds.txt`, "utf8"));
  });

  it("prints go-criu's socket explorer with sk", () => {
    const r = crit(["x", unpacked, "sk"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(fixturePath("explore-sk/podman-forensics.x-sk.json"), "utf8"));
  });
});
