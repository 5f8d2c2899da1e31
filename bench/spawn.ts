// Runs child.ts in a fresh `node` per case. It is bundled first (esbuild, packages left
// external), so that the measured process holds no TypeScript loader. message-work.ts, what the
// interleaved cases time in the bench's own process, is bundled the same way and imported.

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { CaseResult, CaseSpec } from "./child";
import { repoRoot } from "./paths";

const childFile = join(repoRoot, "bench", "out", "child.mjs");

export async function bundleChild(): Promise<void> {
  await bundle("child.ts", childFile);
}

/** bench/one-pass-floor.ts bundled alone, to run as a whole command; its path. */
export async function bundleOnePassFloor(): Promise<string> {
  const file = join(repoRoot, "bench", "out", "one-pass-floor.mjs");
  await bundle("one-pass-floor.ts", file);
  return file;
}

export type MessageWork = typeof import("./message-work");

/** bench/message-work.ts, bundled and loaded. */
export async function loadMessageWork(): Promise<MessageWork> {
  const file = join(repoRoot, "bench", "out", "message-work.mjs");
  await bundle("message-work.ts", file);
  return (await import(pathToFileURL(file).href)) as MessageWork;
}

async function bundle(entry: string, outfile: string): Promise<void> {
  mkdirSync(join(repoRoot, "bench", "out"), { recursive: true });
  await build({
    entryPoints: [join(repoRoot, "bench", entry)],
    outfile,
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
