// Reading process memory out of a dump: pagemap-N.img says which virtual pages were saved and
// where, pages-<pages_id>.img holds the bytes. Browser-safe: the caller supplies the bytes (or a
// function that reads ranges of them); src/node/pages.ts opens dump directories.

import { isFieldSet } from "@bufbuild/protobuf";
import type { pagemap_entry, pagemap_head } from "../schema/all";
import { criuMessageSchema } from "../schema/registry";
import { ImageError } from "./errors";

/** pagemap_entry.flags bits (criu/include/pagemap.h). */
export const PE_PARENT = 1; // data in the parent dump (the `parent` link)
export const PE_LAZY = 2; // data may be fetched on demand by lazy-pages
export const PE_PRESENT = 4; // data in this dump's pages-<pages_id>.img

/** One pagemap entry, normalised across CRIU releases. */
export interface PageRun {
  /** Index of the entry in the image's entries (the head is 0). */
  entry: number;
  vaddr: bigint;
  /** nr_pages (v4.2+), or compat_nr_pages for older images. */
  nrPages: bigint;
  /** The flags as CRIU's reader sees them (init_compat_pagemap_entry). */
  flags: number;
  present: boolean;
  inParent: boolean;
  lazy: boolean;
  /** Byte offset in pages-<pages_id>.img; set when `present`. */
  pagesOffset?: bigint;
}

type PagemapItem = pagemap_head | pagemap_entry;

/**
 * Normalises a pagemap's entries (as decodeImage gives them, head first; or the entries alone).
 * Rules as CRIU applies them: `in_parent` sets PE_PARENT, no `flags` at all means PE_PRESENT,
 * no `nr_pages` means `compat_nr_pages`. Offsets grow by every PE_PRESENT entry in order.
 * Throws ImageError (bad-payload) when entries are unaligned, overlap or go backwards, since
 * address lookups depend on ascending order (CRIU writes them that way).
 */
export function pagemapLayout(entries: readonly PagemapItem[], pageSize = 4096, file?: string): PageRun[] {
  const runs: PageRun[] = [];
  const size = BigInt(pageSize);
  let offset = 0n;
  let prevEnd = 0n;
  const { field } = criuMessageSchema("pagemap_entry");
  entries.forEach((item, index) => {
    if (item.$typeName === "pagemap_head") return;
    const e = item;
    const nrPages = isFieldSet(e, field.nrPages) ? e.nrPages : BigInt(e.compatNrPages);
    let flags = e.flags;
    if (e.inParent) flags |= PE_PARENT;
    else if (!isFieldSet(e, field.flags)) flags = PE_PRESENT;
    if (e.vaddr % size !== 0n || e.vaddr < prevEnd) {
      throw new ImageError({
        kind: "bad-payload",
        file,
        entry: index,
        expected: `page-aligned entries in ascending order, not vaddr ${hex(e.vaddr)} after ${hex(prevEnd)}`,
      });
    }
    prevEnd = e.vaddr + nrPages * size;
    const present = (flags & PE_PRESENT) !== 0;
    const run: PageRun = {
      entry: index,
      vaddr: e.vaddr,
      nrPages,
      flags,
      present,
      inParent: (flags & PE_PARENT) !== 0,
      lazy: (flags & PE_LAZY) !== 0,
    };
    if (present) {
      run.pagesOffset = offset;
      offset += nrPages * size;
    }
    runs.push(run);
  });
  return runs;
}

/** Bytes of pages-<pages_id>.img the runs use (present pages × page size). */
export function presentBytes(runs: readonly PageRun[], pageSize = 4096): bigint {
  return runs.reduce((sum, r) => (r.present ? sum + r.nrPages * BigInt(pageSize) : sum), 0n);
}

/** Reads `length` bytes at `offset` of pages-N.img. */
export type PageSource = (offset: number, length: number) => Uint8Array | Promise<Uint8Array>;
export type SyncPageSource = (offset: number, length: number) => Uint8Array;

