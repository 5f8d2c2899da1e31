// A checkpoint directory as the explorers see it: a way to read an image by file name. Kept
// browser-safe (no Node imports): src/node/dump-dir.ts opens real directories, and
// dumpSourceFromFiles wraps bytes already in memory (an unpacked archive, an upload...).

import { decodeImage } from "../image/decode";
import type { EntriesOf } from "../image/entries";
import type { ImageMagic } from "../image/magic-table";

/** Read access to one dump directory (CRIU's -D). */
export interface DumpSource {
  /** The bytes of the image file `name` (e.g. "pstree.img"), or undefined when there is none. */
  read(name: string): Uint8Array | undefined;
}

/** A DumpSource over files held in memory, keyed by file name. */
export function dumpSourceFromFiles(files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>): DumpSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return { read: (name) => map.get(name) };
}

export type ExploreErrorKind =
  | "missing-image" // an image the explorer needs is not in the dump
  | "bad-dump"; // the images are there but do not fit together (e.g. no root task)

/**
 * Why an explorer could not finish. crit dies with a Python traceback in these cases; we name
 * the image (and the task, when there is one) so that callers can report or skip it.
 */
export class ExploreError extends Error {
  override readonly name = "ExploreError";
  /** What the explorer had printed before it stopped (crit leaves the same on stdout). */
  output = "";
  constructor(
    readonly kind: ExploreErrorKind,
    /** The image concerned, e.g. "mm-42.img". */
    readonly image: string,
    message: string,
    /** The task concerned, when there is one. */
    readonly pid?: number,
  ) {
    super(message);
  }
}

export function isExploreError(err: unknown): err is ExploreError {
  return err instanceof ExploreError;
}

/**
 * Decodes images on demand and keeps them, since several explorers' steps need the same
 * image (files.img for every fd, core-N.img for the tree and the task state).
 */
export class DumpReader {
  private readonly cache = new Map<string, unknown>();

  constructor(readonly source: DumpSource) {}

  /** The entries of `name`, which must be an image of type `magic`; undefined when absent. */
  tryEntries<M extends ImageMagic>(name: string, magic: M): EntriesOf<M> | undefined {
    if (this.cache.has(name)) return this.cache.get(name) as EntriesOf<M> | undefined;
    const bytes = this.source.read(name);
    // decodeImage throws ImageError (with the file name) for a corrupt or mistyped image.
    const entries = bytes === undefined ? undefined : decodeImage(bytes, { fileName: name, expect: magic }).entries;
    this.cache.set(name, entries);
    return entries as EntriesOf<M> | undefined;
  }

  /** Like tryEntries, without keeping the image (one read per task: core images). */
  tryOnce<M extends ImageMagic>(name: string, magic: M): EntriesOf<M> | undefined {
    if (this.cache.has(name)) return this.tryEntries(name, magic) as EntriesOf<M> | undefined;
    const bytes = this.source.read(name);
    const entries = bytes === undefined ? undefined : decodeImage(bytes, { fileName: name, expect: magic }).entries;
    return entries as EntriesOf<M> | undefined;
  }

  /** Like first, without keeping the image. */
  firstOnce<M extends ImageMagic>(name: string, magic: M, pid?: number): EntriesOf<M>[number] {
    return this.firstOf(name, this.tryOnce(name, magic), pid) as EntriesOf<M>[number];
  }

  /** Like tryEntries, but a missing image is an ExploreError naming it. */
  entries<M extends ImageMagic>(name: string, magic: M, pid?: number): EntriesOf<M> {
    const entries = this.tryEntries(name, magic);
    if (entries === undefined) throw missing(name, pid);
    return entries;
  }

  /** The first entry of a single-entry image (core, mm, fs, ids), which must be there. */
  first<M extends ImageMagic>(name: string, magic: M, pid?: number): EntriesOf<M>[number] {
    return this.firstOf(name, this.entries(name, magic, pid), pid) as EntriesOf<M>[number];
  }

  private firstOf(name: string, entries: readonly unknown[] | undefined, pid: number | undefined): unknown {
    if (entries === undefined) throw missing(name, pid);
    const first = entries[0];
    if (first === undefined) {
      throw new ExploreError("bad-dump", name, `${name}: the image has no entry`, pid);
    }
    return first;
  }
}

function missing(name: string, pid: number | undefined): ExploreError {
  const task = pid === undefined ? "" : ` (task ${pid})`;
  return new ExploreError("missing-image", name, `${name}${task}: image not found in the dump`, pid);
}
