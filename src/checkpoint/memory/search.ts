// Searching the memory of a dump's tasks: one stream() pass over the pages-*.img members of each
// dump of the chain (so a compressed archive is decompressed once per dump, whatever the number
// of tasks), page offsets mapped back to (pid, address) through each task's pagemap. Matches are
// found in the raw bytes, across page, pagemap-entry and chunk boundaries; where a task's
// adjacent pages come from different dumps of a pre-dump chain, the few bytes at each such seam
// are kept during the passes and searched together afterwards.

import type { CheckpointSource } from "../../source/source";
import { listTasks, openMemoryDump, treeOrder, type MemoryDump, type MemoryDumpOptions } from "./dump";
import { loadShmemLayout, loadTaskLayout, segmentIndex, type TaskLayout } from "./layout";
import { loadMappings, mappingAt, type Mapping } from "./mappings";
import { compilePattern, type SearchPattern } from "./pattern";
import { dataBytes, PagesScan, type RegionHit } from "./scan";
import type { RawHit, StretchEdge } from "./scanner";
import { searchSeams } from "./seams";
import { takeFoundAtOpen, type SearchAtOpen } from "./search-at-open";

export interface MemoryHit {
  pid: number;
  /** Virtual address of the match's first byte. */
  address: bigint;
  /** The matched bytes, raw. */
  match: Uint8Array;
  /** Up to `context` bytes before and after the match (fewer at the edge of dumped memory). */
  before: Uint8Array;
  after: Uint8Array;
  /** The mapping (mm-N.img VMA) holding the address; undefined if no VMA covers it. */
  mapping: Mapping | undefined;
  /** address - mapping.start. */
  offsetInMapping: bigint | undefined;
  /** Some matched bytes lie on PE_LAZY pages. */
  lazy: boolean;
  /** The dump of the chain holding the first byte (0: this dump, 1: its parent...). */
  level: number;
}

export interface SearchProgress {
  /** Bytes of task memory scanned so far, and in all. */
  done: number;
  total: number;
}

export interface SearchOptions extends MemoryDumpOptions {
  /** Only these tasks (default: every task). */
  pids?: readonly number[];
  /** Bytes of context before and after each hit (default 0). */
  context?: number;
  onProgress?: (progress: SearchProgress) => void;
  signal?: AbortSignal;
  /**
   * The same search, run in the pass that opened the source (searchAtOpen's result given as the
   * source's `tap`): its hits are used instead of reading the pages again, where it covered them.
   */
  atOpen?: SearchAtOpen;
}

export interface SearchSummary {
  /** The tasks searched, in process-tree order. */
  pids: number[];
  /** Tasks asked for (or in the tree) without memory to search, and why. */
  skipped: { pid: number; why: string }[];
  bytes: number;
  hits: number;
}

/** Calls `onHit` for every match, in the order found; resolves with a summary. */
export async function searchMemory(
  source: CheckpointSource | MemoryDump,
  pattern: SearchPattern,
  onHit: (hit: MemoryHit) => void | Promise<void>,
  options: SearchOptions = {},
): Promise<SearchSummary> {
  const matcher = compilePattern(pattern);
  const dump = "levels" in source ? source : await openMemoryDump(source, options);
  const { layouts, skipped } = await selectTasks(dump, options.pids);
  const mappings = await loadMappings(dump.levels[0]!, [...layouts.keys()]);
  const regions = await withSharedMemory(dump, layouts, mappings);
  const context = Math.max(0, options.context ?? 0);
  const total = [...regions.values()].reduce((sum, l) => sum + dataBytes(l), 0);
  let done = 0;
  let hits = 0;
  const edges = new Map<string, StretchEdge[]>();
  const emit = async (found: readonly RegionHit[]) => {
    for (const { key, raw } of found) {
      for (const hit of describeHits(raw, regions.get(key)!, mappings)) await onHit(hit), hits++;
    }
  };

  for (const [level, at] of dump.levels.entries()) {
    const atOpen = level === 0 ? takeFoundAtOpen(options.atOpen?.found, { pattern, context, pageSize: dump.pageSize }, regions) : undefined;
    if (atOpen) {
      for (const [key, list] of atOpen.edges) edges.set(key, [...list]);
      done += [...regions.values()].reduce((sum, l) => sum + dataBytes(l, 0), 0);
      await emit(atOpen.hits);
      options.onProgress?.({ done, total });
      continue;
    }
    const scan = new PagesScan(matcher, context, regions, level, edges);
    if (scan.members.length === 0) continue;
    await at.source.stream(
      scan.members,
      async (name, offset, chunk) => {
        done += scan.feed(name, offset, chunk);
        await emit(scan.take());
        options.onProgress?.({ done, total });
      },
      options.signal,
    );
    throwIfAborted(options.signal);
    scan.close();
    await emit(scan.take());
  }
  for (const [key, list] of edges) {
    await emit(searchSeams(matcher, context, list).map((raw) => ({ key, raw })));
  }
  return { pids: [...layouts.keys()], skipped, bytes: total, hits };
}

