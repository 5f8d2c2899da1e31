import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBinary, toJsonString, createRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, describe, expect, it } from "vitest";
import { compareSchemas, loadDescriptorSet, schemaModel } from "../../src/compat/index";
import { file_opts } from "../../src/gen/opts_pb";

// Every form of input gives the same schema: a directory, .binpb, .json, path@ref in git.

describe("inputs", () => {
  const work = mkdtempSync(join(tmpdir(), "criu-compat-inputs-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: work, stdio: "pipe" });

  mkdirSync(join(work, "protos"));
  const v1 = 'syntax = "proto2";\nmessage M {\n  optional int32 a = 1;\n}\n';
  const v2 = 'syntax = "proto2";\nmessage M {\n  optional int32 a = 1;\n  required int32 b = 2;\n}\n';
  writeFileSync(join(work, "protos", "m.proto"), v1);
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "v1");
  writeFileSync(join(work, "protos", "m.proto"), v2);
  git("commit", "-q", "-am", "v2");

  it("reads path@ref from git and a directory, with line numbers", () => {
    const old = schemaModel(loadDescriptorSet("protos@HEAD~1", work));
    const now = schemaModel(loadDescriptorSet("protos", work));
    const findings = compareSchemas(old, now);
    expect(findings.map((f) => [f.rule, f.path, f.location?.file, f.location?.line])).toEqual([["FIELD_REQUIRED_ADDED", "M.b", "m.proto", 4]]);
  });

  it("reads .binpb and .json descriptor sets, (criu) options included", () => {
    const set = loadDescriptorSet("criu:v4.2");
    writeFileSync(join(work, "v42.binpb"), toBinary(FileDescriptorSetSchema, set));
    writeFileSync(join(work, "v42.json"), toJsonString(FileDescriptorSetSchema, set, { registry: createRegistry(file_opts) }));
    const model = schemaModel(set);
    for (const file of ["v42.binpb", "v42.json"]) {
      const other = schemaModel(loadDescriptorSet(file, work));
      expect(compareSchemas(model, other)).toEqual([]);
      expect(other.messages.get("vma_entry")?.byName.get("start")?.criu).toEqual({ hex: true });
    }
  });

  it("reads path@ref in a bare repository, a linked worktree and from a subdirectory", () => {
    const expected = compareSchemas(schemaModel(loadDescriptorSet("protos@HEAD~1", work)), schemaModel(loadDescriptorSet("protos@HEAD", work)));
    expect(expected.map((f) => f.rule)).toEqual(["FIELD_REQUIRED_ADDED"]);
    const bare = join(work, "bare.git");
    git("clone", "-q", "--bare", ".", bare);
    const tree = join(work, "tree");
    git("worktree", "add", "-q", "--detach", tree, "HEAD");
    const sub = join(tree, "protos");
    for (const [old, now, cwd] of [
      ["protos@HEAD~1", "protos@HEAD", bare],
      ["protos@HEAD~1", "protos@HEAD", tree],
      [".@HEAD~1", ".@HEAD", sub],
      ["../protos@HEAD~1", "../protos@HEAD", sub],
    ] as const) {
      const findings = compareSchemas(schemaModel(loadDescriptorSet(old, cwd)), schemaModel(loadDescriptorSet(now, cwd)));
      expect(findings, `${old} in ${cwd}`).toEqual(expected);
    }
    expect(() => loadDescriptorSet("../../x@HEAD", sub)).toThrow(/outside the git repository/);
    expect(() => loadDescriptorSet("protos@HEAD", tmpdir())).toThrow(/cannot read protos at HEAD/);
  });

  it("names a missing input", () => {
    expect(() => loadDescriptorSet("no-such-dir", work)).toThrow(/no such file/);
    expect(() => loadDescriptorSet("protos@no-such-ref", work)).toThrow(/cannot read protos at no-such-ref/);
  });
});
