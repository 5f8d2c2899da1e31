// `crit diff A B` as a user runs it: text in checkpointctl's layout, JSON, exit statuses.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { fixturePath } from "../support/fixtures";

const bin = join(repoRoot, "dist/crit.cjs");
const crit = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};
const A = fixturePath("archives/podman-forensics.tar.zst");
const B = fixturePath("diff/forensics-mutated-b.tar.zst");

describe("crit diff", () => {
  it("prints no change for a checkpoint against itself, exit 0", () => {
    const r = crit(["diff", "--files", "--sockets", A, A]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("┌─ Process Tree ───────────────────────────────────────────────┐\n│ = No change\n");
    expect(r.stdout).toMatch(/Summary:\nCheckpoint comparison for container corpus-fx\n$/);
  });

  it("prints the changes in checkpointctl's layout, with what it misses, exit 0", () => {
    const r = crit(["diff", "--files", "--sockets", "--ps-tree-env", "--memory", A, B]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("║ ID:        5e1433bac4be0afbc1660c1772757073adbbe13fc76206b4... ║\n");
    expect(r.stdout).toContain("│ Removed:\n│   - PID 7     fx-grandchild\n│ Modified:\n│   ~ PID 1     forensics\n│       env ~ APP_MODE=forensics → APP_MODE=forensicX\n");
    expect(r.stdout).toContain("│       comm: fx-child → fx-kid\n");
    expect(r.stdout).toContain("│  -  1     TCP   LISTEN       127.0.0.1:7070        -\n");
    expect(r.stdout).toContain("│ PID 1: 22 → 22 resident pages, 1 changed\n");
    expect(r.stdout).toMatch(/Processes: \+0 -1 ~2\nFiles: \+0 -7\nSockets: \+0 -2\n$/);
  });

  it("prints JSON with checkpointctl's keys", () => {
    const r = crit(["diff", "--format", "json", "--memory", A, B]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { container_name: string; process_changes: { removed: { pid: number }[] }; memory_changes: { tasks: { pid: number; pages: { changed: string[] } }[] } };
    expect(j.container_name).toBe("corpus-fx");
    expect(j.process_changes.removed.map((p) => p.pid)).toEqual([7]);
    expect(j.memory_changes.tasks.map((t) => [t.pid, t.pages.changed.length])).toEqual([[1, 1], [6, 1]]);
  });

  it("refuses bad usage with exit 2, and an unreadable checkpoint with exit 1", () => {
    expect(crit(["diff", A]).code).toBe(2);
    const bad = crit(["diff", "--format", "yaml", A, A]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("--format must be tree or json")]);
    const missing = crit(["diff", A, join(repoRoot, "no-such-dump")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no-such-dump");
  });
});
