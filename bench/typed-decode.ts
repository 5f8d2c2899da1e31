// The typed-decode case interleaved (`BENCH_ONLY=typed-decode npm run bench`; part of the full
// run, left out with BENCH_SKIP=typed-decode): our decodeImage and protobufjs (the schema parsed
// from proto/ at run time) decode every message of the generated pagemap, files, mm and core
// images, each in a fresh child (bench/child.ts, the run's budget: a warm-up run, then runs for
// two seconds, their median), taking turns for BENCH_TYPED_ROUNDS rounds (5; 2 quick). The full
// run's own cases time each once, minutes apart, and the ratio moved from 1.24 to 1.68 between
// runs on pagemap; here `typedDecodeVsProtobufjs` is the smallest lower quartile of protobufjs ÷
// ours per pair, as for the other interleaved ratios. Writes bench/results-typed[-quick].json.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseName } from "./child";
import type { Config } from "./config";
import { prepareMessageImages } from "./images";
import type { Reporting } from "./message-cases";
import { repoRoot } from "./paths";
import type { Spread } from "./peers/interleave";
import { pairRatios, roundSeries, show, smallestLow, spreadsByLabel } from "./rounds";
import { bundleChild, runChild } from "./spawn";

export interface TypedFileFigures {
  image: string;
  /** Seconds per decode of the whole image (each child's median), over the rounds. */
  seconds: Record<string, Spread>;
  /** protobufjs ÷ ours, per interleaved pair. */
  ratio: Spread;
}

export interface TypedFigures {
  rounds: number;
  files: TypedFileFigures[];
  typedDecodeVsProtobufjs: { low: number; worst: string } | null;
}

const CASES: [string, CaseName][] = [
  ["ours", "decode"],
  ["protobufjs", "protobufjs"],
];

export async function typedDecodeCase(config: Config, dir: string, r: Reporting): Promise<TypedFigures> {
  r.progress("typed decode: ours and protobufjs, interleaved, each in a child of its own");
  await bundleChild();
  const rounds = Number(process.env.BENCH_TYPED_ROUNDS ?? (config.quick ? 2 : 5));
  const work = join(dir, "typed-decode");
  mkdirSync(work, { recursive: true });
  const images = await prepareMessageImages(config, work, r.progress);
  const { series, add } = roundSeries(images.length);
  for (let round = 0; round < rounds; round++) {
    r.progress(`round ${round + 1} of ${rounds}`);
    for (const [i, image] of images.entries()) {
      for (const [label, name] of CASES) {
        const res = runChild({ case: name, file: image.file, budget: config.budget });
        if (res.error || res.seconds === undefined) throw new Error(`${label} on ${image.name}: ${res.error ?? "no time"}`);
        add(i, label, { wall: res.seconds, cpu: res.seconds, rssMB: res.peakRssMB, writeBytes: 0 });
      }
    }
  }
  const files = images.map((image, i): TypedFileFigures => {
    const m = series[i]!;
    return { image: image.name, seconds: spreadsByLabel(m).wall, ratio: pairRatios(m.get("protobufjs")!, m.get("ours")!).wall };
  });
  const figures: TypedFigures = { rounds, files, typedDecodeVsProtobufjs: smallestLow(files, (f) => f.ratio, (f) => f.image) };
  r.log("");
  r.log(`typed decode, ${rounds} interleaved rounds; seconds per image: median [quartiles]`);
  for (const f of files) {
    r.log(`${f.image}`);
    for (const [label, s] of Object.entries(f.seconds)) r.log(`  ${label.padEnd(12)} ${show(s)}`);
    r.log(`  protobufjs ÷ ours: ${show(f.ratio)}`);
  }
  const w = figures.typedDecodeVsProtobufjs;
  r.log(`typedDecodeVsProtobufjs (lower quartile): ${w ? `${w.low} (worst: ${w.worst})` : "n/a"}`);
  const file = join(repoRoot, "bench", config.quick ? "results-typed-quick.json" : "results-typed.json");
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: r.machine(), ...figures }, null, 2) + "\n");
  r.progress(`wrote ${file}`);
  return figures;
}
