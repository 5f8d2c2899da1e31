import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { inReadmeTerms, readmeSamples } from "./readme-samples";

// Every ```ts block of README.md is compiled, as its own ES module, against the built package
// (dist/, made by the global setup) the way a consumer sees it: `@criu/images` resolved through
// package.json's exports, NodeNext, strict. Blocks run from the repository root (their files are
// under sample/) unless they carry a `// not run` comment. See README's Development section.

const samples = readmeSamples(readFileSync(join(repoRoot, "README.md"), "utf8"));
const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
/** A file that must not compile: proves that errors are seen. */
const BROKEN = "broken.mts";

describe("README.md's TypeScript samples", () => {
  const work = mkdtempSync(join(tmpdir(), "criu-readme-"));
  let messages = "";
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    const modules = join(work, "node_modules");
    mkdirSync(join(modules, "@criu"), { recursive: true });
    symlinkSync(repoRoot, join(modules, "@criu/images"), "dir");
    for (const dep of ["@bufbuild", "@types"]) symlinkSync(join(repoRoot, "node_modules", dep), join(modules, dep), "dir");
    writeFileSync(join(work, "package.json"), JSON.stringify({ name: "readme-samples", private: true, type: "module" }));
    writeFileSync(join(work, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM"],
        strict: true, types: ["node"], skipLibCheck: false, outDir: "out", rootDir: ".",
      },
      include: ["*.mts"],
    }));
    for (const s of samples) writeFileSync(join(work, s.file), s.code);
    writeFileSync(join(work, BROKEN), 'import { decodeImage } from "@criu/images";\nexport const n: number = decodeImage;\n');
    const result = spawnSync(process.execPath, [tsc, "-p", "."], { cwd: work, encoding: "utf8" });
    messages = inReadmeTerms(result.stdout + result.stderr);
  }, 300_000);

  it("finds the blocks, some of them runnable", () => {
    expect(samples.length).toBeGreaterThan(3);
    expect(samples.some((s) => s.run)).toBe(true);
  });

  it("reports type errors (a deliberately wrong file is caught)", () => {
    expect(messages).toMatch(/broken\.mts\(2,14\): error TS2322/);
  });

  it("type-check against the package's types", () => {
    const errors = messages.split("\n").filter((l) => l.trim() !== "" && !l.includes(BROKEN));
    expect(errors.join("\n")).toBe("");
  });

  it.each(samples.filter((s) => s.run).map((s) => [s.line, s] as const))("run: the block at README.md line %i", (_, sample) => {
    const script = join(work, "out", sample.file.replace(/\.mts$/, ".mjs"));
    expect(() => execFileSync(process.execPath, [script], { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })).not.toThrow();
  });
});
