// Node-only: a dump directory (or an unpacked checkpoint archive) as a CheckpointSource. Members
// come from a recursive walk at open (symlinks reported, never followed: a pre-dump's `parent`
// link is listed as one); only the names found by the walk can be read, so a name cannot lead
// outside the directory.

import { open, opendir, lstat, readlink, readFile } from "node:fs/promises";
import { join } from "node:path";
import { checkRange, memberIndex, STREAM_CHUNK } from "../source/members";
import { chunkRanges, streamAhead } from "../source/read-ahead";
import { SourceError, type CheckpointSource, type MemberInfo } from "../source/source";

export async function openDirectorySource(path: string): Promise<CheckpointSource> {
  const members: MemberInfo[] = [];
  await walk(path, "", members, path);
  const index = memberIndex(members, path);
  const io = (name: string | undefined, err: unknown): SourceError =>
    err instanceof SourceError ? err : new SourceError("io", path, `the file system refused: ${(err as Error).message}`, name);
  const withFile = async <T>(name: string, use: (handle: import("node:fs/promises").FileHandle) => Promise<T>): Promise<T> => {
    index.file(name);
    let handle;
    try {
      handle = await open(join(path, name), "r");
      return await use(handle);
    } catch (err) {
      throw io(name, err);
    } finally {
      await handle?.close();
    }
  };
  const readAt = async (handle: import("node:fs/promises").FileHandle, name: string, into: Uint8Array, offset: number) => {
    const { bytesRead } = await handle.read(into, 0, into.length, offset);
    if (bytesRead < into.length) throw new SourceError("io", path, `the file is shorter than it was at open (${offset + bytesRead} bytes)`, name, offset + bytesRead);
    return into;
  };
  return {
    label: path,
    format: "directory",
    randomAccess: true,
    members: async () => members.map((m) => ({ ...m })),
    async read(name) {
      index.file(name);
      try {
        return new Uint8Array(await readFile(join(path, name)));
      } catch (err) {
        throw io(name, err);
      }
    },
    async readRanges(requests) {
      for (const r of requests) checkRange(r, index.file(r.name), path);
      const out: Uint8Array[] = [];
      for (const r of requests) out.push(await withFile(r.name, (h) => readAt(h, r.name, new Uint8Array(r.length), r.offset)));
      return out;
    },
    async stream(names, onChunk, signal) {
      const wanted = new Set(names);
      const buffers = [new Uint8Array(STREAM_CHUNK), new Uint8Array(STREAM_CHUNK)] as const;
      for (const m of members) {
        if (signal?.aborted) return;
        if (!wanted.has(m.name) || m.type !== "file") continue;
        // Within a file, the next chunk is read into the other buffer while this one is handled.
        await withFile(m.name, (h) => streamAhead(chunkRanges([m]), (r, slot) => readAt(h, m.name, buffers[slot].subarray(0, r.length), r.at), onChunk, signal));
      }
    },
    close: async () => {},
  };
}

async function walk(root: string, prefix: string, into: MemberInfo[], label: string): Promise<void> {
  let entries: string[];
  try {
    const dir = await opendir(join(root, prefix));
    entries = [];
    for await (const entry of dir) entries.push(entry.name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such directory" : code === "ENOTDIR" ? "not a directory" : (err as Error).message;
    throw new SourceError("io", label, why, prefix || undefined);
  }
  for (const entry of entries.sort()) {
    const name = prefix === "" ? entry : `${prefix}/${entry}`;
    const stat = await lstat(join(root, name));
    if (stat.isSymbolicLink()) into.push({ name, size: 0, type: "symlink", linkTarget: await readlink(join(root, name)) });
    else if (stat.isDirectory()) {
      into.push({ name, size: 0, type: "directory" });
      await walk(root, name, into, label);
    } else if (stat.isFile()) into.push({ name, size: stat.size, type: "file" });
    else into.push({ name, size: 0, type: "other" });
  }
}
