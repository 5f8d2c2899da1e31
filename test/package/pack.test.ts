import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";

const tsc = join(repoRoot, "node_modules/.bin/tsc");
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });

/** npm pack (dist/ is built by the global setup), then install the tarball into an empty project, as a user would. */
describe("the published package", () => {
  const work = mkdtempSync(join(tmpdir(), "criu-pack-"));
  const consumer = join(work, "consumer");
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], repoRoot));
    const tarball = join(work, packed[0].filename as string);
    run("mkdir", ["-p", consumer], work);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], consumer);
  }, 300_000);

  it("ships dist, proto and docs, not the sources or tests", () => {
    const manifest = JSON.parse(readFileSync(join(consumer, "node_modules/@criu/images/package.json"), "utf8"));
    expect(manifest.name).toBe("@criu/images");
    const files = run("find", ["node_modules/@criu/images", "-type", "f"], consumer).split("\n");
    expect(files.some((f) => f.endsWith("dist/index.js"))).toBe(true);
    expect(files.some((f) => f.endsWith("proto/core.proto"))).toBe(true);
    expect(files.some((f) => f.includes("/test/") || f.includes("/src/"))).toBe(false);
  });

  it("gives the schemas through import", () => {
    const out = run("node", ["--input-type=module", "-e", `
      import { core_entrySchema, criuOptions } from "@criu/images";
      const vaddr = (await import("@criu/images")).pagemap_entrySchema.field.vaddr;
      console.log(core_entrySchema.typeName, criuOptions(vaddr).hex);`], consumer);
    expect(out.trim()).toBe("core_entry true");
  });

  it("gives the Node helpers at @criu/images/node, sharing the library's classes", () => {
    const esm = run("node", ["--input-type=module", "-e", `
      import { readImageFile } from "@criu/images/node";
      import { ImageError } from "@criu/images";
      try { await readImageFile("package.json"); } catch (e) { console.log(e instanceof ImageError, e.kind); }`], consumer);
    expect(esm.trim()).toBe("true bad-magic");
    const cjs = run("node", ["-e", `
      const { readImageFile } = require("@criu/images/node");
      const { ImageError } = require("@criu/images");
      readImageFile("package.json").catch((e) => console.log(e instanceof ImageError, e.kind));`], consumer);
    expect(cjs.trim()).toBe("true bad-magic");
  });

  it("gives the schemas through require", () => {
    const out = run("node", ["-e", `
      const m = require("@criu/images");
      console.log(m.criu_reqSchema.typeName, m.criuRegistry.getMessage("pstree_entry").fields.length);`], consumer);
    expect(out.trim()).toBe("criu_req 5");
  });

  it("type-checks a NodeNext TypeScript consumer (ESM and CJS)", () => {
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({
      compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ["esm.mts", "cjs.cts"],
    }));
    const body = `
      import { create, toBinary } from "@bufbuild/protobuf";
      import { pstree_entrySchema, type pstree_entry } from "@criu/images";
      const entry: pstree_entry = create(pstree_entrySchema, { pid: 1, ppid: 0, pgid: 1, sid: 1, threads: [1] });
      const bytes: Uint8Array = toBinary(pstree_entrySchema, entry);
      export const size: number = bytes.length;`;
    writeFileSync(join(consumer, "esm.mts"), body);
    writeFileSync(join(consumer, "cjs.cts"), body);
    expect(() => run(tsc, ["-p", "."], consumer)).not.toThrow();
    writeFileSync(join(consumer, "esm.mts"), body.replace("pid: 1,", 'pid: "one",'));
    expect(() => run(tsc, ["-p", "."], consumer)).toThrow();
  });
});
