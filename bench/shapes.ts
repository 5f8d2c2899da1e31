// Real entries of the test corpus, used as the shapes of the generated images.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeImage } from "../src/image/decode";
import type { core_entry, file_entry, mm_entry, pagemap_entry, pagemap_head, pipe_data_entry } from "../src/schema/all";
import type { ImageMagic } from "../src/image/magic-table";
import type { CriuImage } from "../src/image/entries";
import { corpusRoot } from "./paths";

export interface Shapes {
  pagemapHead: pagemap_head;
  pagemapEntries: pagemap_entry[];
  files: file_entry[];
  mm: mm_entry;
  core: core_entry;
  pipe: pipe_data_entry;
}

/** Where each shape comes from (corpus-relative): noted in results.json. */
export const SHAPE_SOURCES = {
  pagemap: "proc-memory/images/pagemap-27731.img",
  files: "proc-kitchen/images/files.img",
  mm: "proc-memory/images/mm-27731.img",
  core: "proc-signals/images/core-29545.img",
  pipe: "proc-kitchen/images/pipes-data.img",
} as const;

function read<M extends ImageMagic>(path: string, magic: M): CriuImage<M> {
  const bytes = new Uint8Array(readFileSync(join(corpusRoot, path)));
  return decodeImage(bytes, { expect: magic, fileName: path.split("/").pop() });
}

export function loadShapes(): Shapes {
  const pagemap = read(SHAPE_SOURCES.pagemap, "PAGEMAP");
  const [pagemapHead, ...pagemapEntries] = pagemap.entries;
  return {
    pagemapHead,
    pagemapEntries,
    files: read(SHAPE_SOURCES.files, "FILES").entries,
    mm: read(SHAPE_SOURCES.mm, "MM").entries[0]!,
    core: read(SHAPE_SOURCES.core, "CORE").entries[0]!,
    pipe: read(SHAPE_SOURCES.pipe, "PIPES_DATA").entries[0]!.entry,
  };
}
