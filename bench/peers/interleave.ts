// Whole commands timed side by side: ours and a peer run alternately (A B A B ...) on the same
// file, so that a change in the machine's load hits both alike. Each run records wall time (taken
// around the spawn with a millisecond clock: /usr/bin/time's %e has 10 ms steps, too coarse for
// start-up; it includes the few ms of the `time` and `timeout` wrappers, the same for every
// command) and the process's CPU time (user + sys) and peak RSS, read from /usr/bin/time. A ratio is given
// with its spread: the quartiles of the per-pair ratios (run i of one ÷ run i of the other), and a
// target is judged on the lower quartile.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface Command {
  label: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Standard input, from a file. */
  stdinFile?: string;
  cwd?: string;
  /** Exit statuses that mean success (0 unless given). */
  okStatus?: number[];
  /** Runs with TMPDIR set to a new empty folder under this one, measured with `du -sb` after the run and removed. */
  freshTmpdirUnder?: string;
}

export interface Sample {
  wall: number;
  cpu: number;
  rssMB: number;
  /** Bytes the process and its children sent to storage (/usr/bin/time's %O, 512-byte blocks: write_bytes of /proc/PID/io). */
  writeBytes: number;
  /** Bytes left in the fresh TMPDIR after the run (`freshTmpdirUnder` only). */
  tmpdirBytesAfter?: number;
}

export interface Series {
  label: string;
  samples: Sample[];
  error?: string;
}

export interface Spread {
  median: number;
  low: number;
  high: number;
}

const TIME = "/usr/bin/time";

export function canTime(): boolean {
  return existsSync(TIME);
}

/** Runs every command `runs` times in turn (after one unmeasured warm-up each, unless `warmUp` is false). */
export function interleave(commands: readonly Command[], runs: number, timeoutSeconds = 300, warmUp = true): Series[] {
  const series: Series[] = commands.map((c) => ({ label: c.label, samples: [] }));
  for (let round = warmUp ? -1 : 0; round < runs; round++) {
    commands.forEach((command, i) => {
      const s = series[i]!;
      if (s.error) return;
      const r = timeOnce(command, timeoutSeconds);
      if ("error" in r) s.error = r.error;
      else if (round >= 0) s.samples.push(r);
    });
  }
  return series;
}

function timeOnce(command: Command, timeoutSeconds: number): Sample | { error: string } {
  const stdio: ["ignore" | "pipe", "ignore", "pipe"] = ["ignore", "ignore", "pipe"];
  const tmp = command.freshTmpdirUnder === undefined ? undefined : mkdtempSync(join(command.freshTmpdirUnder, "run-"));
  const env = command.env ?? process.env;
  const input = command.stdinFile ? readFileSync(command.stdinFile) : undefined;
  const t0 = performance.now();
  const r = spawnSync(TIME, ["-f", "@@time %e %U %S %M %O", "timeout", "-s", "KILL", String(timeoutSeconds), ...command.argv], {
    env: tmp === undefined ? env : { ...env, TMPDIR: tmp },
    cwd: command.cwd,
    encoding: "utf8",
    maxBuffer: 4 << 20,
    stdio: command.stdinFile ? ["pipe", "ignore", "pipe"] : stdio,
    input,
  });
  const wall = (performance.now() - t0) / 1000;
  let tmpdirBytesAfter: number | undefined;
  if (tmp !== undefined) {
    tmpdirBytesAfter = Number(spawnSync("du", ["-sb", tmp], { encoding: "utf8" }).stdout.split("\t")[0]);
    rmSync(tmp, { recursive: true, force: true });
  }
  const line = /@@time (\S+) (\S+) (\S+) (\d+) (\d+)/.exec(r.stderr ?? "");
  if (!(command.okStatus ?? [0]).includes(r.status ?? -1) || !line) {
    const last = (r.stderr ?? "").split("\n").filter((l) => l.trim() && !l.startsWith("@@time")).pop();
    return { error: `${command.label}: exit ${r.status}${last ? `: ${last.trim()}` : ""}` };
  }
  const sample: Sample = { wall: Number(wall.toFixed(4)), cpu: Number(line[2]) + Number(line[3]), rssMB: Number(line[4]) / 1024, writeBytes: Number(line[5]) * 512 };
  return tmpdirBytesAfter === undefined ? sample : { ...sample, tmpdirBytesAfter };
}

/** Median and quartiles of `values`. */
export function spread(values: readonly number[]): Spread {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const pos = (v.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
  };
  return { median: at(0.5), low: at(0.25), high: at(0.75) };
}

/** slow ÷ fast per interleaved pair, on wall or CPU time. Undefined when either failed. */
export function ratio(slow: Series, fast: Series, on: "wall" | "cpu" = "wall"): Spread | undefined {
  const n = Math.min(slow.samples.length, fast.samples.length);
  if (slow.error || fast.error || n === 0) return undefined;
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = fast.samples[i]![on];
    // /usr/bin/time reports CPU time in 10 ms steps: a zero is "under 10 ms".
    pairs.push(slow.samples[i]![on] / Math.max(f, on === "cpu" ? 0.005 : 0.0005));
  }
  return round(spread(pairs));
}

export function seriesSummary(s: Series): { wall?: Spread; cpu?: Spread; rssMB?: number; runs: number; error?: string } {
  if (s.samples.length === 0) return { runs: 0, error: s.error ?? "no run" };
  return {
    wall: round(spread(s.samples.map((x) => x.wall))),
    cpu: round(spread(s.samples.map((x) => x.cpu))),
    rssMB: Number(Math.max(...s.samples.map((x) => x.rssMB)).toFixed(1)),
    runs: s.samples.length,
    ...(s.error ? { error: s.error } : {}),
  };
}

function round(s: Spread): Spread {
  const r = (x: number) => Number(x.toPrecision(4));
  return { median: r(s.median), low: r(s.low), high: r(s.high) };
}
