// The diff in checkpointctl's terms: its process, file and socket entries and its lists (added,
// removed, modified, unchanged). checkpointctl tells a file or socket by what it shows of it, so
// a descriptor whose shown path changed is removed and added there; our `changed` lists keep
// every real change besides. The text and JSON renderers both start from this view.

import { cmdline } from "../views/inspect";
import type { CheckpointDiff, FdEntry, ProcessSummary, SocketEntry } from "./types";

export interface RenderOptions {
  files?: boolean;
  sockets?: boolean;
  /** Processes with their command lines. */
  psTreeCmd?: boolean;
  /** Environment changes by name and value (otherwise only counted). */
  psTreeEnv?: boolean;
  /** Per-task memory maps and changed pages. */
  memory?: boolean;
  /** Unchanged entries too (text; the JSON always has them, as checkpointctl's does). */
  showUnchanged?: boolean;
}

export interface CtlProcess {
  pid: number;
  command: string;
  cmdline?: string;
}

export interface CtlFile {
  path: string;
  type: string;
  pid: number;
  fd: string;
}

export interface CtlSocket {
  pid: number;
  protocol: string;
  type: string;
  state?: string;
  source?: string;
  src_port?: number;
  dest?: string;
  dst_port?: number;
  address?: string;
}

export interface Lists<T> {
  added: T[];
  removed: T[];
  unchanged: T[];
}

export interface CtlView {
  processes: Lists<CtlProcess> & { modified: CtlProcess[] };
  files: Lists<CtlFile>;
  sockets: Lists<CtlSocket>;
}

export function checkpointctlView(d: CheckpointDiff, o: RenderOptions): CtlView {
  const proc = (p: ProcessSummary): CtlProcess => (o.psTreeCmd && p.argv ? { pid: p.pid, command: p.comm, cmdline: cmdline(p.argv) } : { pid: p.pid, command: p.comm });
  const files = pairsAsShown(d.files.opened, d.files.closed, d.files.changed, d.files.unchanged, ctlFile);
  const sockets = pairsAsShown(d.sockets.added, d.sockets.removed, d.sockets.changed, d.sockets.unchanged, ctlSocket);
  return {
    processes: {
      added: d.processes.added.map(proc),
      removed: d.processes.removed.map(proc),
      modified: d.processes.changed.map((c) => proc(c.b)),
      unchanged: d.processes.unchanged.map(proc),
    },
    files,
    sockets,
  };
}

/** A changed pair is unchanged where its shown form is the same, else removed (A) and added (B). */
function pairsAsShown<E, C>(added: E[], removed: E[], changed: { a: E; b: E }[], unchanged: E[], show: (e: E) => C): Lists<C> {
  const out: Lists<C> = { added: added.map(show), removed: removed.map(show), unchanged: [] };
  for (const { a, b } of changed) {
    const [sa, sb] = [show(a), show(b)];
    if (JSON.stringify(sa) === JSON.stringify(sb)) out.unchanged.push(sb);
    else out.removed.push(sa), out.added.push(sb);
  }
  out.unchanged.push(...unchanged.map(show));
  return out;
}

export function ctlFile(e: FdEntry): CtlFile {
  return { path: e.path, type: e.type, pid: e.pid, fd: typeof e.fd === "number" ? `${e.type} ${e.fd}` : e.fd };
}

export function ctlSocket(s: SocketEntry): CtlSocket {
  if (s.protocol === "UNIX") return s.name ? { pid: s.pid, protocol: "", type: "UNIX", address: s.name } : { pid: s.pid, protocol: "", type: "UNIX" };
  const out: CtlSocket = { pid: s.pid, protocol: s.protocol, type: s.protocol, state: s.state || undefined, source: s.src || undefined, src_port: s.srcPort || undefined, dest: s.dst || undefined, dst_port: s.dstPort || undefined };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as CtlSocket;
}
