// The message-image decode case (`BENCH_ONLY=decode-message-images npm run bench`): image → crit
// JSON of the generated pagemap, files, mm and core images, plain and pretty, in this process,
// what `crit decode -i IMG -o OUT` does (the image read whole, the JSON written in chunks of one
// reused buffer as it is made), run from a bundle of the code as the command is (message-work.ts).
// Ours and the I/O floor take turns on every file in every round (A B A B …), and Python crit's
// `crit decode` of the same file runs in the first rounds (timed by /usr/bin/time, its start-up
// included, as in the full bench): its time ÷ ours is given per interleaved pair, so that a
// change of the machine's load between crit's run and ours does not decide the ratio
// (bench/encode-messages.ts does the same for JSON → image).

import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config";
import type { Crit } from "./crit";
import { prepareMessageImages } from "./images";
import type { Spread } from "./peers/interleave";
import { aroundPeer, mb, pairRatios, roundSeries, show, smallestLow, speedProbe, spreadsByLabel, timeRun, warmCpu } from "./rounds";
import { loadMessageWork } from "./spawn";

export interface DecodeFileFigures {
  image: string;
  mode: "plain" | "pretty";
  imageMB: number;
  jsonMB: number;
  /** Seconds, median and quartiles: ours, the I/O floor, `crit decode`. */
  wall: Record<string, Spread>;
  cpu: Record<string, Spread>;
  /** Wall seconds of each round's sample, per label, in the order of the rounds. */
  rounds: Record<string, number[]>;
  /** `crit decode`'s time ÷ ours and ÷ the I/O floor, per interleaved pair. */
  critRatio?: { wall: Spread; cpu: Spread };
  critRatioIoFloor?: { wall: Spread; cpu: Spread };
}

export interface DecodeFigures {
  rounds: number;
  /** speedProbe's milliseconds at the start of each round (rounds.ts). */
  probeMs: number[];
  critRounds: number;
  files: DecodeFileFigures[];
  /** The smallest lower quartile of crit ÷ ours (wall) over the files: the issue's decodeJsonVsCritMessageImages, interleaved. */
  decodeJsonVsCritMessageImages: { low: number; worst: string } | null;
  decodeJsonVsCritMessageImagesCpu: { low: number; worst: string } | null;
  ioFloorVsCritMessageImages: { low: number; worst: string } | null;
}

const OURS = "ours";
/** Back-to-back runs of ours (before crit's run and again after it) and of the floor per round, their median the round's sample (rounds.ts). */
const RUNS_PER_ROUND = 3;
const IO_FLOOR = "I/O floor";
const CRIT = "crit decode";

