// go-criu crit against ours on the generated message images alone (`BENCH_ONLY=go-crit npm run
// bench`): the whole-command cases of the full run (peers/go-images.ts: decode, decode --pretty
// and encode, ours and go-criu's taking turns, `node -e 0` among them), without the rest of the
// run, to see decodeJsonVsGoCrit and encodeVsGoCrit after a change. The package is built first,
// so that `crit` is the code of the working tree. Writes bench/results-go[-quick].json.

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config";
import { prepareMessageImages } from "./images";
import type { Reporting } from "./message-cases";
import { repoRoot } from "./paths";
import { findGoCrit } from "./peers/go-crit";
import { measureAgainstGoCrit, onePassCeiling, worstLow } from "./peers/go-images";
import { canTime } from "./peers/interleave";
import { show } from "./rounds";
import { bundleOnePassFloor } from "./spawn";

export async function goCritOnly(config: Config, dir: string, r: Reporting): Promise<void> {
  const goCrit = findGoCrit();
  if (typeof goCrit !== "string") return r.progress(`go-criu crit unavailable: ${goCrit.unavailable}`);
  if (!canTime()) return r.progress("go-criu case skipped: /usr/bin/time is missing (apt-get install time)");
  execFileSync("npm", ["run", "-s", "build"], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
  const work = join(dir, "go-crit");
  const out = join(work, "out");
  mkdirSync(out, { recursive: true });
  const images = await prepareMessageImages(config, work, r.progress);
  const floor = await bundleOnePassFloor();
  const runs = Number(process.env.BENCH_GO_RUNS ?? (config.quick ? 2 : 5));
  const figures = images.map((image) => {
    r.progress(`go-criu crit against ours on ${image.name}, interleaved, ${runs} runs`);
    return measureAgainstGoCrit(image, out, goCrit, runs, floor);
  });
  const decodeJsonVsGoCrit = worstLow(figures, ["decode", "decodePretty"]);
  const encodeVsGoCrit = worstLow(figures, ["encode"]);
  const encodeVsGoCritOnePassCeiling = onePassCeiling(figures);
  r.log("");
  r.log(`go-criu crit against ours, whole commands, ${runs} interleaved runs; seconds (wall): median [quartiles]`);
  for (const f of figures) {
    r.log(f.image);
    for (const [label, c] of Object.entries(f.cases)) r.log(`  ${label.padEnd(24)} ${c.wall ? show(c.wall) : c.error}`);
    for (const [key, s] of Object.entries(f.ratios)) if (s) r.log(`  go-criu ÷ ours, ${key}: ${show(s)}`);
  }
  r.log(`decodeJsonVsGoCrit (lower quartile): ${decodeJsonVsGoCrit ? `${decodeJsonVsGoCrit.low} (${decodeJsonVsGoCrit.worst})` : "n/a"}`);
  r.log(`encodeVsGoCrit (lower quartile): ${encodeVsGoCrit ? `${encodeVsGoCrit.low} (${encodeVsGoCrit.worst})` : "n/a"}`);
  const c = encodeVsGoCritOnePassCeiling;
  r.log(`go-criu encode ÷ the one-pass floor command (upper quartile): ${c ? `${c.high} (${c.worst})` : "n/a"}`);
  const file = join(repoRoot, "bench", config.quick ? "results-go-quick.json" : "results-go.json");
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: r.machine(), runs, decodeJsonVsGoCrit, encodeVsGoCrit, encodeVsGoCritOnePassCeiling, images: figures }, null, 2) + "\n");
  r.progress(`wrote ${file}`);
}
