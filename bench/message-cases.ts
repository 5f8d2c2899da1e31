// The interleaved message-image cases, both ways (encode-messages.ts, decode-messages.ts): run
// alone (BENCH_ONLY=encode-message-images, decode-message-images) or as part of the full run,
// each writing its own results file.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config";
import { setUpCrit, type Crit } from "./crit";
import { measureDecodeMessages, printDecodeFigures, type DecodeFigures } from "./decode-messages";
import { encodeVariants, measureEncodeMessages, printEncodeFigures, type EncodeFigures } from "./encode-messages";
import { repoRoot } from "./paths";
import { loadMessageWork } from "./spawn";

export interface Reporting {
  progress: (line: string) => void;
  log: (line: string) => void;
  machine: () => unknown;
}

type CritOrWhy = Crit | { unavailable: string };

/**
 * One case alone, with Python crit unless BENCH_ENCODE_CRIT_RUNS=0 (BENCH_DECODE_CRIT_RUNS=0)
 * leaves it out.
 */
export async function messagesOnly(way: "encode" | "decode", config: Config, dir: string, r: Reporting): Promise<void> {
  const variable = way === "encode" ? "BENCH_ENCODE_CRIT_RUNS" : "BENCH_DECODE_CRIT_RUNS";
  const crit = process.env[variable] !== "0" ? setUpCrit(join(dir, "crit-py")) : { unavailable: `${variable}=0` };
  if (way === "encode") await encodeMessagesCase(config, dir, crit, r);
  else await decodeMessagesCase(config, dir, crit, r);
}

/** crit JSON -> image, every encoder and Python crit interleaved: bench/results-encode[-quick].json. */
export async function encodeMessagesCase(config: Config, dir: string, crit: CritOrWhy, r: Reporting): Promise<EncodeFigures> {
  r.progress("JSON -> image of the message images, every encoder and Python crit interleaved");
  const work = start(dir, "encode-messages", crit, r);
  const code = await loadMessageWork();
  const figures = await measureEncodeMessages(config, work, code, encodeVariants(code), "run" in crit ? crit : undefined, r.progress);
  printEncodeFigures(figures, r.log);
  save(config.quick ? "results-encode-quick.json" : "results-encode.json", figures, r);
  return figures;
}

/** image -> crit JSON, ours, the I/O floor and Python crit interleaved: bench/results-decode[-quick].json. */
export async function decodeMessagesCase(config: Config, dir: string, crit: CritOrWhy, r: Reporting): Promise<DecodeFigures> {
  r.progress("image -> JSON of the message images, ours, the I/O floor and Python crit interleaved");
  const work = start(dir, "decode-messages", crit, r);
  const figures = await measureDecodeMessages(config, work, "run" in crit ? crit : undefined, r.progress);
  printDecodeFigures(figures, r.log);
  save(config.quick ? "results-decode-quick.json" : "results-decode.json", figures, r);
  return figures;
}

function start(dir: string, name: string, crit: CritOrWhy, r: Reporting): string {
  if ("unavailable" in crit) r.progress(`Python crit left out: ${crit.unavailable}`);
  const work = join(dir, name);
  mkdirSync(work, { recursive: true });
  return work;
}

function save(name: string, figures: object, r: Reporting): void {
  const file = join(repoRoot, "bench", name);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: r.machine(), ...figures }, null, 2) + "\n");
  r.progress(`wrote ${file}`);
}
