import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../support/buf";
import { findCriu } from "./criu-binary";

// `crit criu version|check`, the built bin (dist/ is built by the global setup), as a user runs it.
const bin = join(repoRoot, "dist/crit.cjs");
const criu = findCriu();

function crit(args: string[]) {
  const r = spawnSync(process.execPath, [bin, "criu", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("crit criu", () => {
  it("--help, and a usage error for an unknown action", () => {
    expect(crit(["--help"]).stdout).toMatch(/^usage: crit criu/);
    const bad = crit(["frobnicate"]);
    // A usage error, as for every crit command: exit 2, the message, then the command's usage.
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^crit: criu: expected version or check, not "frobnicate"\nusage: crit criu/);
    expect(crit(["version", "--timeout-ms", "soon"]).stderr).toMatch(/--timeout-ms wants a positive number/);
  });

  it("a missing binary: one line naming it, exit status 1", () => {
    const r = crit(["version", "--binary", "/nonexistent/criu"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("crit: CRIU binary not found or not executable: /nonexistent/criu (ENOENT)\n");
  });

  it.skipIf(criu.skip !== undefined)("version and check against the real CRIU", () => {
    const version = crit(["version", "--binary", criu.binary!]);
    expect(version.stderr).toBe("");
    expect(version.stdout).toMatch(/^Version: 4\.\d+(\.\d+)?\nGitID: v4\./);
    const check = crit(["check", "--binary", criu.binary!]);
    expect(check).toMatchObject({ code: 0, stdout: "Looks good.\n" });
  });
});
