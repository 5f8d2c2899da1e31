// Where `crit memparse` (and later commands) get a dump from. For now a dump directory, read
// lazily through the CheckpointSource interface; the archive opener replaces openDumpSource at
// merge. Node-only.

import { lstatSync, readdirSync, readlinkSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parentDumpDir } from "../node/pages";
import { SourceError, type CheckpointSource, type MemberInfo } from "../source/source";

const CHUNK = 1 << 20;

/** A dump directory as a CheckpointSource (its top-level files; `parent` as a symlink member). */
export async function openDumpSource(path: string): Promise<CheckpointSource> {
  const entries = readdirSync(path).sort();
  const members: MemberInfo[] = entries.map((name) => {
    const st = lstatSync(join(path, name));
    if (st.isSymbolicLink()) return { name, size: 0, type: "symlink", linkTarget: readlinkSync(join(path, name)) };
    return { name, size: st.isFile() ? st.size : 0, type: st.isFile() ? "file" : st.isDirectory() ? "directory" : "other" };
  });
  const known = new Map(members.map((m) => [m.name, m]));
  const fileOf = (name: string): string => {
    if (known.get(name)?.type !== "file") throw new SourceError("missing-member", path, "no such file", name);
    return join(path, name);
  };
  const io = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    try {
      return await body();
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError("io", path, (err as Error).message, name);
    }
  };
  return {
    label: path,
    format: "directory",
    randomAccess: true,
    members: async () => members,
    read: (name) => io(name, async () => new Uint8Array(await readFile(fileOf(name)))),
    readRanges: (requests) =>
      Promise.all(
        requests.map((r) =>
          io(r.name, async () => {
            const size = known.get(r.name)?.size ?? 0;
            if (r.offset < 0 || r.length < 0 || r.offset + r.length > size) {
              throw new SourceError("out-of-range", path, `range of ${r.length} bytes past the end (${size} bytes)`, r.name, r.offset);
            }
            const handle = await open(fileOf(r.name), "r");
            try {
              const out = new Uint8Array(r.length);
              const { bytesRead } = await handle.read(out, 0, r.length, r.offset);
              if (bytesRead < r.length) throw new SourceError("truncated", path, `file shrank while read`, r.name, r.offset + bytesRead);
              return out;
            } finally {
              await handle.close();
            }
          }),
        ),
      ),
    async stream(names, onChunk, signal) {
      const wanted = new Set(names);
      for (const m of members) {
        if (!wanted.has(m.name) || m.type !== "file") continue;
        await io(m.name, async () => {
          const handle = await open(fileOf(m.name), "r");
          try {
            const buf = new Uint8Array(CHUNK);
            for (let at = 0; ; ) {
              if (signal?.aborted) return;
              const { bytesRead } = await handle.read(buf, 0, CHUNK, at);
              if (bytesRead === 0) return;
              await onChunk(m.name, at, buf.subarray(0, bytesRead));
              at += bytesRead;
            }
          } finally {
            await handle.close();
          }
        });
      }
    },
    close: async () => {},
  };
}

/** The sources of the dump's pre-dump parents (its `parent` link, then the parent's...), nearest first. */
export async function openParentSources(path: string): Promise<CheckpointSource[]> {
  const out: CheckpointSource[] = [];
  const seen = new Set<string>();
  for (let dir = parentDumpDir(path); dir !== undefined && !seen.has(dir) && out.length < 64; dir = parentDumpDir(dir)) {
    seen.add(dir);
    try {
      out.push(await openDumpSource(dir));
    } catch {
      break; // a dangling parent link: CRIU then restores without the parent's pages, and so do we
    }
  }
  return out;
}
