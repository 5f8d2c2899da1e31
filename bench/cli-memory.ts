// BENCH_ONLY=cli-memory npm run bench: the built `crit` on a 300 MiB pipes-data image (1 MiB
// entries, as CRIU writes them) through
// `show`, `decode` from a pipe and `info`, each with its wall time and peak RSS (/usr/bin/time),
// against the target of 150 MB: these commands stream large inputs, so memory stays flat.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { writeSparsePipesImage } from "../test/support/big-image";
import { repoRoot } from "./paths";

export const CLI_MEMORY_TARGET_MB = 150;

export interface CliMemoryCase {
  command: string;
  ok: boolean;
  seconds: number;
  peakRssMB: number | null;
  error?: string;
}

export function benchCliMemory(dir: string, sizeMiB = 300): { imageMiB: number; targetMB: number; cases: CliMemoryCase[] } {
  const image = join(dir, "pipes-data.img");
  // In entries of 1 MiB, as CRIU writes pipe data (one pipe buffer per entry).
  writeSparsePipesImage(image, sizeMiB << 20, 1 << 20);
  const crit = `${process.execPath} ${join(repoRoot, "dist", "crit.cjs")}`;
  const commands = [
    `${crit} show ${image} > /dev/null`,
    `cat ${image} | ${crit} decode > /dev/null`,
    `${crit} info ${image} > /dev/null`,
    `${crit} decode -i ${image} -o ${join(dir, "out.json")}`,
  ];
  return { imageMiB: sizeMiB, targetMB: CLI_MEMORY_TARGET_MB, cases: commands.map((c) => timedShell(c.replaceAll(`${dir}/`, ""), dir)) };
}

/** Runs `command` (in `cwd`) with its last process under /usr/bin/time -v. */
function timedShell(command: string, cwd: string): CliMemoryCase {
  const parts = command.split(" | ");
  const last = parts.pop()!;
  const shell = [...parts, `/usr/bin/time -v ${last}`].join(" | ");
  const start = process.hrtime.bigint();
  const r = spawnSync("sh", ["-c", shell], { cwd, encoding: "utf8", maxBuffer: 1 << 20, stdio: ["ignore", "ignore", "pipe"] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const result: CliMemoryCase = { command, ok: r.status === 0, seconds, peakRssMB: rss ? Math.round(Number(rss[1]) / 102.4) / 10 : null };
  if (r.status !== 0) result.error = r.stderr.split("\n").find((l) => l.startsWith("crit:")) ?? `exit ${r.status}`;
  return result;
}
