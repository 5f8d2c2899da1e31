// checkpointctl's summary lines: the container, then counts of what changed.

import type { CtlView, RenderOptions } from "./checkpointctl-view";
import type { CheckpointDiff } from "./types";

export function summaryLines(d: CheckpointDiff, v: CtlView, o: RenderOptions): string[] {
  const a = d.a.container;
  const b = d.b.container;
  const lines = [
    d.sameContainer === false
      ? `Checkpoint comparison for containers ${a!.name} and ${b!.name}`
      : a
        ? `Checkpoint comparison for container ${a.name}`
        : `Checkpoint comparison of ${d.a.label} and ${d.b.label}`,
  ];
  const p = v.processes;
  if (p.added.length + p.removed.length + p.modified.length > 0) lines.push(`Processes: +${p.added.length} -${p.removed.length} ~${p.modified.length}`);
  if (o.files && v.files.added.length + v.files.removed.length > 0) lines.push(`Files: +${v.files.added.length} -${v.files.removed.length}`);
  if (o.sockets && v.sockets.added.length + v.sockets.removed.length > 0) lines.push(`Sockets: +${v.sockets.added.length} -${v.sockets.removed.length}`);
  if (d.memory.pagesBytesChange !== 0) lines.push(`Memory: ${d.memory.pagesBytesChange > 0 ? "+" : "-"}${megabytes(d.memory.pagesBytesChange)} MB`);
  return lines;
}

/** |bytes| in MiB with two decimals, as checkpointctl prints memory changes. */
export function megabytes(bytes: number): string {
  return (Math.abs(bytes) / (1024 * 1024)).toFixed(2);
}
