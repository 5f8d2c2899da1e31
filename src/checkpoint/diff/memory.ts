// Memory per task present in both checkpoints: mappings matched by start address, and pages:
// how many each holds and which pages held by both have different bytes. Pages are read
// through the memory reader a chunk at a time from each side, so memory use stays at two
// chunks whatever the checkpoints' size.

import { openMemoryDump, type MemoryDump, type MemoryDumpOptions } from "../memory/dump";
import { errorText } from "../model/errors";
import { openTaskMemory, type TaskMemory } from "../memory/reader";
import type { Segment } from "../memory/layout";
import type { Checkpoint, MemoryMap, Task } from "../model/types";
import { matchBy } from "./match";
import type { MapEntry, PagesDiff, TaskMemoryDiff } from "./types";

export interface PagesOptions {
  chunkPages: number;
  dumpA?: MemoryDumpOptions;
  dumpB?: MemoryDumpOptions;
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

export function diffMaps(a: readonly MemoryMap[], b: readonly MemoryMap[]): TaskMemoryDiff["maps"] {
  const m = matchBy(a, b, (x) => hex(x.start), (x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const out: TaskMemoryDiff["maps"] = { added: m.onlyB.map(mapEntry), removed: m.onlyA.map(mapEntry), resized: [], changed: [] };
  for (const { a: ma, b: mb } of m.both) {
    if (ma.end !== mb.end) out.resized.push({ start: hex(ma.start), backing: mb.backing, end: { a: hex(ma.end), b: hex(mb.end) } });
    else if (ma.protection !== mb.protection || ma.backing !== mb.backing) {
      out.changed.push({ start: hex(ma.start), end: hex(ma.end), protection: { a: ma.protection, b: mb.protection }, backing: { a: ma.backing, b: mb.backing } });
    }
  }
  return out;
}

function mapEntry(m: MemoryMap): MapEntry {
  return { start: hex(m.start), end: hex(m.end), protection: m.protection, backing: m.backing };
}

/** Maps (and, with `pages`, page contents) of every task in both checkpoints, by pid. */
export async function diffMemory(a: Checkpoint, b: Checkpoint, pages: PagesOptions | undefined): Promise<TaskMemoryDiff[]> {
  const pairs = matchBy(a.tasks, b.tasks, (t) => String(t.pid), (x, y) => x.pid - y.pid).both;
  const out = pairs.map(({ a: ta, b: tb }): TaskMemoryDiff => ({ pid: ta.pid, maps: diffMaps(ta.memoryMaps, tb.memoryMaps), pages: null }));
  if (!pages) return out;
  stopIfAborted(pages.signal);
  const [dumpA, dumpB] = await Promise.all([openMemoryDump(a.source, pages.dumpA), openMemoryDump(b.source, pages.dumpB)]);
  // First what each pair holds (pagemaps only), so that progress knows the total; then the bytes.
  const plans: (PagePlan | PagesDiff | null)[] = [];
  for (const { a: ta, b: tb } of pairs) plans.push(await planTaskPages(dumpA, dumpB, ta, tb));
  const total = plans.reduce((n, p) => n + (p && "common" in p ? bytesIn(p.common) : 0), 0);
  const progress = { done: 0, total };
  pages.onProgress?.({ ...progress });
  for (const [i, plan] of plans.entries()) {
    out[i]!.pages = plan && "common" in plan ? await comparePages(plan, pages, progress) : plan;
  }
  return out;
}

interface PagePlan {
  ma: TaskMemory;
  mb: TaskMemory;
  pageSize: number;
  /** The page ranges each side holds, and those both hold. */
  held: { a: Range[]; b: Range[] };
  common: Range[];
}

/** What both tasks hold; null for a task without memory of its own; a PagesDiff with the error when a pagemap cannot be read. */
async function planTaskPages(dumpA: MemoryDump, dumpB: MemoryDump, ta: Task, tb: Task): Promise<PagePlan | PagesDiff | null> {
  // Threads and tasks without their own memory (no pagemap) have nothing to compare.
  if (ta.memoryMaps.length === 0 && tb.memoryMaps.length === 0) return null;
  try {
    const [ma, mb] = await Promise.all([openTaskMemory(dumpA, ta.pid), openTaskMemory(dumpB, tb.pid)]);
    const held = (segments: readonly Segment[]) => segments.filter((s) => s.kind === "data").map((s) => ({ start: s.start, end: s.end }));
    const ha = held(ma.layout.segments);
    const hb = held(mb.layout.segments);
    return { ma, mb, pageSize: dumpA.pageSize, held: { a: ha, b: hb }, common: intersect(ha, hb) };
  } catch (err) {
    return failed(err);
  }
}

async function comparePages(plan: PagePlan, options: PagesOptions, progress: { done: number; total: number }): Promise<PagesDiff> {
  const { ma, mb, pageSize } = plan;
  const changed: string[] = [];
  const chunk = BigInt(options.chunkPages) * BigInt(pageSize);
  try {
    for (const r of plan.common) {
      for (let at = r.start; at < r.end; at += chunk) {
        stopIfAborted(options.signal);
        const length = Number(r.end - at < chunk ? r.end - at : chunk);
        const [ba, bb] = await Promise.all([ma.readWithGaps(at, length), mb.readWithGaps(at, length)]);
        for (let off = 0; off < length; off += pageSize) {
          if (!samePage(ba.bytes, bb.bytes, off, pageSize)) changed.push(hex(at + BigInt(off)));
        }
        progress.done += length;
        options.onProgress?.({ ...progress });
      }
    }
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return failed(err);
  }
  const count = (ranges: readonly Range[]) => bytesIn(ranges) / pageSize;
  const both = count(plan.common);
  const [a, b] = [count(plan.held.a), count(plan.held.b)];
  return { resident: { a, b }, changed, onlyInA: a - both, onlyInB: b - both, error: null };
}

function failed(err: unknown): PagesDiff {
  return { resident: { a: 0, b: 0 }, changed: [], onlyInA: 0, onlyInB: 0, error: errorText(err) };
}

function bytesIn(ranges: readonly Range[]): number {
  return Number(ranges.reduce((n, r) => n + (r.end - r.start), 0n));
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("diffCheckpoints: the page comparison was aborted");
}

interface Range {
  start: bigint;
  end: bigint;
}

/** The ranges in both lists (each ascending and disjoint). */
export function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = a[i]!.start > b[j]!.start ? a[i]!.start : b[j]!.start;
    const end = a[i]!.end < b[j]!.end ? a[i]!.end : b[j]!.end;
    if (start < end) {
      const last = out[out.length - 1];
      if (last && last.end === start) last.end = end;
      else out.push({ start, end });
    }
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}

function samePage(a: Uint8Array, b: Uint8Array, offset: number, size: number): boolean {
  for (let k = offset; k < offset + size; k++) if (a[k] !== b[k]) return false;
  return true;
}
