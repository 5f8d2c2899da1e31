// Where every dumped page of a task is, across a pre-dump chain: the task's top pagemap cut into
// segments, each either bytes of some level's pages-<pages_id>.img or missing (with why).

import { pagemapLayout, presentBytes, type PageRun } from "../../image/pages";
import type { EntriesOf } from "../../image/entries";
import { readImage, tryReadImage, type MemoryDump } from "./dump";
import { MemoryError } from "./errors";

/** One level's pagemap of a task. */
export interface TaskLayer {
  level: number;
  /** Full member name of pages-<pages_id>.img in the level's source. */
  pagesMember: string;
  runs: readonly PageRun[];
}

/** A stretch of a task's dumped address space. */
export type Segment =
  | {
      kind: "data";
      start: bigint;
      end: bigint;
      /** Which dump of the chain holds the bytes (0: this one). */
      level: number;
      member: string;
      /** Offset of `start` in the member. */
      offset: number;
      /** PE_LAZY: the pages were also left to lazy-pages (their bytes are here all the same). */
      lazy: boolean;
    }
  | { kind: "missing"; start: bigint; end: bigint; why: string };

export interface TaskLayout {
  /** The task's pid; for a shared-memory object (shmid set), the pid of a task that maps it. */
  pid: number;
  /** Set for the layout of an anonymous shared-memory object (pagemap-shmem-<shmid>.img; addresses are offsets in it). */
  shmid?: bigint;
  /** layers[0] is the dump itself; a parent layer is absent where the parent has no pagemap for the task. */
  layers: readonly TaskLayer[];
  /** Ascending and disjoint; together they cover the top pagemap's entries exactly. */
  segments: readonly Segment[];
}

/** Reads pagemap-<pid>.img at every level of the chain and resolves the segments. */
export function loadTaskLayout(dump: MemoryDump, pid: number): Promise<TaskLayout> {
  return loadLayout(dump, `pagemap-${pid}.img`, pid);
}

/** The same for pagemap-shmem-<shmid>.img, the pages of a MAP_SHARED|MAP_ANONYMOUS object that `pid` maps. */
export async function loadShmemLayout(dump: MemoryDump, shmid: bigint, pid: number): Promise<TaskLayout> {
  return { ...(await loadLayout(dump, `pagemap-shmem-${shmid}.img`, pid)), shmid };
}

async function loadLayout(dump: MemoryDump, name: string, pid: number): Promise<TaskLayout> {
  const layers: TaskLayer[] = [];
  for (const [index, at] of dump.levels.entries()) {
    // Like CRIU, a parent without this task's pagemap means the task has no parent pages.
    const pagemap = index === 0 ? await readImage(at, name, "PAGEMAP", pid) : await tryReadImage(at, name, "PAGEMAP");
    if (pagemap === undefined) break;
    layers.push(layerOf(pagemap, { label: at.source.label, prefix: at.prefix, name, pid, level: index, pageSize: dump.pageSize }, (pages) => at.members.get(pages)?.size));
  }
  return layoutOf(pid, layers, dump.pageSize);
}

/** Where a pagemap image sits, for layerOf. */
export interface PagemapPlace {
  /** The source's label and the images' prefix in it, for messages and member names. */
  label: string;
  prefix: string;
  /** pagemap-N.img or pagemap-shmem-N.img. */
  name: string;
  pid: number;
  level: number;
  pageSize: number;
}

/**
 * One level's layer from its decoded pagemap; `sizeOf` gives the size of a pages image of the
 * level (by name relative to the prefix), undefined when it has none.
 */
export function layerOf(pagemap: EntriesOf<"PAGEMAP">, at: PagemapPlace, sizeOf: (pages: string) => number | undefined): TaskLayer {
  const head = pagemap[0];
  const pages = `pages-${head.pagesId}.img`;
  const runs = pagemapLayout(pagemap, at.pageSize, at.prefix + at.name);
  const needed = presentBytes(runs, at.pageSize);
  const size = sizeOf(pages);
  if (needed > 0n && size === undefined) {
    throw new MemoryError("missing-image", `${at.label}: ${at.prefix}${pages} not found (task ${at.pid})`, pages, at.pid);
  }
  if (size !== undefined && BigInt(size) < needed) {
    throw new MemoryError("truncated", `${at.label}: ${at.prefix}${pages} holds ${size} bytes, ${at.name} needs ${needed}`, pages, at.pid);
  }
  return { level: at.level, pagesMember: at.prefix + pages, runs };
}

/** The layout of a task (or shared object) from its layers, the dump's first. */
export function layoutOf(pid: number, layers: readonly TaskLayer[], pageSize: number): TaskLayout {
  const segments: Segment[] = [];
  for (const run of layers[0]!.runs) resolve(layers, 0, run.vaddr, run.vaddr + run.nrPages * BigInt(pageSize), pageSize, segments);
  return { pid, layers, segments };
}

/** Appends the segments of [start, end) as level `index` has them (which may defer to its parent). */
function resolve(layers: readonly TaskLayer[], index: number, start: bigint, end: bigint, pageSize: number, out: Segment[]): void {
  const layer = layers[index];
  if (!layer) {
    out.push({ kind: "missing", start, end, why: "its pagemap entry is PE_PARENT and the parent dump has no pages for it" });
    return;
  }
  const size = BigInt(pageSize);
  let pos = start;
  for (const run of layer.runs) {
    const runEnd = run.vaddr + run.nrPages * size;
    if (runEnd <= pos) continue;
    if (run.vaddr >= end) break;
    if (run.vaddr > pos) {
      out.push({ kind: "missing", start: pos, end: run.vaddr, why: `the parent dump (level ${index}) has no pagemap entry for it` });
      pos = run.vaddr;
    }
    const to = runEnd < end ? runEnd : end;
    // CRIU (read_pagemap_page) tests PE_PARENT before PE_PRESENT.
    if (run.inParent) resolve(layers, index + 1, pos, to, pageSize, out);
    else if (run.present) {
      const offset = Number(run.pagesOffset! + (pos - run.vaddr));
      out.push({ kind: "data", start: pos, end: to, level: index, member: layer.pagesMember, offset, lazy: run.lazy });
    } else if (run.lazy) out.push({ kind: "missing", start: pos, end: to, why: "its pages are PE_LAZY only: left to lazy-pages, not dumped" });
    else out.push({ kind: "missing", start: pos, end: to, why: `its pagemap entry has no data flags (${run.flags})` });
    pos = to;
    if (pos >= end) return;
  }
  if (pos < end) out.push({ kind: "missing", start: pos, end, why: `the parent dump (level ${index}) has no pagemap entry for it` });
}

/** Index of the first segment ending after `addr`. */
export function segmentIndex(segments: readonly Segment[], addr: bigint): number {
  return firstEndingAfter(segments, addr);
}

/** Binary search over ascending, disjoint ranges: the first one ending after `addr`. */
export function firstEndingAfter(items: readonly { end: bigint }[], addr: bigint): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.end <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
