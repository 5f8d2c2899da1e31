// BENCH_ONLY=payload npm run bench: only the payload images (the generated pipes-data ones, 64 MiB
// and 1 GiB; 2 and 16 MiB with BENCH_QUICK=1), their to-json and from-json cases and the two
// I/O floors, interleaved (BENCH_PAYLOAD_ROUNDS rounds, 5; 3 quick). The figures replace those cases in bench/results.json's `images` (the images' other
// cases stay), and payloadVsIoFloor goes into its `ratios` and `ratioDetails`.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { CaseName, CaseResult, CaseSpec } from "./child";
import { median } from "./measure";
import { spread, type Spread } from "./peers/interleave";
import type { Config } from "./config";
import { preparePayloadImages, type BenchImage } from "./images";
import { repoRoot } from "./paths";
import { figures, payloadRatio, printImage, type CaseFigures, type ImageFigures } from "./report";
import { bundleChild, runChild } from "./spawn";

export async function payloadOnly(config: Config, dir: string, progress: (line: string) => void, log: (line: string) => void, machine: () => unknown): Promise<void> {
  await bundleChild();
  for (const sub of ["large", "json", "out"]) mkdirSync(join(dir, sub), { recursive: true });
  const images = await preparePayloadImages(config, dir, progress);
  const measured: ImageFigures[] = [];
  const spreads: Record<string, Record<string, Spread>> = {};
  for (const image of images) {
    progress(`measuring ${image.name}`);
    const { cases, pairs } = measurePayload(image, config, dir);
    spreads[image.name] = pairs;
    const figuresOf: ImageFigures = { name: image.name, file: relative(dir, image.file), source: image.source, magic: image.magic, bytes: image.bytes, entries: image.entries, cases, checks: { ourEncodeIdentical: cases["from-json"]?.identical } };
    measured.push(figuresOf);
    printImage(figuresOf, log);
  }
  const ratio = payloadRatio(measured);
  log("");
  log(`payloadVsIoFloor ${ratio.value}   (worst: ${ratio.worst})`);
  for (const [name, value] of Object.entries(ratio.each)) log(`  ${name}: ${value}`);
  log("per-round ratios, median [lower quartile, upper quartile]:");
  for (const [image, pairs] of Object.entries(spreads)) for (const [name, s] of Object.entries(pairs)) log(`  ${image}: ${name}: ${s.median} [${s.low}, ${s.high}]`);
  const file = join(repoRoot, "bench", config.quick ? "results-quick.json" : "results.json");
  const results = (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {}) as { images?: ImageFigures[]; ratios?: Record<string, unknown>; ratioDetails?: Record<string, unknown>; payload?: unknown };
  results.images ??= [];
  for (const m of measured) {
    const kept = results.images.find((i) => i.name === m.name);
    if (kept) {
      Object.assign(kept.cases, m.cases);
      kept.checks = { ...kept.checks, ourEncodeIdentical: m.checks.ourEncodeIdentical };
    } else results.images.push(m);
  }
  (results.ratios ??= {}).payloadVsIoFloor = ratio.value;
  (results.ratioDetails ??= {}).payloadVsIoFloor = ratio;
  results.payload = { date: new Date().toISOString(), machine: machine(), quick: config.quick, perRoundRatios: spreads };
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  progress(`wrote ${file}`);
}

/**
 * to-json, from-json (checked against the image) and the two I/O floors, in rounds: each case
 * in a child of its own (a warm-up run, then timed ones), the four taking turns, so that the
 * machine's load in a round hits ours and its floor alike. Seconds are medians over the rounds;
 * `pairs` holds the quartiles of the per-round ratios.
 */
function measurePayload(image: BenchImage, config: Config, dir: string): { cases: Record<string, CaseFigures>; pairs: Record<string, Spread> } {
  const json = join(dir, "json", "payload.json");
  const out = join(dir, "out", "payload.img");
  const rounds = Number(process.env.BENCH_PAYLOAD_ROUNDS ?? (config.quick ? 3 : 5));
  // After the warm-up run, at least 2 more and 1 s (the 64 MiB cases take ~0.1 s: a single run
  // after the first is still partly unoptimised code); the median of those.
  const budget = { minSeconds: 1, minRuns: 2, maxRuns: 50, slowSeconds: Infinity };
  const plan: [label: string, name: CaseName, extra: () => Partial<CaseSpec>][] = [
    ["I/O floor, image -> JSON", "io-floor", () => ({ json: image.file, out: join(dir, "out", "floor"), outBytes: statSync(json).size })],
    ["to-json", "to-json", () => ({ out: json })],
    ["I/O floor, JSON -> image", "io-floor", () => ({ json, out: join(dir, "out", "floor"), outBytes: image.bytes })],
    ["from-json", "from-json", () => ({ json, out })],
  ];
  const results = new Map<string, CaseResult[]>(plan.map(([label]) => [label, []]));
  runChild({ case: "to-json", file: image.file, budget, out: json }); // the JSON the others need
  for (let r = 0; r < rounds && existsSync(json); r++) {
    for (const [label, name, extra] of plan) results.get(label)!.push(runChild({ case: name, file: image.file, budget, ...extra() }));
  }
  const cases: Record<string, CaseFigures> = {};
  for (const [label, list] of results) {
    const failed = list.find((r) => r.error !== undefined || r.seconds === undefined);
    const seconds = failed ? undefined : median(list.map((r) => r.seconds!));
    cases[label] = figures(image, seconds, {
      peakRssMB: Math.max(...list.map((r) => r.peakRssMB)),
      runs: list.length,
      identical: label === "from-json" ? list.every((r) => r.identical) : undefined,
      error: failed?.error,
    });
  }
  const perRound = (slow: string, fast: string): Spread => {
    const s = spread(results.get(slow)!.map((r, i) => r.seconds! / results.get(fast)![i]!.seconds!));
    return { median: Number(s.median.toFixed(3)), low: Number(s.low.toFixed(3)), high: Number(s.high.toFixed(3)) };
  };
  const pairs = {
    "to-json ÷ I/O floor, image -> JSON": perRound("to-json", "I/O floor, image -> JSON"),
    "from-json ÷ I/O floor, JSON -> image": perRound("from-json", "I/O floor, JSON -> image"),
  };
  for (const sub of ["json", "out"]) rmSync(join(dir, sub), { recursive: true, force: true });
  for (const sub of ["json", "out"]) mkdirSync(join(dir, sub), { recursive: true });
  return { cases, pairs };
}
