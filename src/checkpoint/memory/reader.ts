// The memory reader: bytes of any address range of one task, following pre-dump parents, read
// through the source's readRanges (one call per dump of the chain, whatever the range spans).

import type { CheckpointSource, RangeRequest } from "../../source/source";
import { listTasks, openMemoryDump, type MemoryDump, type MemoryDumpOptions } from "./dump";
import { MemoryError } from "./errors";
import { loadShmemLayout, loadTaskLayout, segmentIndex, type Segment, type TaskLayout } from "./layout";
import { loadMappings, mappingAt, type Mapping } from "./mappings";

/** A stretch of a read that the dump chain does not hold. */
export interface MissingRange {
  start: bigint;
  end: bigint;
  why: string;
}

export interface MemoryRead {
  bytes: Uint8Array;
  /** Ranges not held by the dump (zeros in `bytes`), ascending. */
  missing: MissingRange[];
  /** Some of the bytes are on PE_LAZY pages (dumped, and also left to lazy-pages). */
  lazy: boolean;
}

export interface ReadOptions {
  /** "error" (default): a MemoryError "missing-memory" for bytes the chain lacks; "zeros": fill them with 0. */
  missing?: "error" | "zeros";
}

export interface TaskMemory {
  readonly pid: number;
  readonly layout: TaskLayout;
  /** mm-N.img's mappings, ascending. */
  readonly mappings: readonly Mapping[];
  /** The bytes of [address, address + length); see ReadOptions for bytes the dump lacks. */
  read(address: bigint, length: number, options?: ReadOptions): Promise<Uint8Array>;
  /** The bytes with the ranges the dump lacks listed (zeros there) instead of thrown. */
  readWithGaps(address: bigint, length: number): Promise<MemoryRead>;
  /** The mapping `address` lies in. */
  mappingAt(address: bigint): Mapping | undefined;
}

/**
 * Opens the memory of task `pid` of a dump (a source with the images at its root or under
 * `checkpoint/`). Parents: see MemoryDumpOptions.parents.
 */
export async function openTaskMemory(source: CheckpointSource | MemoryDump, pid: number, options: MemoryDumpOptions = {}): Promise<TaskMemory> {
  const dump = "levels" in source ? source : await openMemoryDump(source, options);
  const tasks = await listTasks(dump);
  if (!tasks.some((t) => t.pid === pid)) {
    throw new MemoryError("no-task", `${dump.label}: no task ${pid} in pstree.img (tasks: ${tasks.map((t) => t.pid).join(", ")})`, "pstree.img", pid);
  }
  const layout = await loadTaskLayout(dump, pid);
  const mappings = (await loadMappings(dump.levels[0]!, [pid])).get(pid) ?? [];
  // Shared anonymous and memfd mappings: their pages are in pagemap-shmem-<shmid>.img, not the task's pagemap.
  const shared: { mapping: Mapping; layout: TaskLayout }[] = [];
  for (const m of mappings) {
    if (m.shmid !== undefined && dump.levels[0]!.members.has(`pagemap-shmem-${m.shmid}.img`)) shared.push({ mapping: m, layout: await loadShmemLayout(dump, m.shmid, pid) });
  }
  const readWithGaps = async (address: bigint, length: number) => {
    const got = await readLayout(dump, layout, address, length);
    return shared.length === 0 || got.missing.length === 0 ? got : fillFromShared(dump, got, address, shared);
  };
  return {
    pid,
    layout,
    mappings,
    readWithGaps,
    async read(address, length, opts = {}) {
      const got = await readWithGaps(address, length);
      const first = got.missing[0];
      if (first && opts.missing !== "zeros") {
        throw new MemoryError(
          "missing-memory",
          `task ${pid}: memory at 0x${first.start.toString(16)}..0x${first.end.toString(16)} is not in the dump: ${first.why}`,
          `pagemap-${pid}.img`,
          pid,
          first.start,
        );
      }
      return got.bytes;
    },
    mappingAt: (address) => mappingAt(mappings, address),
  };
}

/** Fills the gaps of a task read that lie in shared-memory mappings from their objects' pages. */
async function fillFromShared(dump: MemoryDump, got: MemoryRead, address: bigint, shared: readonly { mapping: Mapping; layout: TaskLayout }[]): Promise<MemoryRead> {
  const missing: MissingRange[] = [];
  for (const gap of got.missing) {
    let pos = gap.start;
    for (const { mapping: m, layout } of shared) {
      const from = m.start > pos ? m.start : pos;
      const to = m.end < gap.end ? m.end : gap.end;
      if (from >= to || from < pos) continue;
      if (from > pos) missing.push({ start: pos, end: from, why: gap.why });
      const part = await readLayout(dump, layout, m.fileOffset + (from - m.start), Number(to - from));
      got.bytes.set(part.bytes, Number(from - address));
      for (const lack of part.missing) missing.push({ start: m.start + lack.start - m.fileOffset, end: m.start + lack.end - m.fileOffset, why: `shared memory ${m.shmid}: ${lack.why}` });
      got.lazy ||= part.lazy;
      pos = to;
    }
    if (pos < gap.end) missing.push({ start: pos, end: gap.end, why: gap.why });
  }
  return { ...got, missing };
}

/** Reads [address, address + length) of a task through its layout. */
export async function readLayout(dump: MemoryDump, layout: TaskLayout, address: bigint, length: number): Promise<MemoryRead> {
  if (!Number.isSafeInteger(length) || length < 0 || address < 0n) throw new RangeError(`bad read range 0x${address.toString(16)} + ${length}`);
  const end = address + BigInt(length);
  const bytes = new Uint8Array(length);
  const missing: MissingRange[] = [];
  const byLevel = new Map<number, { at: number; request: RangeRequest }[]>();
  let lazy = false;
  let pos = address;
  const lack = (to: bigint, why: string) => {
    const last = missing[missing.length - 1];
    if (last && last.end === pos && last.why === why) last.end = to;
    else missing.push({ start: pos, end: to, why });
  };
  const { segments } = layout;
  for (let i = segmentIndex(segments, address); pos < end; i++) {
    const seg: Segment | undefined = segments[i];
    if (!seg || seg.start >= end) {
      lack(end, "no pagemap entry covers it (unmapped, or never touched)");
      break;
    }
    if (seg.start > pos) {
      lack(seg.start, "no pagemap entry covers it (unmapped, or never touched)");
      pos = seg.start;
    }
    const to = seg.end < end ? seg.end : end;
    if (seg.kind === "missing") lack(to, seg.why);
    else {
      lazy ||= seg.lazy;
      const request = { name: seg.member, offset: seg.offset + Number(pos - seg.start), length: Number(to - pos) };
      const list = byLevel.get(seg.level) ?? [];
      list.push({ at: Number(pos - address), request });
      byLevel.set(seg.level, list);
    }
    pos = to;
  }
  for (const [level, pieces] of byLevel) {
    const got = await dump.levels[level]!.source.readRanges(pieces.map((p) => p.request));
    pieces.forEach((p, k) => bytes.set(got[k]!, p.at));
  }
  return { bytes, missing, lazy };
}
