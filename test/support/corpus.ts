import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { fixturesDir } from "./fixtures";
import { decodeImage, isRawImage } from "../../src/index";

export const corpusDir = `${fixturesDir}corpus/`;

/** Files in a dump directory that are not CRIU images (Podman's metadata, the parent link). */
const NOT_IMAGES = new Set(["parent", "descriptors.json"]);

export interface CorpusImage {
  scenario: string;
  /** Path relative to the scenario folder, e.g. "images/core-1.img". */
  path: string;
  name: string;
  abs: string;
  /** Where crit 4.2's output for this file lives, e.g. ".../crit/core-1.img". */
  critBase: string;
}

export function scenarios(): string[] {
  return readdirSync(corpusDir).filter((n) => statSync(corpusDir + n).isDirectory()).sort();
}

/** Every image file of every scenario (images/ and, for the pre-dump chain, predump/images/). */
export function corpusImages(): CorpusImage[] {
  const out: CorpusImage[] = [];
  for (const scenario of scenarios()) {
    for (const [dir, critDir] of [["images", "crit"], ["predump/images", "predump/crit"]] as const) {
      const abs = `${corpusDir}${scenario}/${dir}/`;
      if (!existsSync(abs)) continue;
      for (const name of readdirSync(abs).sort()) {
        if (NOT_IMAGES.has(name)) continue;
        out.push({ scenario, path: `${dir}/${name}`, name, abs: abs + name, critBase: `${corpusDir}${scenario}/${critDir}/${name}` });
      }
    }
  }
  return out;
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** The corpus images that have entries (raw images left out), with their bytes. */
export function entryCorpusImages(): { image: CorpusImage; bytes: Uint8Array }[] {
  return corpusImages().flatMap((image) => {
    const bytes = readBytes(image.abs);
    return isRawImage(decodeImage(bytes, { fileName: image.name })) ? [] : [{ image, bytes }];
  });
}

/** What `f` throws, or undefined. */
export function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
}
