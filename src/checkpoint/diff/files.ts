// Open files per task, matched by (pid, fd number), plus each task's cwd and root as
// checkpointctl lists them: opened, closed, and changed in type, path, flags or position.

import type { FileDescriptor, Task } from "../model/types";
import { describeFile } from "../views/describe-file";
import { byPidFd, differingFields, matchBy } from "./match";
import type { FdEntry, FilesDiff } from "./types";

export function diffFiles(a: readonly Task[], b: readonly Task[]): FilesDiff {
  const m = matchBy(a.flatMap(fdEntries), b.flatMap(fdEntries), (e) => `${e.pid}/${e.fd}`, byPidFd);
  const out: FilesDiff = { opened: m.onlyB, closed: m.onlyA, changed: [], unchanged: [] };
  for (const { a: ea, b: eb } of m.both) {
    const fields = differingFields(ea, eb, ["type", "path", "fdFlags", "openFlags", "position"]);
    if (fields.length > 0) out.changed.push({ pid: ea.pid, fd: ea.fd, a: ea, b: eb, fields });
    else out.unchanged.push(eb);
  }
  return out;
}

/** A task's descriptors, then its cwd and root (when the dump has them). */
export function fdEntries(t: Task): FdEntry[] {
  const out = t.fds.map((d) => fdEntry(t.pid, d));
  const dir = (fd: "cwd" | "root", path: string | undefined): FdEntry[] => (path === undefined ? [] : [{ pid: t.pid, fd, type: "", path, fdFlags: 0, openFlags: null, position: null }]);
  return [...out, ...dir("cwd", t.cwd), ...dir("root", t.root)];
}

function fdEntry(pid: number, d: FileDescriptor): FdEntry {
  const f = d.file;
  return {
    pid,
    fd: d.fd,
    type: d.type,
    path: describeFile(f),
    fdFlags: d.flags,
    openFlags: f.kind === "regular" ? f.flags : null,
    position: f.kind === "regular" || f.kind === "memfd" ? Number(f.pos) : null,
  };
}
