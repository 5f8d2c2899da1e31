// The message-image encode case (`BENCH_ONLY=encode-message-images npm run bench`): crit JSON →
// image bytes of the generated pagemap, files, mm and core images, plain and pretty, in this
// process, what `crit encode` does (read the JSON file, encode, write the image; as the CLI does,
// JSON over 32 MiB through a window, the image written in chunks). Every encoder
// variant (the compiled encoder, the interpreter) runs once per file per round, in turn (A B A B
// …), so that a change in the machine's load hits all alike; each run records its wall time and
// its CPU time (user + sys, process.cpuUsage). With Python crit, `crit encode` of the same file
// runs in the first rounds too (timed by /usr/bin/time: its start-up included, as in the full
// bench), and its time ÷ ours is given per interleaved pair.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config";
import type { Crit } from "./crit";
import { prepareMessageImages } from "./images";
import { floorFile } from "./one-pass-floor";
import type { Spread } from "./peers/interleave";
import { aroundPeer, mb, pairRatios, roundSeries, show, smallestLow, speedProbe, spreadsByLabel, timeRun, warmCpu } from "./rounds";
import type { MessageWork } from "./spawn";

export interface EncodeVariant {
  label: string;
  /** Reads the JSON file `json`, writes the image to `out`. */
  encode: (json: string, out: string) => Promise<void>;
  /** False for the floor, which writes no image: its output is not checked. */
  writesImage?: boolean;
}

export interface EncodeFileFigures {
  image: string;
  mode: "plain" | "pretty";
  jsonMB: number;
  imageMB: number;
  /** Seconds, median and quartiles, per variant (and `crit encode`). */
  wall: Record<string, Spread>;
  cpu: Record<string, Spread>;
  /** Each other variant's time ÷ the first's, per interleaved pair (> 1: the first is faster). */
  speedUp: Record<string, { wall: Spread; cpu: Spread }>;
  /** `crit encode`'s time ÷ the first variant's, per interleaved pair. */
  critRatio?: { wall: Spread; cpu: Spread };
  /** `crit encode`'s time ÷ each other variant's (interpreted, the floors), per interleaved pair. */
  critRatioOthers?: Record<string, { wall: Spread; cpu: Spread }>;
}

export interface EncodeFigures {
  rounds: number;
  /** speedProbe's milliseconds at the start of each round (rounds.ts). */
  probeMs: number[];
  critRounds: number;
  files: EncodeFileFigures[];
  /** The smallest lower quartile of crit ÷ ours (wall) over the files: the issue's encodeVsCritMessageImages. */
  encodeVsCritMessageImages: { low: number; worst: string } | null;
  encodeVsCritMessageImagesCpu: { low: number; worst: string } | null;
  /** The same over crit ÷ each floor (floorFile, ioFloorFile): what no JS encoder reading the files this way can beat. */
  floorVsCritMessageImages: { low: number; worst: string } | null;
  ioFloorVsCritMessageImages: { low: number; worst: string } | null;
}

export async function measureEncodeMessages(
  config: Config,
  dir: string,
  work: MessageWork,
  variants: readonly EncodeVariant[],
  crit: Crit | undefined,
  log: (line: string) => void,
): Promise<EncodeFigures> {
  const rounds = Number(process.env.BENCH_ENCODE_RUNS ?? (config.quick ? 5 : 9));
  const critRounds = crit ? Math.min(rounds, Number(process.env.BENCH_ENCODE_CRIT_RUNS ?? (config.quick ? 1 : 3))) : 0;
  const images = await prepareMessageImages(config, dir, log);
  const files = images.flatMap((image) => {
    const bytes = new Uint8Array(readFileSync(image.file));
    return (["plain", "pretty"] as const).map((mode) => {
      const json = join(dir, `${image.magic.toLowerCase()}.${mode}.json`);
      writeFileSync(json, work.wholeJson(bytes, mode === "pretty"));
      return { image, mode, json, expected: bytes, out: join(dir, `${image.magic.toLowerCase()}.${mode}.out.img`) };
    });
  });
  for (const f of files) {
    for (const v of variants) {
      // Also the warm-up: each variant's code compiled and its caches filled before timing.
      await v.encode(f.json, f.out);
      if (v.writesImage !== false && !readFileSync(f.out).equals(f.expected)) throw new Error(`${v.label} on ${f.json}: not the original image`);
    }
  }
  const { series, add } = roundSeries(files.length);
  const probeMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    probeMs.push(speedProbe());
    log(`round ${round + 1} of ${rounds} (speed probe ${probeMs[round]} ms)`);
    for (const [i, f] of files.entries()) {
      const runCrit = () => {
        warmCpu();
        const r = crit!.run(["encode", "-i", f.json, "-o", f.out], 600);
        if (r.ok && r.cpuSeconds !== undefined) add(i, "crit encode", { wall: r.seconds, cpu: r.cpuSeconds, rssMB: r.peakRssMB ?? 0, writeBytes: 0 });
      };
      const [ours, ...others] = variants;
      add(i, ours!.label, await aroundPeer(() => ours!.encode(f.json, f.out), 2, round < critRounds ? runCrit : undefined));
      for (const v of others) add(i, v.label, await timeRun(() => v.encode(f.json, f.out), 3));
    }
  }
  const figures = files.map((f, i): EncodeFileFigures => {
    const m = series[i]!;
    const ours = m.get(variants[0]!.label)!;
    const { wall, cpu } = spreadsByLabel(m);
    const speedUp: EncodeFileFigures["speedUp"] = {};
    for (const v of variants.slice(1)) speedUp[v.label] = pairRatios(m.get(v.label)!, ours);
    const c = m.get("crit encode");
    return {
      image: f.image.name,
      mode: f.mode,
      jsonMB: mb(readFileSync(f.json).length),
      imageMB: mb(f.expected.length),
      wall,
      cpu,
      speedUp,
      ...(c ? { critRatio: pairRatios(c, ours) } : {}),
      ...(c ? { critRatioOthers: Object.fromEntries(variants.slice(1).map((v) => [v.label, pairRatios(c, m.get(v.label)!)])) } : {}),
    };
  });
  const worst = (on: "wall" | "cpu", label?: string) =>
    smallestLow(figures, (f) => (label === undefined ? f.critRatio : f.critRatioOthers?.[label])?.[on], (f) => `${f.image}, ${f.mode}`);
  return {
    rounds,
    probeMs,
    critRounds,
    files: figures,
    encodeVsCritMessageImages: worst("wall"),
    encodeVsCritMessageImagesCpu: worst("cpu"),
    floorVsCritMessageImages: worst("wall", "floor"),
    ioFloorVsCritMessageImages: worst("wall", "I/O floor"),
  };
}