export interface PageReaderOptions {
  /** The entries of pagemap-N.img (head first, as decodeImage gives them) or the entries alone. */
  pagemap: readonly PagemapItem[];
  /** pages-<pages_id>.img: its bytes, or a function reading a range of it. */
  pages: Uint8Array | PageSource;
  /** Size of pages-<pages_id>.img, for the consistency check when `pages` is a function. */
  pagesSize?: number | bigint;
  pageSize?: number;
  /** The same process's (or shmem object's) reader in the parent dump, for PE_PARENT pages. */
  parent?: PageReader | undefined;
  /**
   * What to return for bytes this dump chain does not hold: holes between entries, lazy-only
   * pages, in-parent pages without a parent. "error" (default) throws ImageError bad-payload,
   * because silently inventing zeros would misreport memory; "zeros" fills them with 0.
   */
  missing?: "error" | "zeros";
  /** File name used in errors, e.g. "pagemap-42.img". */
  name?: string;
}

export interface SyncPageReaderOptions extends PageReaderOptions {
  pages: Uint8Array | SyncPageSource;
  parent?: SyncPageReader | undefined;
}

export interface PageReader {
  readonly runs: readonly PageRun[];
  readonly pageSize: number;
  readonly parent: PageReader | undefined;
  /** The bytes of [vaddr, vaddr + length), which may span several entries and the parent. */
  read(vaddr: bigint, length: number): Promise<Uint8Array>;
}

/** A reader whose pages (and parents' pages) are at hand without waiting. */
export interface SyncPageReader extends PageReader {
  readonly parent: SyncPageReader | undefined;
  readSync(vaddr: bigint, length: number): Uint8Array;
}

/** Where each piece of a read comes from; `at` is the position in the output buffer. */
type Piece =
  | { from: "pages"; at: number; offset: number; length: number }
  | { from: "parent"; at: number; vaddr: bigint; length: number }
  | { from: "zeros"; at: number; length: number };

/**
 * A reader over one pagemap and its pages. With in-memory pages (or a synchronous source) and
 * a synchronous parent it is a SyncPageReader; `read` is async in every case so callers can
 * treat all readers alike. Throws ImageError (truncated) if the pages hold fewer bytes than
 * the pagemap's present entries need.
 */
export function createPageReader(options: SyncPageReaderOptions): SyncPageReader;
export function createPageReader(options: PageReaderOptions): PageReader;
export function createPageReader(options: PageReaderOptions): SyncPageReader {
  const pageSize = options.pageSize ?? 4096;
  const runs = pagemapLayout(options.pagemap, pageSize, options.name);
  const { pages, parent, name } = options;
  const available = pages instanceof Uint8Array ? BigInt(pages.length) : toBig(options.pagesSize);
  const needed = presentBytes(runs, pageSize);
  if (available !== undefined && needed > available) {
    throw new ImageError({
      kind: "truncated",
      file: name,
      expected: `pages of at least ${needed} bytes for the pagemap's present entries, not ${available}`,
    });
  }
  const readPages: PageSource =
    pages instanceof Uint8Array ? (offset, length) => pages.subarray(offset, offset + length) : pages;
  const plan = (vaddr: bigint, length: number) =>
    planRead(runs, vaddr, length, pageSize, options.missing ?? "error", parent !== undefined, name);

  return {
    runs,
    pageSize,
    parent: parent as SyncPageReader | undefined,
    async read(vaddr, length) {
      const out = new Uint8Array(length);
      for (const p of plan(vaddr, length)) {
        if (p.from === "zeros") continue;
        const bytes = p.from === "pages" ? await readPages(p.offset, p.length) : await parent!.read(p.vaddr, p.length);
        put(out, p, bytes, name);
      }
      return out;
    },
    readSync(vaddr, length) {
      const out = new Uint8Array(length);
      for (const p of plan(vaddr, length)) {
        if (p.from === "zeros") continue;
        const bytes = p.from === "pages" ? readPages(p.offset, p.length) : syncParent(parent).readSync(p.vaddr, p.length);
        if (!(bytes instanceof Uint8Array)) throw new TypeError("readSync needs a synchronous pages source; use read");
        put(out, p, bytes, name);
      }
      return out;
    },
  };
}

