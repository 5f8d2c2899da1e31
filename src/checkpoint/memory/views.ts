// memparse's views as data: the size table of every task, and the rows of one task's hexdump.

import type { CheckpointSource } from "../../source/source";
import { listTasks, openMemoryDump, treeOrder, type MemoryDump, type MemoryDumpOptions } from "./dump";
import { loadTaskLayout } from "./layout";
import { loadMappings } from "./mappings";
import type { TaskMemory } from "./reader";

export interface TaskMemorySize {
  pid: number;
  comm: string;
  /** Bytes covered by the top pagemap's entries (checkpointctl's "memory size"). */
  memory: number;
  /** Bytes of MAP_SHARED mappings (checkpointctl's "shared memory size"). */
  sharedMemory: number;
  /** Of `memory`: bytes in this dump's pages, in parent dumps' pages, and not dumped at all. */
  inDump: number;
  inParents: number;
  missing: number;
  /** Set when the task has no memory images (a dead task). */
  note?: string;
}

/** One row per task, in process-tree order (children by pid). */
export async function memorySizes(source: CheckpointSource | MemoryDump, options: MemoryDumpOptions = {}): Promise<TaskMemorySize[]> {
  const dump = "levels" in source ? source : await openMemoryDump(source, options);
  const tasks = treeOrder(await listTasks(dump));
  const top = dump.levels[0]!;
  const mappings = await loadMappings(top, tasks.map((t) => t.pid));
  const out: TaskMemorySize[] = [];
  for (const { pid, comm } of tasks) {
    const row: TaskMemorySize = { pid, comm, memory: 0, sharedMemory: 0, inDump: 0, inParents: 0, missing: 0 };
    for (const m of mappings.get(pid) ?? []) if (m.shared) row.sharedMemory += Number(m.end - m.start);
    if (!top.members.has(`pagemap-${pid}.img`)) row.note = "no pagemap image (a dead task, or no memory dumped)";
    else {
      for (const s of (await loadTaskLayout(dump, pid)).segments) {
        const n = Number(s.end - s.start);
        row.memory += n;
        if (s.kind === "missing") row.missing += n;
        else if (s.level === 0) row.inDump += n;
        else row.inParents += n;
      }
    }
    out.push(row);
  }
  return out;
}

export type HexRow =
  | { kind: "bytes"; address: bigint; bytes: Uint8Array }
  /** Rows equal to the row before, left out. */
  | { kind: "repeat" }
  | { kind: "missing"; address: bigint; length: bigint; why: string };

const ROW = 16;
const READ = 64 * 1024;

/**
 * The task's dumped memory, pagemap entry by pagemap entry, 16 bytes a row. With `collapse`,
 * a row whose bytes equal the previous row's is folded into one "repeat" (within an entry, like
 * checkpointctl, which however compares the rows' ASCII column and so hides differing bytes).
 */
export async function* hexdumpRows(memory: TaskMemory, collapse = true): AsyncGenerator<HexRow> {
  const runStarts = new Set(memory.layout.layers[0]!.runs.map((r) => r.vaddr));
  let prev: Uint8Array | undefined;
  let repeating = false;
  for (const seg of memory.layout.segments) {
    if (runStarts.has(seg.start)) prev = undefined;
    if (seg.kind === "missing") {
      yield { kind: "missing", address: seg.start, length: seg.end - seg.start, why: seg.why };
      prev = undefined;
      continue;
    }
    for (let at = seg.start; at < seg.end; ) {
      const length = Number(seg.end - at < BigInt(READ) ? seg.end - at : BigInt(READ));
      const bytes = await memory.read(at, length);
      for (let i = 0; i < length; i += ROW) {
        const row = bytes.subarray(i, i + ROW);
        if (collapse && prev && equal(prev, row)) {
          if (!repeating) yield { kind: "repeat" };
          repeating = true;
        } else {
          repeating = false;
          yield { kind: "bytes", address: at + BigInt(i), bytes: row };
        }
        prev = row;
      }
      at += BigInt(length);
    }
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
