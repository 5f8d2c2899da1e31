// go-criu crit against ours on the large message images, whole commands interleaved: decode,
// decode --pretty, and encode (each tool from its own JSON, since the dialects differ).

import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BenchImage } from "../images";
import { repoRoot } from "../paths";
import { interleave, ratio, seriesSummary, type Series, type Spread } from "./interleave";

export interface GoImageFigures {
  image: string;
  cases: Record<string, ReturnType<typeof seriesSummary>>;
  ratios: Record<string, Spread | undefined>;
  /** goCritCeiling's figures, filled in by the run once the image's in-process floors are known. */
  ceiling?: { decode?: number; encode?: number };
}

/**
 * `floor`: bench/out/one-pass-floor.mjs (bundleOnePassFloor), run on our JSON among the encode
 * commands: go-criu's encode ÷ it is the most any Node encoder that reads each byte once can reach.
 */
export function measureAgainstGoCrit(image: BenchImage, dir: string, goCrit: string, runs: number, floor?: string): GoImageFigures {
  const node = process.execPath;
  const crit = join(repoRoot, "dist", "crit.cjs");
  const out = (name: string) => join(dir, name);
  const ourJson = out("ours.json");
  const goJson = out("go.json");
  const decode = interleave(
    [
      { label: "ours decode", argv: [node, crit, "decode", "-i", image.file, "-o", ourJson] },
      { label: "go-criu decode", argv: [goCrit, "decode", "-i", image.file, "-o", goJson] },
      { label: "ours decode --pretty", argv: [node, crit, "decode", "--pretty", "-i", image.file, "-o", out("ours.pretty.json")] },
      { label: "go-criu decode --pretty", argv: [goCrit, "decode", "--pretty", "-i", image.file, "-o", out("go.pretty.json")] },
      // The start-up of any Node program, under the same load: part of the ceiling below.
      { label: "node -e 0", argv: [node, "-e", "0"] },
    ],
    runs,
  );
  const encode: Series[] =
    existsSync(ourJson) && existsSync(goJson)
      ? interleave(
          [
            { label: "ours encode", argv: [node, crit, "encode", "-i", ourJson, "-o", out("ours.img")] },
            { label: "go-criu encode", argv: [goCrit, "encode", "-i", goJson, "-o", out("go.img")] },
            ...(floor ? [{ label: "node one-pass floor", argv: [node, floor, ourJson, out("floor.img")] }] : []),
          ],
          runs,
        )
      : [];
  for (const f of ["ours.json", "go.json", "ours.pretty.json", "go.pretty.json", "ours.img", "go.img", "floor.img"]) rmSync(out(f), { force: true });
  const all = [...decode, ...encode];
  const by = new Map(all.map((s) => [s.label, s]));
  const pair = (go: string, ours: string) => {
    const g = by.get(go);
    const o = by.get(ours);
    return g && o ? ratio(g, o) : undefined;
  };
  return {
    image: image.name,
    cases: Object.fromEntries(all.map((s) => [s.label, seriesSummary(s)])),
    ratios: {
      decode: pair("go-criu decode", "ours decode"),
      decodePretty: pair("go-criu decode --pretty", "ours decode --pretty"),
      encode: pair("go-criu encode", "ours encode"),
      encodeOnePassCeiling: pair("go-criu encode", "node one-pass floor"),
    },
  };
}

/** The spread whose lower quartile is the smallest over the images: the one a target is judged on. */
export function worstLow(figures: GoImageFigures[], keys: string[]): (Spread & { worst: string }) | null {
  let found: (Spread & { worst: string }) | null = null;
  for (const f of figures) {
    for (const k of keys) {
      const r = f.ratios[k];
      if (r && (found === null || r.low < found.low)) found = { ...r, worst: `${f.image}: ${k}` };
    }
  }
  return found;
}

/**
 * go-criu's encode ÷ the whole one-pass floor command, on the image where it is smallest, judged
 * on its upper quartile (the most generous bound): a target above it cannot be met by a Node
 * encoder that reads every byte of its input once.
 */
export function onePassCeiling(figures: GoImageFigures[]): (Spread & { worst: string }) | null {
  let found: (Spread & { worst: string }) | null = null;
  for (const f of figures) {
    const r = f.ratios.encodeOnePassCeiling;
    if (r && (found === null || r.high < found.high)) found = { ...r, worst: f.image };
  }
  return found;
}

/**
 * The most any Node program could reach against go-criu on one image: go-criu's median ÷ (the
 * median of `node -e 0` in the same interleaved run + the image's in-process I/O floor + for
 * decode the wire scan, which every decoder must at least do). A program that starts, reads,
 * walks the wire and writes as many bytes, without formatting one value, takes that long.
 */
export function goCritCeiling(figures: GoImageFigures, io: { decodeFloor?: number; wireScan?: number; encodeFloor?: number }): { decode?: number; encode?: number } {
  const med = (label: string) => figures.cases[label]?.wall?.median;
  const node = med("node -e 0");
  const goDecode = med("go-criu decode");
  const goEncode = med("go-criu encode");
  const at = (go: number | undefined, ...parts: (number | undefined)[]) => {
    if (go === undefined || node === undefined) return undefined;
    let floor = node;
    for (const x of parts) {
      if (x === undefined) return undefined;
      floor += x;
    }
    return Number((go / floor).toFixed(3));
  };
  return { decode: at(goDecode, io.decodeFloor, io.wireScan), encode: at(goEncode, io.encodeFloor) };
}
