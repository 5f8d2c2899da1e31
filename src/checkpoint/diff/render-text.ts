// The diff as text, in checkpointctl's `diff` layout (header box, Memory Changes, Process Tree,
// File Descriptor Changes, Socket Changes, Summary), in pid/fd order, with what checkpointctl
// misses added: what changed in a modified process, fds changed in flags or position, sockets
// changed in state or queued bytes, and with --memory the maps and pages of each task.

import { cmdline } from "../views/inspect";
import { node, printTree, type TreeNode } from "../views/tree-print";
import { checkpointctlView, type CtlFile, type CtlView, type RenderOptions } from "./checkpointctl-view";
import { memoryLines } from "./render-text-memory";
import { megabytes, summaryLines } from "./summary";
import { fit, headerBox, printable, sectionBox } from "./text-box";
import type { CheckpointDiff, ProcessChange, ProcessSummary, SocketEntry } from "./types";

export function renderDiffText(d: CheckpointDiff, o: RenderOptions = {}): string {
  const v = checkpointctlView(d, o);
  let out = header(d) + "\n";
  for (const [name, s] of [["A", d.a], ["B", d.b]] as const) out += `Checkpoint ${name}:\n  Created: ${s.container?.created ?? "-"}\n  Size:    ${s.checkpointBytes} bytes\n\n`;
  const change = d.memory.pagesBytesChange;
  const size = change === 0 ? "= No change" : `${change > 0 ? "↑ Increased" : "↓ Decreased"} by ${megabytes(change)} MB`;
  out += sectionBox("Memory Changes", [size, ...(o.memory ? memoryLines(d, o) : [])]);
  out += sectionBox("Process Tree", processLines(d, v, o));
  if (o.files) out += sectionBox("File Descriptor Changes", fileLines(d, v, o));
  if (o.sockets) out += sectionBox("Socket Changes", socketLines(d, o), 73);
  return `${out}Summary:\n${summaryLines(d, v, o).join("\n")}\n`;
}

function header(d: CheckpointDiff): string {
  const a = d.a.container;
  const b = d.b.container;
  const both = (f: (c: NonNullable<typeof a>) => string) => (d.sameContainer === false ? `${f(a!)} | ${f(b!)}` : f(a!));
  if (!a) return headerBox([`A: ${d.a.label}`, `B: ${d.b.label}`]);
  return headerBox([`Container: ${both((c) => c.name)}`, `Image:     ${both((c) => c.image)}`, `ID:        ${both((c) => fit(c.id, 51))}`]);
}

function processLines(d: CheckpointDiff, v: CtlView, o: RenderOptions): string[] {
  const p = v.processes;
  const detail = d.processes.changed.flatMap((c) => [`  ~ PID ${String(c.pid).padEnd(5)} ${c.b.comm}`, ...changeLines(c, o)]);
  if (o.showUnchanged) return ["Process tree", ...printTree(processTree(d, o)).split("\n").slice(1, -1), ...(detail.length ? ["Changes:", ...detail] : [])];
  if (p.added.length + p.removed.length + p.modified.length === 0) return ["= No change"];
  const list = (title: string, mark: string, items: { pid: number; command: string }[]) =>
    items.length ? [`${title}:`, ...items.map((x) => `  ${mark} PID ${String(x.pid).padEnd(5)} ${x.command}`)] : [];
  return [...list("Added", "+", p.added), ...list("Removed", "-", p.removed), ...(detail.length ? ["Modified:", ...detail] : [])];
}

/** What changed in a process, one line each. */
function changeLines(c: ProcessChange, o: RenderOptions): string[] {
  const show = (x: unknown) => (Array.isArray(x) ? cmdline(x.map(String)).trimEnd() : x === null ? "-" : String(x));
  const lines = c.fields.map((f) => `${f.field}: ${show(f.a)} → ${show(f.b)}`);
  const env = c.environment;
  if (o.psTreeEnv) {
    lines.push(...env.added.map((e) => `env + ${e}`), ...env.removed.map((e) => `env - ${e}`), ...env.changed.map((e) => `env ~ ${e.a} → ${e.b}`));
  } else if (env.added.length + env.removed.length + env.changed.length > 0) {
    lines.push(`environment: +${env.added.length} -${env.removed.length} ~${env.changed.length} (--ps-tree-env shows them)`);
  }
  const t = c.threads;
  lines.push(...t.added.map((x) => `thread + ${x.tid} ${x.comm}`), ...t.removed.map((x) => `thread - ${x.tid} ${x.comm}`), ...t.renamed.map((x) => `thread ~ ${x.tid} ${x.a} → ${x.b}`));
  return lines.map((l) => `      ${printable(l)}`);
}

