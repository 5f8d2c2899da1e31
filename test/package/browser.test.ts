import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";

const dist = join(repoRoot, "dist");
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every module specifier imported by an ESM file of dist/ and the chunks it pulls in. */
function importsOf(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readFileSync(join(dist, file), "utf8");
  const specs = [...text.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)].map((m) => m[1] ?? m[2]!);
  return specs.flatMap((s) => (s.startsWith("./") ? [s, ...importsOf(s.slice(2), seen)] : [s]));
}

describe("the main entry point runs in a browser", () => {
  it("imports no Node built-in, directly or through its chunks", () => {
    const specs = importsOf("index.js");
    expect(specs).toContain("@bufbuild/protobuf");
    expect(specs.filter((s) => builtins.has(s))).toEqual([]);
  });

  it("while the Node entry point does use them (so the check can fail)", () => {
    expect(importsOf("node.js").some((s) => builtins.has(s))).toBe(true);
  });
});
