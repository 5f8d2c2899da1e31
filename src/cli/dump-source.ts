// Node-only: where the CLI's DUMP argument comes from. Today a directory (a dump directory, or
// an unpacked engine archive with checkpoint/ inside); openDumpSource is the one place to
// switch to the archive opener (tar, tar.gz, tar.zst, tar.xz) when it lands.

import { open, readdir, readFile, lstat, readlink } from "node:fs/promises";
import { join } from "node:path";
import { SourceError, type CheckpointSource, type MemberInfo, type RangeRequest } from "../source/source";

const CHUNK = 1 << 20;

/** Opens DUMP for the commands that read a whole checkpoint (inspect, x). */
export async function openDumpSource(path: string): Promise<CheckpointSource> {
  return directorySource(path);
}

/** A directory as a CheckpointSource: members listed by a walk (two levels: the images may be under checkpoint/), files read when asked. */
export async function directorySource(root: string): Promise<CheckpointSource> {
  const st = await lstat(root).catch((err: NodeJS.ErrnoException) => {
    throw new SourceError("io", root, err.code === "ENOENT" ? "no such file or directory" : err.message);
  });
  if (!st.isDirectory()) throw new SourceError("unsupported", root, "not a directory (archives are not read yet by this command)");
  const members: MemberInfo[] = [];
  const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
    for (const entry of (await readdir(join(root, dir), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const name = prefix + entry.name;
      if (entry.isDirectory()) {
        members.push({ name, size: 0, type: "directory" });
        if (depth < 2) await walk(name, `${name}/`, depth + 1);
      } else if (entry.isSymbolicLink()) {
        members.push({ name, size: 0, type: "symlink", linkTarget: await readlink(join(root, name)) });
      } else if (entry.isFile()) {
        members.push({ name, size: (await lstat(join(root, name))).size, type: "file" });
      } else members.push({ name, size: 0, type: "other" });
    }
  };
  await walk("", "", 0);
  const byName = new Map(members.map((m) => [m.name, m]));
  const fileOf = (name: string): string => {
    const m = byName.get(name);
    if (!m || m.type !== "file") throw new SourceError("missing-member", root, "no such file", name);
    return join(root, name);
  };
  const io = (name: string) => (err: NodeJS.ErrnoException) => {
    throw new SourceError("io", root, err.message, name);
  };
  return {
    label: root,
    format: "directory",
    randomAccess: true,
    members: async () => members,
    read: async (name) => new Uint8Array(await readFile(fileOf(name)).catch(io(name))),
    async readRanges(requests: readonly RangeRequest[]) {
      const out: Uint8Array[] = [];
      for (const { name, offset, length } of requests) {
        const m = byName.get(name);
        const path = fileOf(name);
        if (offset < 0 || length < 0 || offset + length > m!.size) {
          throw new SourceError("out-of-range", root, `range of ${length} bytes past the end (${m!.size} bytes)`, name, offset);
        }
        const fh = await open(path, "r").catch(io(name));
        try {
          const buf = new Uint8Array(length);
          let got = 0;
          while (got < length) {
            const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
            if (bytesRead === 0) throw new SourceError("truncated", root, `file shorter than listed`, name, offset + got);
            got += bytesRead;
          }
          out.push(buf);
        } finally {
          await fh.close();
        }
      }
      return out;
    },
    async stream(names, onChunk, signal) {
      for (const name of names) {
        const fh = await open(fileOf(name), "r").catch(io(name));
        try {
          const buf = new Uint8Array(CHUNK);
          for (let at = 0; ; ) {
            if (signal?.aborted) return;
            const { bytesRead } = await fh.read(buf, 0, CHUNK, at);
            if (bytesRead === 0) break;
            await onChunk(name, at, buf.subarray(0, bytesRead));
            at += bytesRead;
          }
        } finally {
          await fh.close();
        }
      }
    },
    close: async () => {},
  };
}