/** B's tree with A's removed processes under their parents, each marked + - ~ =. */
function processTree(d: CheckpointDiff, o: RenderOptions): TreeNode {
  const marked: { p: ProcessSummary; mark: string }[] = [
    ...d.processes.added.map((p) => ({ p, mark: "+" })),
    ...d.processes.removed.map((p) => ({ p, mark: "-" })),
    ...d.processes.changed.map((c) => ({ p: c.b, mark: "~" })),
    ...d.processes.unchanged.map((p) => ({ p, mark: "=" })),
  ].sort((x, y) => x.p.pid - y.p.pid);
  const nodes = new Map(marked.map(({ p, mark }) => [p.pid, node(o.psTreeCmd && p.argv ? cmdline(p.argv) : p.comm, [], `${mark} PID ${p.pid}`)]));
  const root = node("Process tree");
  for (const { p } of marked) (nodes.get(p.ppid) ?? root).children.push(nodes.get(p.pid)!);
  return root;
}

function fileLines(d: CheckpointDiff, v: CtlView, o: RenderOptions): string[] {
  const row = (mark: string, f: CtlFile) => `  ${mark} PID ${String(f.pid).padEnd(5)} ${f.type.padEnd(8)} ${printable(fit(f.path, 38))}`;
  const list = (title: string, mark: string, items: CtlFile[]) => (items.length ? [`${title}:`, ...items.map((f) => row(mark, f))] : []);
  const missed = d.files.changed.filter((c) => !c.fields.includes("path") && !c.fields.includes("type"));
  const changed = missed.map((c) => {
    const what = c.fields.map((f) => `${f} ${String(c.a[f as keyof typeof c.a])} → ${String(c.b[f as keyof typeof c.b])}`).join(", ");
    return `${row("~", { path: c.b.path, type: c.b.type, pid: c.pid, fd: "" })}  (fd ${c.fd}: ${what})`;
  });
  return [...list("Added", "+", v.files.added), ...list("Removed", "-", v.files.removed), ...(changed.length ? ["Changed:", ...changed] : []), ...(o.showUnchanged ? list("Unchanged", "=", v.files.unchanged) : [])];
}

function socketLines(d: CheckpointDiff, o: RenderOptions): string[] {
  const s = d.sockets;
  const shown = (x: { a: SocketEntry; b: SocketEntry; fields: string[] }) => x.fields.some((f) => f === "protocol" || f === "state" || f === "local" || f === "peer");
  const rows = [
    ...s.added.map((x) => socketRow("+", x)),
    ...s.changed.filter(shown).flatMap((x) => [socketRow("-", x.a), socketRow("+", x.b)]),
    ...s.removed.map((x) => socketRow("-", x)),
    ...s.changed.filter((x) => !shown(x)).map((x) => `${socketRow("~", x.b)}  (${x.fields.map((f) => `${f} ${String(x.a[f as keyof SocketEntry])} → ${String(x.b[f as keyof SocketEntry])}`).join(", ")})`),
    ...(o.showUnchanged ? s.unchanged.map((x) => socketRow("=", x)) : []),
  ];
  return rows.length ? [`    ${"PID".padEnd(5)} ${"PROTO".padEnd(5)} ${"STATE".padEnd(12)} ${"LOCAL".padEnd(21)} PEER`, ...rows] : [];
}

function socketRow(mark: string, x: SocketEntry): string {
  const unix = x.protocol === "UNIX";
  const local = unix ? x.local || "@" : x.local;
  return ` ${mark}  ${String(x.pid).padEnd(5)} ${(unix ? "" : x.protocol).padEnd(5)} ${(unix ? "-" : x.state).padEnd(12)} ${printable(local).padEnd(21)} ${x.peer && !unix ? x.peer : "-"}`;
}
