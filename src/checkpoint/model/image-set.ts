// The images of one checkpoint, read once. The small images are fetched in one pass over the
// source (one decompression for a compressed archive) and decoded on first use; pages-*.img and
// other raw payloads stay in the source and are read by range. A damaged image becomes a
// warning, and its readers see it as absent.

import { decodeImage } from "../../image/decode";
import type { EntriesOf } from "../../image/entries";
import type { ImageMagic } from "../../image/magic-table";
import { concatBytes } from "../../image/bytes";
import type { CheckpointSource, MemberInfo } from "../../source/source";
import { CheckpointError, errorText, type CheckpointWarning } from "./errors";

/** Images never read whole: memory pages, and raw archives CRIU stores beside the images. */
const LAZY = /^(pages-\d+\.img|.*\.tar(\.gz)?\.img|pages-shmem-.*)$/;
/** Files in a dump directory that are not CRIU images. */
const NOT_IMAGES = new Set(["parent", "descriptors.json", "dump.log", "restore.log", "stats-restore-log"]);
/** Where the images are: the source's root (a dump directory) or checkpoint/ (an engine's archive). */
const IMAGE_DIRS = ["", "checkpoint/"];
const REQUIRED = ["inventory.img", "pstree.img"];

export class ImageSet {
  private readonly decoded = new Map<string, unknown[] | undefined>();

  private constructor(
    readonly source: CheckpointSource,
    /** "" or "checkpoint/": the folder of the images in the source. */
    readonly dir: string,
    readonly members: readonly MemberInfo[],
    /** Image file name (without dir) -> bytes, for the images read whole. */
    private readonly bytes: Map<string, Uint8Array>,
    /** Image file name -> size, for every file in dir (raw ones too). */
    readonly sizes: Map<string, number>,
    readonly warnings: CheckpointWarning[],
  ) {}

  static async open(source: CheckpointSource, warnings: CheckpointWarning[]): Promise<ImageSet> {
    const members = await source.members();
    const files = members.filter((m) => m.type === "file");
    const dir = imagesDirOf(files);
    if (dir === undefined) {
      const present = files.slice(0, 8).map((m) => m.name);
      throw new CheckpointError(
        "not-a-checkpoint",
        source.label,
        `no CRIU images (inventory.img, pstree.img) at the root or under checkpoint/; it holds ${describe(files)}`,
        REQUIRED.map((n) => `checkpoint/${n}`),
        present,
      );
    }
    const sizes = new Map<string, number>();
    for (const m of files) {
      const name = m.name.slice(dir.length);
      if (m.name.startsWith(dir) && !name.includes("/")) sizes.set(name, m.size);
    }
    const missing = REQUIRED.filter((n) => !sizes.has(n));
    if (missing.length > 0) {
      throw new CheckpointError(
        "incomplete",
        source.label,
        `${dir || "the dump directory"} lacks ${missing.join(" and ")}; it holds ${describe([...sizes.keys()].map((n) => ({ name: dir + n })))}`,
        missing.map((n) => dir + n),
        [...sizes.keys()].slice(0, 8).map((n) => dir + n),
      );
    }
    const wanted = [...sizes.keys()].filter(isSmallImage).map((n) => dir + n);
    const bytes = await readWhole(source, wanted);
    const set = new ImageSet(source, dir, members, new Map([...bytes].map(([k, v]) => [k.slice(dir.length), v])), sizes, warnings);
    return set;
  }

  has(name: string): boolean {
    return this.sizes.has(name);
  }

  /** The entries of image `name` of type `magic`; undefined (and a warning once) when absent or damaged. */
  entries<M extends ImageMagic>(name: string, magic: M): EntriesOf<M> | undefined {
    if (this.decoded.has(name)) return this.decoded.get(name) as EntriesOf<M> | undefined;
    const bytes = this.bytes.get(name);
    let entries: unknown[] | undefined;
    if (bytes !== undefined) {
      try {
        entries = decodeImage(bytes, { fileName: name, expect: magic }).entries as unknown[];
      } catch (err) {
        this.warnings.push({ member: this.dir + name, message: errorText(err) });
      }
    }
    this.decoded.set(name, entries);
    return entries as EntriesOf<M> | undefined;
  }

  /** The first entry of a one-entry image (core, mm, fs, ids). */
  first<M extends ImageMagic>(name: string, magic: M): EntriesOf<M>[number] | undefined {
    return this.entries(name, magic)?.[0] as EntriesOf<M>[number] | undefined;
  }

  /** Raw bytes of a small member of the images folder (descriptors.json...). */
  raw(name: string): Uint8Array | undefined {
    return this.bytes.get(name);
  }

  /** Image names matching a pattern, sorted. */
  names(pattern: RegExp): string[] {
    return [...this.sizes.keys()].filter((n) => pattern.test(n)).sort();
  }
}

/** "" or "checkpoint/": where inventory.img or pstree.img is; undefined when neither folder has one. */
export function imagesDirOf(members: readonly MemberInfo[]): string | undefined {
  return IMAGE_DIRS.find((d) => members.some((m) => m.type === "file" && (m.name === `${d}inventory.img` || m.name === `${d}pstree.img`)));
}

/** Image files read whole (not pages, not raw archives, not engine files): name without dir. */
export function isSmallImage(name: string): boolean {
  return !LAZY.test(name) && !NOT_IMAGES.has(name);
}

/** The bytes of several members in one pass over the source. */
export async function readWhole(source: CheckpointSource, names: readonly string[]): Promise<Map<string, Uint8Array>> {
  const parts = new Map<string, Uint8Array[]>();
  if (names.length === 0) return new Map();
  await source.stream(names, (name, _offset, chunk) => {
    let list = parts.get(name);
    if (!list) parts.set(name, (list = []));
    list.push(chunk.slice());
  });
  const out = new Map<string, Uint8Array>();
  for (const name of names) out.set(name, concatBytes(parts.get(name) ?? []));
  return out;
}


function describe(files: readonly { name: string }[]): string {
  if (files.length === 0) return "no files";
  const shown = files.slice(0, 8).map((f) => f.name).join(", ");
  return files.length > 8 ? `${files.length} files (${shown}, ...)` : shown;
}
