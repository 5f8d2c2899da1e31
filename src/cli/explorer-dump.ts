// The dump that `crit explore DUMP` offers to its page, as a CheckpointSource: a dump directory,
// its files read range by range.

import { closeSync, openSync, readSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { SourceError, type CheckpointSource, type MemberInfo } from "../source/source";

export async function openDumpForExplorer(path: string): Promise<CheckpointSource> {
  let root: string;
  try {
    root = realpathSync(path);
    if (!statSync(root).isDirectory()) throw new Error("not a directory");
  } catch (err) {
    throw new SourceError("io", path, `cannot open the dump directory (${(err as Error).message})`);
  }
  const members = walk(root);
  const files = new Map(members.filter((m) => m.type === "file").map((m) => [m.name, m]));
  const readRange = (name: string, offset: number, length: number): Uint8Array => {
    const member = files.get(name);
    if (!member) throw new SourceError("missing-member", path, "no such file", name);
    if (offset < 0 || length < 0 || offset + length > member.size) {
      throw new SourceError("out-of-range", path, `range of ${length} bytes past the end (${member.size} bytes)`, name, offset);
    }
    const out = new Uint8Array(length);
    const fd = openSync(join(root, ...name.split("/")), "r");
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new SourceError("truncated", path, "the file shrank while being read", name, offset + done);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  };
  return {
    label: path,
    format: "directory",
    randomAccess: true,
    members: async () => members,
    read: async (name) => readRange(name, 0, files.get(name)?.size ?? 0),
    readRanges: async (requests) => requests.map((r) => readRange(r.name, r.offset, r.length)),
    async stream(names, onChunk, signal) {
      for (const name of names) {
        const size = files.get(name)?.size ?? 0;
        for (let at = 0; at < size; at += 1 << 20) {
          if (signal?.aborted) return;
          await onChunk(name, at, readRange(name, at, Math.min(1 << 20, size - at)));
        }
      }
    },
    close: async () => {},
  };
}

function walk(root: string): MemberInfo[] {
  const out: MemberInfo[] = [];
  const visit = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(at, entry.name);
      const name = relative(root, full).split(sep).join("/");
      if (entry.isDirectory()) {
        out.push({ name, size: 0, type: "directory" });
        visit(full);
      } else if (entry.isFile()) out.push({ name, size: statSync(full).size, type: "file" });
      else if (entry.isSymbolicLink()) out.push({ name, size: 0, type: "symlink" });
    }
  };
  visit(root);
  return out;
}
