// The largest real images of the test corpus: per image type the largest file that crit 4.2
// decoded (its crit/F.json exists), the biggest types first.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { imageRowByValue, IMG_COMMON, IMG_SERVICE } from "../src/image/magic-table";
import { corpusRoot } from "./paths";

export interface CorpusImage {
  name: string;
  file: string;
  magic: string;
  bytes: number;
}

export function largestCorpusImages(count: number): CorpusImage[] {
  const best = new Map<string, CorpusImage>();
  for (const dump of readdirSync(corpusRoot)) {
    const dir = join(corpusRoot, dump, "images");
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const file = join(dir, f);
      if (!existsSync(join(corpusRoot, dump, "crit", `${f}.json`))) continue;
      const magic = magicOf(file);
      if (!magic) continue;
      const bytes = statSync(file).size;
      const known = best.get(magic);
      if (!known || bytes > known.bytes) best.set(magic, { name: `corpus ${dump}/${f}`, file, magic, bytes });
    }
  }
  return [...best.values()].sort((a, b) => b.bytes - a.bytes).slice(0, count);
}

function magicOf(file: string): string | undefined {
  const head = readFileSync(file).subarray(0, 8);
  if (head.length < 4) return undefined;
  let value = head.readUInt32LE(0);
  if ((value === IMG_COMMON || value === IMG_SERVICE) && head.length >= 8) value = head.readUInt32LE(4);
  return imageRowByValue(value)?.name;
}
