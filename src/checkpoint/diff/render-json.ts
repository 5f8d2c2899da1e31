// The diff as JSON: checkpointctl's keys with their meaning, then ours (snake_case) where
// checkpointctl prints sizes or misses changes: `changes` of processes, `changed` files and
// sockets, `pages_bytes` and per-task `tasks` of memory.

import { checkpointctlView, type RenderOptions } from "./checkpointctl-view";
import { summaryLines } from "./summary";
import type { CheckpointDiff, CheckpointSide, ProcessChange } from "./types";

export function diffJson(d: CheckpointDiff, o: RenderOptions = {}): Record<string, unknown> {
  const v = checkpointctlView(d, o);
  const c = d.a.container ?? d.b.container;
  const out: Record<string, unknown> = {
    container_id: c?.id ?? "",
    container_name: c?.name ?? "",
    image: c?.image ?? "",
    checkpoint_a: side(d.a),
    checkpoint_b: side(d.b),
  };
  if (d.sameContainer === false) Object.assign(out, { same_container: false, container_b: d.b.container });
  out.process_changes = nonEmpty({ ...v.processes, changes: d.processes.changed.map((p) => processChange(p, o)) });
  if (o.files) out.file_changes = nonEmpty({ ...v.files, changed: snakeKeys(d.files.changed) });
  out.memory_changes = {
    size_change_bytes: d.memory.pagesBytesChange,
    size_change_mb: d.memory.pagesBytesChange / (1024 * 1024),
    ...(o.memory ? { tasks: snakeKeys(o.showUnchanged ? d.memory.tasks : d.memory.tasks.filter(taskChanged)) } : {}),
  };
  if (o.sockets) out.socket_changes = nonEmpty({ ...v.sockets, changed: snakeKeys(d.sockets.changed) });
  out.summary = summaryLines(d, v, o).join("\n");
  return out;
}

function side(s: CheckpointSide): Record<string, unknown> {
  return { created: s.container?.created ?? "", total_size: s.checkpointBytes, label: s.label, pages_bytes: s.pagesBytes };
}

function processChange(p: ProcessChange, o: RenderOptions): Record<string, unknown> {
  const env = p.environment;
  const count = env.added.length + env.removed.length + env.changed.length;
  return {
    pid: p.pid,
    fields: p.fields,
    ...(o.psTreeEnv ? { environment: env } : count > 0 ? { environment_changes: count } : {}),
    threads: p.threads,
  };
}

export function taskChanged(t: CheckpointDiff["memory"]["tasks"][number]): boolean {
  const m = t.maps;
  const p = t.pages;
  return m.added.length + m.removed.length + m.resized.length + m.changed.length > 0 || (p !== null && (p.changed.length + p.onlyInA + p.onlyInB > 0 || p.error !== null || p.resident.a !== p.resident.b));
}

/** Drops empty lists, as checkpointctl omits them. */
function nonEmpty(o: Record<string, unknown[]>): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(o).filter(([, list]) => list.length > 0));
}

/** The library's camelCase keys as snake_case, the JSON output's style. */
export function snakeKeys<T>(value: T): unknown[] {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x === null || typeof x !== "object") return x;
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`), walk(v)]));
  };
  return walk(value) as unknown[];
}
