import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";

// The criu-compat command, run from source with tsx (it has no dist entry yet).

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/criu-compat.ts", ...args], { cwd: repoRoot, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("criu-compat", () => {
  it("exits 100 with text findings on criu:v4.1 → criu:v4.2", () => {
    const r = run("criu:v4.1", "criu:v4.2");
    expect(r.code).toBe(100);
    expect(r.stdout).toContain("pagemap.proto:1:1: json FIELD_RENAMED pagemap_entry.compat_nr_pages");
    expect(r.stdout).toContain("FIELD_NAME_REUSED pagemap_entry.nr_pages");
    expect(r.stdout).toMatch(/0 breaking, 2 JSON-only, 2 compatible/);
  });

  it("--readers and --directions narrow the verdicts; a closed-enum value added is a re-encode hazard", () => {
    // v3.18 → v3.19 adds SKIP to criu_network_lock_method: only protobuf-es re-encodes lose it.
    const every = run("criu:v3.18", "criu:v3.19", "--format", "json");
    const skip = every.stdout.split("\n").find((l) => l.includes("criu_network_lock_method.SKIP"));
    expect(JSON.parse(skip!).severity).toBe("reencode");
    const pbc = run("criu:v3.18", "criu:v3.19", "--readers", "protobuf-c", "--directions", "backward", "--format", "json");
    expect(pbc.stdout).not.toContain("criu_network_lock_method.SKIP");
    // The text names the selected reader's own effect, not the others'.
    const es = run("criu:v3.18", "criu:v3.19", "--readers", "protobuf-es");
    expect(es.stdout).toContain("old protobuf-es readers keep it as an unknown field and drop it on re-encode");
    expect(es.stdout).not.toMatch(/upb|protobuf-c/);
    expect(run("criu:v3.18", "criu:v3.19", "--readers", "protoc").code).toBe(1);
    expect(run("criu:v3.18", "criu:v3.19", "--directions", "sideways").stderr).toMatch(/unknown direction "sideways"/);
  });

  it("prints NDJSON shaped like buf's --error-format json", () => {
    const r = run("criu:v3.4", "criu:v3.5", "--format", "json");
    expect(r.code).toBe(100);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        path: "stats.proto",
        start_line: 1,
        type: "FIELD_REQUIRED_ADDED",
        element: "dump_stats_entry.pages_lazy",
        severity: "breaking",
        verdicts: { backward: { protobuf_c: "error", upb: "error", protobuf_es: "error" }, forward: { protobuf_c: "unknown", upb: "unknown", protobuf_es: "unknown" } },
      }),
    ]);
  });

  it("prints GitHub annotations", () => {
    const r = run("criu:v4.0", "criu:v4.1", "--format", "github");
    expect(r.stdout).toContain("::error file=core.proto,line=1,col=1,title=ENUM_VALUE_ADDED_REQUIRED core_entry.march.RISCV64::");
  });

  it("exits 0 when nothing breaks, or everything that does is ignored", () => {
    expect(run("criu:v4.1", "criu:v4.1.1").code).toBe(0);
    expect(run("criu:v4.1", "criu:v4.2", "--ignore", "pagemap_entry").code).toBe(0);
    const byRule = run("criu:v4.1", "criu:v4.2", "--ignore", "FIELD_RENAMED", "--ignore", "FIELD_NAME_REUSED=pagemap_entry.nr_pages");
    expect(byRule.code).toBe(0);
    expect(run("criu:v4.1", "criu:v4.2", "--ignore", "FIELD_RENAMED").code).toBe(100);
    // A re-encode hazard alone (SKIP added to a closed enum, v3.18 → v3.19) does not fail.
    const reencode = run("criu:v3.18", "criu:v3.19", "--ignore", "FIELD_DEFAULT_CHANGED", "--ignore", "ENUM_VALUE_ADDED_REQUIRED");
    expect(reencode.stdout).toMatch(/0 breaking, 0 JSON-only, 1 re-encode hazard/);
    expect(reencode.code).toBe(0);
  });

  it("compares proto/ with the shipped v4.2 schema and finds nothing", () => {
    const r = run("criu:v4.2", "proto", "--all");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("0 breaking, 0 JSON-only, 0 compatible");
  });

  it("fails with status 1 and one line on a bad input", () => {
    const r = run("criu:v9.9", "criu:v4.2");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^criu-compat: no shipped CRIU release v9\.9/);
    expect(run("only-one").code).toBe(1);
    expect(run("criu:v4.1", "criu:v4.2", "--format", "xml").code).toBe(1);
  });

  it("prints the release matrix as markdown", () => {
    const r = run("--release-matrix");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("## v4.1.1 → v4.2");
  });
});
