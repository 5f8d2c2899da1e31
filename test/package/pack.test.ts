import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { installPacked, run } from "./consumer";

const tsc = join(repoRoot, "node_modules/.bin/tsc");

/** Per command: arguments that must succeed, and what the output must hold. */
const COMMAND_CHECKS: Record<string, [string[], RegExp]> = {
  crit: [["--help"], /^usage: crit /m],
  "criu-compat": [["--help"], /^usage: criu-compat /m],
  // buf asks a plugin for its spec first: the methods it serves.
  "buf-plugin-criu": [["--spec", "--format", "binary"], /\/buf\.plugin\.check\.v1\.CheckService\/Check[\s\S]*\/buf\.plugin\.check\.v1\.CheckService\/ListRules/],
};

/** The packed package installed into an empty project, as a user would. */
describe("the published package", () => {
  let work = "";
  let consumer = "";
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    ({ work, consumer } = installPacked("criu-pack-"));
  }, 300_000);

  it("ships dist, proto and docs, not the sources or tests", () => {
    const manifest = JSON.parse(readFileSync(join(consumer, "node_modules/@criu/images/package.json"), "utf8"));
    expect(manifest.name).toBe("@criu/images");
    const files = run("find", ["node_modules/@criu/images", "-type", "f"], consumer).split("\n");
    expect(files.some((f) => f.endsWith("dist/index.js"))).toBe(true);
    expect(files.some((f) => f.endsWith("proto/core.proto"))).toBe(true);
    // What README.md links to or reads in its samples.
    for (const doc of ["docs/criu-schema-history.md", "docs/compat-vs-buf.md", "sample/pipes-data.img", "sample/proc-minimal/core-26637.img"]) {
      expect(files.some((f) => f.endsWith(`@criu/images/${doc}`)), doc).toBe(true);
    }
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

  it("loads every subpath through require and through import, with the same exports", () => {
    const manifest = JSON.parse(readFileSync(join(consumer, "node_modules/@criu/images/package.json"), "utf8"));
    const subpaths = Object.keys(manifest.exports as object).filter((k) => k !== "./package.json");
    expect(subpaths).toEqual(expect.arrayContaining([".", "./node", "./compat"]));
    for (const sub of subpaths) {
      const spec = `@criu/images${sub.slice(1)}`;
      const cjs = run("node", ["-e", `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(spec)})).sort()))`], consumer);
      const esm = run("node", ["--input-type=module", "-e", `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(spec)})).sort()))`], consumer);
      expect(JSON.parse(cjs), spec).toEqual(JSON.parse(esm));
      expect(JSON.parse(cjs).length, spec).toBeGreaterThan(3);
    }
  });

  it("runs every command, from the ESM build (the installed bin) and the CommonJS build", () => {
    const pkg = join(consumer, "node_modules/@criu/images");
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
    const bins = Object.entries(manifest.bin as Record<string, string>);
    expect(bins.map(([name]) => name).sort()).toEqual(Object.keys(COMMAND_CHECKS).sort());
    for (const [name, path] of bins) {
      const twin = join(pkg, path.replace(/\.js$/, ".cjs"));
      expect(existsSync(twin), twin).toBe(true);
      for (const command of [join(consumer, "node_modules/.bin", name), twin]) {
        const [args, expected] = COMMAND_CHECKS[name]!;
        const out = execFileSync(command.endsWith(".cjs") ? "node" : command, command.endsWith(".cjs") ? [command, ...args] : args, { cwd: consumer, stdio: ["ignore", "pipe", "pipe"] });
        expect(out.toString("latin1"), `${command} ${args.join(" ")}`).toMatch(expected);
      }
    }
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
  }, 300_000); // two full tsc runs over the package's declarations, on a loaded machine
});