/** Splits [vaddr, vaddr + length) into pieces by source; throws for missing bytes unless zero-filling. */
function planRead(
  runs: readonly PageRun[],
  vaddr: bigint,
  length: number,
  pageSize: number,
  missing: "error" | "zeros",
  hasParent: boolean,
  file: string | undefined,
): Piece[] {
  if (!Number.isSafeInteger(length) || length < 0 || vaddr < 0n) {
    throw new RangeError(`bad read range ${hex(vaddr)} + ${length}`);
  }
  const size = BigInt(pageSize);
  const end = vaddr + BigInt(length);
  const pieces: Piece[] = [];
  const lack = (from: bigint, to: bigint, why: string, entry?: number) => {
    if (missing === "zeros") return pieces.push({ from: "zeros", at: Number(from - vaddr), length: Number(to - from) });
    throw new ImageError({
      kind: "bad-payload",
      file,
      entry,
      expected: `memory at ${hex(from)}..${hex(to)} (read of ${hex(vaddr)} + ${length}), but ${why}`,
    });
  };
  let pos = vaddr;
  for (let i = firstRunEndingAfter(runs, vaddr, size); pos < end; i++) {
    const run = runs[i];
    const start = run?.vaddr ?? end;
    if (pos < start) {
      lack(pos, start < end ? start : end, "no pagemap entry covers it (a hole: unmapped or never touched)");
      pos = start;
      if (pos >= end) break;
    }
    if (!run) break;
    const runEnd = run.vaddr + run.nrPages * size;
    const to = runEnd < end ? runEnd : end;
    if (to <= pos) continue; // empty entry
    const at = Number(pos - vaddr);
    const len = Number(to - pos);
    // CRIU (read_pagemap_page) checks PE_PARENT before PE_PRESENT; so do we.
    if (run.inParent && hasParent) pieces.push({ from: "parent", at, vaddr: pos, length: len });
    else if (run.inParent) lack(pos, to, "its entry is PE_PARENT and no parent dump was given", run.entry);
    else if (run.present) pieces.push({ from: "pages", at, offset: Number(run.pagesOffset! + (pos - run.vaddr)), length: len });
    else if (run.lazy) lack(pos, to, "its entry is PE_LAZY only: the pages were left to lazy-pages, not dumped", run.entry);
    else lack(pos, to, `its entry has no data flags (flags ${run.flags})`, run.entry);
    pos = to;
  }
  return pieces;
}

/** Binary search: the first run whose end lies after `addr` (runs are sorted and disjoint). */
function firstRunEndingAfter(runs: readonly PageRun[], addr: bigint, size: bigint): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid]!;
    if (r.vaddr + r.nrPages * size <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function put(out: Uint8Array, piece: Piece, bytes: Uint8Array, file: string | undefined): void {
  if (bytes.length < piece.length) {
    throw new ImageError({
      kind: "truncated",
      file,
      expected: `${piece.length} bytes of page data for output position ${piece.at}, got ${bytes.length}`,
    });
  }
  out.set(bytes.length === piece.length ? bytes : bytes.subarray(0, piece.length), piece.at);
}

function syncParent(parent: PageReader | undefined): SyncPageReader {
  if (!parent || !("readSync" in parent)) throw new TypeError("readSync needs a synchronous parent reader; use read");
  return parent as SyncPageReader;
}

function toBig(n: number | bigint | undefined): bigint | undefined {
  return n === undefined ? undefined : BigInt(n);
}

function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}
