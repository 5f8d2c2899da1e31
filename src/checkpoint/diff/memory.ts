// Memory per task present in both checkpoints: mappings matched by start address, and pages:
// how many each holds and which pages held by both have different bytes. Pages are read
// through the memory reader a chunk at a time from each side, so memory use stays at two
// chunks whatever the checkpoints' size.

import { openMemoryDump, type MemoryDump, type MemoryDumpOptions } from "../memory/dump";
import { errorText } from "../model/errors";
import { openTaskMemory } from "../memory/reader";
import type { Segment } from "../memory/layout";
import type { Checkpoint, MemoryMap, Task } from "../model/types";
import { matchBy } from "./match";
import type { MapEntry, PagesDiff, TaskMemoryDiff } from "./types";

export interface PagesOptions {
  chunkPages: number;
  dumpA?: MemoryDumpOptions;
  dumpB?: MemoryDumpOptions;
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
  const dumps = pages && (await Promise.all([openMemoryDump(a.source, pages.dumpA), openMemoryDump(b.source, pages.dumpB)]));
  const out: TaskMemoryDiff[] = [];
  for (const { a: ta, b: tb } of pairs) {
    out.push({ pid: ta.pid, maps: diffMaps(ta.memoryMaps, tb.memoryMaps), pages: !dumps ? null : (await diffTaskPages(dumps[0], dumps[1], ta, tb, pages!.chunkPages)) });
  }
  return out;
}

async function diffTaskPages(dumpA: MemoryDump, dumpB: MemoryDump, ta: Task, tb: Task, chunkPages: number): Promise<PagesDiff | null> {
  // Threads and tasks without their own memory (no pagemap) have nothing to compare.
  if (ta.memoryMaps.length === 0 && tb.memoryMaps.length === 0) return null;
  try {
    const [ma, mb] = await Promise.all([openTaskMemory(dumpA, ta.pid), openTaskMemory(dumpB, tb.pid)]);
    const held = (segments: readonly Segment[]) => segments.filter((s) => s.kind === "data").map((s) => ({ start: s.start, end: s.end }));
    const ha = held(ma.layout.segments);
    const hb = held(mb.layout.segments);
    const page = BigInt(dumpA.pageSize);
    const count = (ranges: readonly Range[]) => Number(ranges.reduce((n, r) => n + (r.end - r.start), 0n) / page);
    const common = intersect(ha, hb);
    const changed: string[] = [];
    const chunk = BigInt(chunkPages) * page;
    for (const r of common) {
      for (let at = r.start; at < r.end; at += chunk) {
        const length = Number((r.end - at < chunk ? r.end - at : chunk));
        const [ba, bb] = await Promise.all([ma.readWithGaps(at, length), mb.readWithGaps(at, length)]);
        for (let off = 0; off < length; off += dumpA.pageSize) {
          if (!samePage(ba.bytes, bb.bytes, off, dumpA.pageSize)) changed.push(hex(at + BigInt(off)));
        }
      }
    }
    const both = count(common);
    return { resident: { a: count(ha), b: count(hb) }, changed, onlyInA: count(ha) - both, onlyInB: count(hb) - both, error: null };
  } catch (err) {
    return { resident: { a: 0, b: 0 }, changed: [], onlyInA: 0, onlyInB: 0, error: errorText(err) };
  }
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
