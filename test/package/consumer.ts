import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../support/buf";

export const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });

/**
 * npm pack (dist/ is built by the global setup), then install the tarball into an empty project,
 * as a user would, with `extra` packages beside it (e.g. "@bufbuild/protobuf@2.5.0").
 * Returns the scratch directory (remove it when done) and the consumer project in it.
 */
export function installPacked(prefix: string, extra: string[] = []): { work: string; consumer: string } {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const consumer = join(work, "consumer");
  const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], repoRoot));
  const tarball = join(work, packed[0].filename as string);
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, ...extra], consumer);
  return { work, consumer };
}