/** The hits as an async iterator (the search runs as the iterator is pulled; breaking off stops it). */
export async function* memoryHits(source: CheckpointSource | MemoryDump, pattern: SearchPattern, options: SearchOptions = {}): AsyncGenerator<MemoryHit, SearchSummary> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const buffered: MemoryHit[] = [];
  let wake: (() => void) | undefined;
  let pulled: (() => void) | undefined;
  let outcome: { summary: SearchSummary } | { error: unknown } | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  void searchMemory(
    source,
    pattern,
    async (hit) => {
      buffered.push(hit);
      notify();
      // Back-pressure: wait until the consumer has taken what is buffered.
      if (buffered.length >= 256) await new Promise<void>((resolve) => (pulled = resolve));
    },
    { ...options, signal },
  ).then(
    (summary) => ((outcome = { summary }), notify()),
    (error: unknown) => ((outcome = { error }), notify()),
  );
  try {
    for (;;) {
      if (buffered.length > 0) {
        yield buffered.shift()!;
        if (buffered.length === 0) pulled?.();
        continue;
      }
      if (outcome) {
        if ("error" in outcome) throw outcome.error;
        return outcome.summary;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stop.abort();
    pulled?.();
  }
}

async function selectTasks(dump: MemoryDump, pids: readonly number[] | undefined) {
  const tasks = treeOrder(await listTasks(dump));
  const skipped: { pid: number; why: string }[] = [];
  const known = new Set(tasks.map((t) => t.pid));
  for (const pid of pids ?? []) if (!known.has(pid)) skipped.push({ pid, why: "not in pstree.img" });
  const layouts = new Map<number, TaskLayout>();
  for (const { pid } of tasks) {
    if (pids && !pids.includes(pid)) continue;
    if (!dump.levels[0]!.members.has(`pagemap-${pid}.img`)) {
      skipped.push({ pid, why: "no pagemap image (a dead task, or no memory dumped)" });
      continue;
    }
    layouts.set(pid, await loadTaskLayout(dump, pid));
  }
  return { layouts, skipped };
}

/**
 * The regions to scan: each task's memory ("task:PID"), and each anonymous shared-memory object a
 * task maps ("shmem:ID": CRIU dumps those pages once, in pagemap-shmem-ID.img, not per task).
 */
async function withSharedMemory(dump: MemoryDump, layouts: ReadonlyMap<number, TaskLayout>, mappings: ReadonlyMap<number, Mapping[]>): Promise<Map<string, TaskLayout>> {
  const regions = new Map<string, TaskLayout>();
  for (const [pid, layout] of layouts) regions.set(`task:${pid}`, layout);
  for (const pid of layouts.keys()) {
    for (const m of mappings.get(pid) ?? []) {
      const key = `shmem:${m.shmid}`;
      if (m.shmid === undefined || regions.has(key) || !dump.levels[0]!.members.has(`pagemap-shmem-${m.shmid}.img`)) continue;
      regions.set(key, await loadShmemLayout(dump, m.shmid, pid));
    }
  }
  return regions;
}

/** A task's hit; for a shared-memory object, one hit per searched task mapping the bytes, at its address. */
function describeHits(raw: RawHit, layout: TaskLayout, mappings: ReadonlyMap<number, Mapping[]>): MemoryHit[] {
  if (layout.shmid === undefined) return [describeHit(layout.pid, raw, raw.address, layout, mappings.get(layout.pid) ?? [])];
  const out: MemoryHit[] = [];
  for (const [pid, list] of mappings) {
    for (const m of list) {
      if (m.shmid !== layout.shmid || raw.address < m.fileOffset || raw.address - m.fileOffset >= m.end - m.start) continue;
      out.push(describeHit(pid, raw, m.start + raw.address - m.fileOffset, layout, list));
    }
  }
  return out;
}

/** `raw.address` is where the bytes are in the layout; `address`, where the task sees them. */
function describeHit(pid: number, raw: RawHit, address: bigint, layout: TaskLayout, mappings: readonly Mapping[]): MemoryHit {
  const mapping = mappingAt(mappings, address);
  const end = raw.address + BigInt(raw.match.length);
  let lazy = false;
  let level = 0;
  for (let i = segmentIndex(layout.segments, raw.address); i < layout.segments.length; i++) {
    const s = layout.segments[i]!;
    if (s.start >= end && s.start > raw.address) break;
    if (s.kind !== "data") continue;
    if (s.start <= raw.address) level = s.level;
    lazy ||= s.lazy;
  }
  return { pid, ...raw, address, mapping, offsetInMapping: mapping ? address - mapping.start : undefined, lazy, level };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("memory search aborted");
}
