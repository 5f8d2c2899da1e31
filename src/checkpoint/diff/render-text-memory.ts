// The Memory Changes box's lines for --memory: per task, its maps added, removed, resized or
// changed, and its pages: how many each checkpoint holds and the ranges whose bytes differ.

import type { RenderOptions } from "./checkpointctl-view";
import { taskChanged } from "./render-json";
import type { CheckpointDiff, TaskMemoryDiff } from "./types";

export function memoryLines(d: CheckpointDiff, o: RenderOptions): string[] {
  const tasks = o.showUnchanged ? d.memory.tasks : d.memory.tasks.filter(taskChanged);
  return tasks.flatMap(taskLines);
}

function taskLines(t: TaskMemoryDiff): string[] {
  const p = t.pages;
  const head = p === null ? `PID ${t.pid}` : p.error !== null ? `PID ${t.pid}: pages not compared: ${p.error}` : `PID ${t.pid}: ${pagesText(p)}`;
  const m = t.maps;
  const map = (mark: string, x: { start: string; end: string; protection: string; backing: string }) => `  ${mark} map ${x.start}-${x.end} ${x.protection} ${x.backing}`;
  return [
    head,
    ...m.added.map((x) => map("+", x)),
    ...m.removed.map((x) => map("-", x)),
    ...m.resized.map((x) => `  ~ map ${x.start}-${x.end.a} → ${x.start}-${x.end.b} ${x.backing}`),
    ...m.changed.map((x) => `  ~ map ${x.start}-${x.end} ${x.protection.a} ${x.backing.a} → ${x.protection.b} ${x.backing.b}`),
    ...(p === null ? [] : pageRanges(p.changed).map((r) => `  ~ pages ${r}`)),
  ];
}

function pagesText(p: NonNullable<TaskMemoryDiff["pages"]>): string {
  const only = [p.onlyInA ? `${p.onlyInA} only in A` : "", p.onlyInB ? `${p.onlyInB} only in B` : ""].filter(Boolean);
  return `${p.resident.a} → ${p.resident.b} resident pages, ${p.changed.length} changed${only.length ? `, ${only.join(", ")}` : ""}`;
}

/** Consecutive page addresses as "0xSTART-0xEND (N pages)", a lone page as its address. */
export function pageRanges(addresses: readonly string[], pageSize = 4096n): string[] {
  const out: string[] = [];
  let start: bigint | undefined;
  let end = 0n;
  const flush = () => {
    if (start === undefined) return;
    const n = (end - start) / pageSize;
    out.push(n === 1n ? `0x${start.toString(16)}` : `0x${start.toString(16)}-0x${end.toString(16)} (${n} pages)`);
  };
  for (const a of addresses) {
    const at = BigInt(a);
    if (start !== undefined && at === end) end += pageSize;
    else flush(), (start = at), (end = at + pageSize);
  }
  flush();
  return out;
}
