import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findBuf } from "../../src/compat/buf";
import { repoRoot } from "../support/buf";

// criu-compat needs buf only for directories of .proto files: it finds the package's own, or
// one on PATH, and says what to install when there is none.

const work = mkdtempSync(join(tmpdir(), "criu-compat-buf-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The built package with only its runtime dependency installed: no buf anywhere.
const pkg = join(work, "pkg");
cpSync(join(repoRoot, "dist"), join(pkg, "dist"), { recursive: true });
cpSync(join(repoRoot, "package.json"), join(pkg, "package.json"));
symlinkSync(join(repoRoot, "schemas"), join(pkg, "schemas"));
mkdirSync(join(pkg, "node_modules", "@bufbuild"), { recursive: true });
symlinkSync(join(repoRoot, "node_modules", "@bufbuild", "protobuf"), join(pkg, "node_modules", "@bufbuild", "protobuf"));
const protoDir = join(work, "protos");
mkdirSync(protoDir);
writeFileSync(join(protoDir, "a.proto"), 'syntax = "proto2";\nmessage a_entry { optional uint32 x = 1; }\n');
const noBufPath = dirname(process.execPath);

function compat(args: string[], cli = join(pkg, "dist", "criu-compat.js"), path = noBufPath) {
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, PATH: path } });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe("finding buf", () => {
  it("finds the package's own (its platform binary, else node_modules/.bin), else PATH, else nothing", () => {
    const native = join(repoRoot, "node_modules", "@bufbuild", `buf-${process.platform}-${process.arch}`, "bin", "buf");
    expect(findBuf(repoRoot, "")).toBe(native);
    expect(spawnSync(native, ["--version"]).stdout.toString().trim()).toBe("1.74.0");
    // Without the platform package (only the wrapper script), the wrapper.
    const wrapperOnly = join(work, "wrapper-only");
    mkdirSync(join(wrapperOnly, "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(wrapperOnly, "package.json"), "{}");
    writeFileSync(join(wrapperOnly, "node_modules", ".bin", "buf"), "#!/bin/sh\n", { mode: 0o755 });
    expect(findBuf(wrapperOnly, "")).toBe(join(wrapperOnly, "node_modules", ".bin", "buf"));
    expect(findBuf(pkg, "")).toBeUndefined();
    expect(findBuf(pkg, `${join(work, "nothing")}:${join(repoRoot, "node_modules", ".bin")}`)).toBe(join(repoRoot, "node_modules", ".bin", "buf"));
  });

  it("without buf: a directory of .proto files fails saying what to install", () => {
    const r = compat([protoDir, "criu:v4.2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${protoDir}: a directory of .proto files needs buf`);
    expect(r.stderr).toContain("npm install --save-dev @bufbuild/buf");
  });

  it("without buf: shipped releases still work", () => {
    const r = compat(["criu:v4.1", "criu:v4.2"]);
    expect(r.stderr).toBe("");
    expect([0, 100]).toContain(r.code);
  });

  it("with buf: buf's own message when it cannot build the directory", () => {
    const bad = join(work, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "b.proto"), 'syntax = "proto2";\nmessage b_entry { optional nosuchtype x = 1; }\n');
    const r = compat([bad, "criu:v4.2"], join(repoRoot, "dist", "criu-compat.js"), process.env.PATH);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/b\.proto:2:.*nosuchtype/);
  });
});
