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

/**
 * How long the CPU is kept busy before each timed run (BENCH_WARM_MS, default 300 ms). On this
 * machine's VM a CPU that has slept (the bench waiting for a peer's process, or between rounds)
 * runs slower for its next few hundred milliseconds: a fixed integer loop took 137–146 ms right
 * after another, 156–250 ms after a 2–3 s sleep, 137–160 ms after the sleep and 300 ms of
 * spinning; image → JSON of mm (pretty) took 250–280 ms with spinning between runs and 390–450
 * ms with 3 s sleeps (bench/README.md). Our runs are short (0.05–0.5 s) and would be timed mostly
 * at the lower speed, while the peer's take seconds.
 */
const WARM_MS = Number(process.env.BENCH_WARM_MS ?? 300);

/** Keeps this thread's CPU busy for WARM_MS (before a timed run, ours or a peer's). */
export function warmCpu(): void {
  const end = now() + WARM_MS / 1000;
  while (now() < end);
}

/**
 * One round's sample of a short run (ours, a floor): after warmCpu, `runs` back-to-back runs
 * (BENCH_ROUND_RUNS overrides), each timed (wall, and CPU: user + sys of this process), and the
 * one with the median wall time. The peer's one run takes seconds and so averages over the
 * machine's passing slow spells; one run of ours (0.05–0.5 s) is a point in them: in a decode
 * run with one run per round, ours took 0.077–0.157 s on the same file from round to round.
 */
export async function timeRun(run: () => unknown, runs: number): Promise<Sample> {
  return medianSample(await timeRuns(run, runs));
}

/** timeRun's runs, every sample. */
async function timeRuns(run: () => unknown, runs: number): Promise<Sample[]> {
  warmCpu();
  const n = Math.max(1, Number(process.env.BENCH_ROUND_RUNS ?? runs));
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const cpu = process.cpuUsage();
    const t = now();
    await run();
    const wall = now() - t;
    const used = process.cpuUsage(cpu);
    samples.push({ wall, cpu: (used.user + used.system) / 1e6, rssMB: 0, writeBytes: 0 });
  }
  return samples;
}

/** The sample with the median wall time (of an even number, the slower of the two middle ones). */
function medianSample(samples: Sample[]): Sample {
  return samples.sort((a, b) => a.wall - b.wall)[samples.length >> 1]!;
}

/**
 * A round's sample of ours around the peer's one run (`peer`, when the round has one): timeRun's
 * runs before it and as many after, the median of them all. The peer's run takes seconds and
 * averages over the machine's slow spells; ours, timed only after it, met whatever spell came
 * next: in a decode run, core pretty took 0.155–0.248 s from round to round, crit 6.4–10.0 s,
 * and one pair's ratio was 26 where the others were 37–45.
 */
export async function aroundPeer(run: () => unknown, runs: number, peer: (() => void) | undefined): Promise<Sample> {
  const samples = await timeRuns(run, runs);
  if (peer === undefined) return medianSample(samples);
  peer();
  return medianSample([...samples, ...(await timeRuns(run, runs))]);
}

/**
 * The machine's speed at this moment: milliseconds for a fixed integer loop (5·10^7 turns, about
 * 25 ms on a quiet machine here), after warmCpu. The interleaved cases record one per round, so
 * that a reader can tell a slow spell of the machine (this VM has run the loop 2–10× slower for
 * an hour at a time) from a slow change.
 */
export function speedProbe(): number {
  warmCpu();
  const t = now();
  probeLoop(5e7);
  return Number(((now() - t) * 1000).toFixed(1));
}

function probeLoop(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + i * 7) | 0;
  return x;
}

/** slow ÷ fast per pair of runs of the same round. */
export function pairRatios(slow: Series, fast: Series): { wall: Spread; cpu: Spread } {
  const n = Math.min(slow.samples.length, fast.samples.length);
  const on = (k: "wall" | "cpu") => rounded(spread(Array.from({ length: n }, (_, i) => slow.samples[i]![k] / Math.max(fast.samples[i]![k], 1e-6))));
  return { wall: on("wall"), cpu: on("cpu") };
}

/** The item whose spread has the smallest lower quartile (items without one left out): what a target is judged on. */
export function smallestLow<T>(items: readonly T[], spreadOf: (item: T) => Spread | undefined, name: (item: T) => string): { low: number; worst: string } | null {
  let found: { low: number; worst: string } | null = null;
  for (const item of items) {
    const s = spreadOf(item);
    if (s && (found === null || s.low < found.low)) found = { low: s.low, worst: name(item) };
  }
  return found;
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
