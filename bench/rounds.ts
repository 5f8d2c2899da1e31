// What the interleaved in-process cases (encode-messages.ts, decode-messages.ts) share: samples
// gathered per file and label over the rounds, their spreads, one timed run.

import { now } from "./measure";
import { spread, type Sample, type Series, type Spread } from "./peers/interleave";

/** Samples per file (by index) and label, in the order of the rounds. */
export function roundSeries(files: number): { series: Map<string, Series>[]; add: (file: number, label: string, s: Sample) => void } {
  const series = Array.from({ length: files }, () => new Map<string, Series>());
  const add = (file: number, label: string, s: Sample) => {
    const m = series[file]!;
    if (!m.has(label)) m.set(label, { label, samples: [] });
    m.get(label)!.samples.push(s);
  };
  return { series, add };
}

/** Median and quartiles of wall and CPU time per label. */
export function spreadsByLabel(m: Map<string, Series>): { wall: Record<string, Spread>; cpu: Record<string, Spread> } {
  const wall: Record<string, Spread> = {};
  const cpu: Record<string, Spread> = {};
  for (const [label, s] of m) {
    wall[label] = rounded(spread(s.samples.map((x) => x.wall)));
    cpu[label] = rounded(spread(s.samples.map((x) => x.cpu)));
  }
  return { wall, cpu };
}

/** One run's wall and CPU time (user + sys of this process). */
export async function timeRun(run: () => unknown): Promise<Sample> {
  const cpu = process.cpuUsage();
  const t = now();
  await run();
  const wall = now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1e6, rssMB: 0, writeBytes: 0 };
}

/** slow ÷ fast per pair of runs of the same round. */
export function pairRatios(slow: Series, fast: Series): { wall: Spread; cpu: Spread } {
  const n = Math.min(slow.samples.length, fast.samples.length);
  const on = (k: "wall" | "cpu") => rounded(spread(Array.from({ length: n }, (_, i) => slow.samples[i]![k] / Math.max(fast.samples[i]![k], 1e-6))));
  return { wall: on("wall"), cpu: on("cpu") };
}

export function show(s: Spread): string {
  return `${s.median} [${s.low}, ${s.high}]`;
}

export function rounded(s: Spread): Spread {
  const r = (x: number) => Number(x.toPrecision(4));
  return { median: r(s.median), low: r(s.low), high: r(s.high) };
}

export function mb(n: number): number {
  return Number((n / 1e6).toFixed(2));
}