export function printEncodeFigures(figures: EncodeFigures, log: (line: string) => void): void {
  log("");
  log(`crit JSON -> image, ${figures.rounds} interleaved rounds (${figures.critRounds} with crit); seconds: median [quartiles]`);
  log(`speed probe per round (ms, bench/rounds.ts): ${figures.probeMs.join(", ")}`);
  for (const f of figures.files) {
    log(`${f.image}, ${f.mode} (${f.jsonMB} MB of JSON -> ${f.imageMB} MB)`);
    for (const label of Object.keys(f.wall)) log(`  ${label.padEnd(14)} wall ${show(f.wall[label]!)}   cpu ${show(f.cpu[label]!)}`);
    for (const [label, r] of Object.entries(f.speedUp)) log(`  ${label} ÷ ours: wall ${show(r.wall)}, cpu ${show(r.cpu)}`);
    if (f.critRatio) log(`  crit ÷ ours: wall ${show(f.critRatio.wall)}, cpu ${show(f.critRatio.cpu)}`);
    for (const [label, r] of Object.entries(f.critRatioOthers ?? {})) log(`  crit ÷ ${label}: wall ${show(r.wall)}, cpu ${show(r.cpu)}`);
  }
  const w = figures.encodeVsCritMessageImages;
  const c = figures.encodeVsCritMessageImagesCpu;
  log(`encodeVsCritMessageImages (lower quartile, wall): ${w ? `${w.low} (worst: ${w.worst})` : "n/a"}`);
  log(`encodeVsCritMessageImages (lower quartile, cpu): ${c ? `${c.low} (worst: ${c.worst})` : "n/a"}`);
  const f = figures.floorVsCritMessageImages;
  const io = figures.ioFloorVsCritMessageImages;
  log(`crit ÷ floor, smallest lower quartile (wall): ${f ? `${f.low} (worst: ${f.worst})` : "n/a"}`);
  log(`crit ÷ I/O floor, smallest lower quartile (wall): ${io ? `${io.low} (worst: ${io.worst})` : "n/a"}`);
}




/**
 * What is timed: what `crit encode` does (message-work.ts's encodeFile, from its bundle) with
 * messages read by the code compiled per type, and the same with the interpreter, as under a CSP
 * without 'unsafe-eval'. And two floors (floorFile, ioFloorFile).
 */
export function encodeVariants(work: MessageWork): EncodeVariant[] {
  return [
    { label: "ours", encode: (json, out) => work.encodeFile(json, out, false) },
    { label: "interpreted", encode: (json, out) => work.encodeFile(json, out, true) },
    { label: "floor", encode: async (json, out) => floorFile(json, out), writesImage: false },
    { label: "I/O floor", encode: async (json, out) => ioFloorFile(json, out), writesImage: false },
  ];
}

/** Less still: the JSON file read whole and a buffer a quarter of its size written, no byte looked at. */
function ioFloorFile(json: string, out: string): void {
  const s = readFileSync(json);
  writeFileSync(out, new Uint8Array(Math.max(16, s.length >> 2)));
}
