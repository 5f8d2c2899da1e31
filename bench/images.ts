// The images measured: the generated ones (written into the temporary folder) and the corpus's.

import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { decodeImage } from "../src/image/decode";
import type { Config } from "./config";
import { largestCorpusImages } from "./corpus";
import { coreEntries, fileEntries, mmEntries, pagemapEntries, pipeDataEntries, writeImage, type Written } from "./generate";
import { now } from "./measure";
import { loadShapes, type Shapes } from "./shapes";

export interface BenchImage {
  name: string;
  file: string;
  magic: string;
  bytes: number;
  entries?: number;
  source: "generated" | "corpus";
  /** Counts in the ratios against crit and protobufjs. */
  large: boolean;
  /** Too large for a JSON string (V8 strings stop at 2^29 - 24 characters): no JSON cases. */
  huge: boolean;
  generateSeconds?: number;
}

export async function prepareImages(config: Config, dir: string, log: (line: string) => void): Promise<BenchImage[]> {
  const shapes = loadShapes();
  const images = await generateImages([...messageImagePlan(config, dir, shapes), ...payloadImagePlan(config, dir, shapes)], dir, log);
  for (const c of largestCorpusImages(config.corpusImages)) {
    const image = decodeImage(new Uint8Array(readFileSync(c.file)), { fileName: basename(c.file) });
    const entries = "entries" in image ? image.entries.length : undefined;
    images.push({ name: c.name, file: c.file, magic: c.magic, bytes: c.bytes, entries, source: "corpus", large: false, huge: false });
  }
  return images;
}

type ImagePlan = [name: string, file: string, magic: string, write: () => Promise<Written>];

/** The generated pipes-data images only: what payloadVsIoFloor takes (BENCH_ONLY=payload). */
export function preparePayloadImages(config: Config, dir: string, log: (line: string) => void): Promise<BenchImage[]> {
  return generateImages(payloadImagePlan(config, dir, loadShapes()), dir, log);
}

function payloadImagePlan(config: Config, dir: string, shapes: Shapes): ImagePlan[] {
  const MiB = 1 << 20;
  return [
    [`pipes-data ${config.pipesSmall / MiB} MiB`, "pipes-data.img", "PIPES_DATA", () =>
      writeImage(join(dir, "pipes-data.img"), "PIPES_DATA", pipeDataEntries(shapes, config.pipesSmall, config.pipeChunk))],
    [`pipes-data ${config.pipesLarge / MiB} MiB`, join("large", "pipes-data.img"), "PIPES_DATA", () =>
      writeImage(join(dir, "large", "pipes-data.img"), "PIPES_DATA", pipeDataEntries(shapes, config.pipesLarge, config.pipeChunk))],
  ];
}

/** The generated message images (pagemap, files, mm, core): what the message-image ratios take. */
export function prepareMessageImages(config: Config, dir: string, log: (line: string) => void): Promise<BenchImage[]> {
  return generateImages(messageImagePlan(config, dir, loadShapes()), dir, log);
}

function messageImagePlan(config: Config, dir: string, shapes: Shapes): ImagePlan[] {
  return [
    [`pagemap ${config.pagemapEntries} entries`, "pagemap-1.img", "PAGEMAP", () =>
      writeImage(join(dir, "pagemap-1.img"), "PAGEMAP", pagemapEntries(shapes, config.pagemapEntries))],
    [`files ${config.fileEntries} entries`, "files.img", "FILES", () =>
      writeImage(join(dir, "files.img"), "FILES", fileEntries(shapes, config.fileEntries))],
    [`mm ${config.mmEntries}×${config.vmasPerMm} vmas`, "mm-1.img", "MM", () =>
      writeImage(join(dir, "mm-1.img"), "MM", mmEntries(shapes, config.mmEntries, config.vmasPerMm))],
    [`core ${config.coreEntries} entries`, "core-1.img", "CORE", () =>
      writeImage(join(dir, "core-1.img"), "CORE", coreEntries(shapes, config.coreEntries))],
  ];
}

async function generateImages(plan: ImagePlan[], dir: string, log: (line: string) => void): Promise<BenchImage[]> {
  const MiB = 1 << 20;
  const images: BenchImage[] = [];
  for (const [name, file, magic, write] of plan) {
    const t = now();
    const written = await write();
    const seconds = now() - t;
    log(`generated ${name}: ${(written.bytes / 1e6).toFixed(1)} MB, ${written.entries} entries, ${seconds.toFixed(1)} s`);
    images.push({
      name,
      file: join(dir, file),
      magic,
      bytes: written.bytes,
      entries: written.entries,
      source: "generated",
      large: true,
      huge: written.bytes > 256 * MiB,
      generateSeconds: seconds,
    });
  }
  return images;
}
