// Runs child.ts in a fresh `node` per case. It is bundled first (esbuild, packages left
// external), so that the measured process holds no TypeScript loader.

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { CaseResult, CaseSpec } from "./child";
import { repoRoot } from "./paths";

const childFile = join(repoRoot, "bench", "out", "child.mjs");

export async function bundleChild(): Promise<void> {
  mkdirSync(join(repoRoot, "bench", "out"), { recursive: true });
  await build({
    entryPoints: [join(repoRoot, "bench", "child.ts")],
    outfile: childFile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

export function runChild(spec: CaseSpec): CaseResult {
  const r = spawnSync(process.execPath, [childFile, JSON.stringify(spec)], {
    encoding: "utf8",
    maxBuffer: 16 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as CaseResult;
  } catch {
    const why = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    return { peakRssMB: 0, error: `child failed (${why}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}` };
  }
}