export async function measureDecodeMessages(config: Config, dir: string, crit: Crit | undefined, log: (line: string) => void): Promise<DecodeFigures> {
  const rounds = Number(process.env.BENCH_DECODE_RUNS ?? (config.quick ? 5 : 9));
  const critRounds = crit ? Math.min(rounds, Number(process.env.BENCH_DECODE_CRIT_RUNS ?? (config.quick ? 1 : 5))) : 0;
  const images = await prepareMessageImages(config, dir, log);
  const { decodeFile, wholeJson } = await loadMessageWork();
  // Warm-up, and the check that what is timed writes the whole path's JSON (not kept: hundreds
  // of MB of live buffers would change the garbage collector's pace for what is timed).
  const files = images.flatMap((image) => {
    const bytes = new Uint8Array(readFileSync(image.file));
    return (["plain", "pretty"] as const).map((mode) => {
      const pretty = mode === "pretty";
      const out = join(dir, `${image.magic.toLowerCase()}.${mode}.json`);
      decodeFile(image.file, out, pretty);
      const jsonBytes = statSync(out).size;
      if (!readFileSync(out).equals(wholeJson(bytes, pretty))) throw new Error(`${image.file}: not the JSON of the whole path`);
      ioFloorFile(image.file, out, jsonBytes);
      return { image, mode, pretty, imageBytes: bytes.length, jsonBytes, out };
    });
  });
  // One untimed round, run as the timed ones are: in the first timed round of runs without it,
  // ours was 1.7–1.8× slower than its median on three of the eight files.
  for (const f of files) {
    await timeRun(() => decodeFile(f.image.file, f.out, f.pretty), RUNS_PER_ROUND);
    await timeRun(() => ioFloorFile(f.image.file, f.out, f.jsonBytes), RUNS_PER_ROUND);
  }
  const { series, add } = roundSeries(files.length);
  const probeMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    probeMs.push(speedProbe());
    log(`round ${round + 1} of ${rounds} (speed probe ${probeMs[round]} ms)`);
    for (const [i, f] of files.entries()) {
      const runCrit = () => {
        warmCpu();
        const r = crit!.run(["decode", "-i", f.image.file, "-o", f.out, ...(f.pretty ? ["--pretty"] : [])], 900);
        if (r.ok && r.cpuSeconds !== undefined) add(i, CRIT, { wall: r.seconds, cpu: r.cpuSeconds, rssMB: r.peakRssMB ?? 0, writeBytes: 0 });
      };
      add(i, OURS, await aroundPeer(() => decodeFile(f.image.file, f.out, f.pretty), RUNS_PER_ROUND, round < critRounds ? runCrit : undefined));
      add(i, IO_FLOOR, await timeRun(() => ioFloorFile(f.image.file, f.out, f.jsonBytes), RUNS_PER_ROUND));
    }
  }
  const figures = files.map((f, i): DecodeFileFigures => {
    const m = series[i]!;
    const { wall, cpu } = spreadsByLabel(m);
    const c = m.get(CRIT);
    return {
      image: f.image.name,
      mode: f.mode,
      imageMB: mb(f.imageBytes),
      jsonMB: mb(f.jsonBytes),
      wall,
      cpu,
      rounds: Object.fromEntries([...m].map(([label, s]) => [label, s.samples.map((x) => Number(x.wall.toPrecision(4)))])),
      ...(c ? { critRatio: pairRatios(c, m.get(OURS)!), critRatioIoFloor: pairRatios(c, m.get(IO_FLOOR)!) } : {}),
    };
  });
  const worst = (on: "wall" | "cpu", key: "critRatio" | "critRatioIoFloor") => smallestLow(figures, (f) => f[key]?.[on], (f) => `${f.image}, ${f.mode}`);
  return {
    rounds,
    probeMs,
    critRounds,
    files: figures,
    decodeJsonVsCritMessageImages: worst("wall", "critRatio"),
    decodeJsonVsCritMessageImagesCpu: worst("cpu", "critRatio"),
    ioFloorVsCritMessageImages: worst("wall", "critRatioIoFloor"),
  };
}

/** The image read and as many bytes as its JSON written (in the same 1 MiB chunks), none looked at or made. */
function ioFloorFile(image: string, out: string, jsonBytes: number): void {
  readFileSync(image);
  rmSync(out, { force: true });
  const chunk = new Uint8Array(1 << 20);
  const fd = openSync(out, "w");
  try {
    for (let left = jsonBytes; left > 0; left -= chunk.length) writeSync(fd, left >= chunk.length ? chunk : chunk.subarray(0, left));
  } finally {
    closeSync(fd);
  }
}

export function printDecodeFigures(figures: DecodeFigures, log: (line: string) => void): void {
  log("");
  log(`image -> crit JSON, ${figures.rounds} interleaved rounds (${figures.critRounds} with crit); seconds: median [quartiles]`);
  log(`speed probe per round (ms, bench/rounds.ts): ${figures.probeMs.join(", ")}`);
  for (const f of figures.files) {
    log(`${f.image}, ${f.mode} (${f.imageMB} MB -> ${f.jsonMB} MB of JSON)`);
    for (const label of Object.keys(f.wall)) log(`  ${label.padEnd(14)} wall ${show(f.wall[label]!)}   cpu ${show(f.cpu[label]!)}`);
    if (f.critRatio) log(`  crit ÷ ours: wall ${show(f.critRatio.wall)}, cpu ${show(f.critRatio.cpu)}`);
    if (f.critRatioIoFloor) log(`  crit ÷ I/O floor: wall ${show(f.critRatioIoFloor.wall)}, cpu ${show(f.critRatioIoFloor.cpu)}`);
  }
  const w = figures.decodeJsonVsCritMessageImages;
  const c = figures.decodeJsonVsCritMessageImagesCpu;
  const io = figures.ioFloorVsCritMessageImages;
  log(`decodeJsonVsCritMessageImages (lower quartile, wall): ${w ? `${w.low} (worst: ${w.worst})` : "n/a"}`);
  log(`decodeJsonVsCritMessageImages (lower quartile, cpu): ${c ? `${c.low} (worst: ${c.worst})` : "n/a"}`);
  log(`crit ÷ I/O floor, smallest lower quartile (wall): ${io ? `${io.low} (worst: ${io.worst})` : "n/a"}`);
}

