// Node-only: opens the memory of one process (or one shared-memory object) in a dump directory,
// following the `parent` link of pre-dump chains. Uses synchronous fs calls so that the result
// is a SyncPageReader; pages files are read range by range, never loaded whole.

import { closeSync, existsSync, lstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { decodeImage } from "../image/decode";
import { ImageError } from "../image/errors";
import { createPageReader, type SyncPageReader, type SyncPageSource } from "../image/pages";
import { asBytes } from "./files";

export interface OpenPageReaderOptions {
  pageSize?: number;
  /** See PageReaderOptions.missing; applies to every dump of the chain. */
  missing?: "error" | "zeros";
  /** Follow `parent` links (default true). */
  parents?: boolean;
}

/** The reader for pagemap-<pid>.img and its pages, with the parent dumps' readers chained. */
export function openPageReader(dumpDir: string, pid: number, options: OpenPageReaderOptions = {}): SyncPageReader {
  return openDump(dumpDir, `pagemap-${pid}.img`, options, new Set());
}

/** The reader for pagemap-shmem-<shmid>.img (vaddr is the offset in the shared object). */
export function openShmemPageReader(
  dumpDir: string,
  shmid: number | bigint,
  options: OpenPageReaderOptions = {},
): SyncPageReader {
  return openDump(dumpDir, `pagemap-shmem-${shmid}.img`, options, new Set());
}

/**
 * The parent dump directory of `dumpDir`, or undefined. CRIU writes `parent` as a symlink; copies
 * and archives may turn it into a directory or a regular file holding the (relative) path.
 */
export function parentDumpDir(dumpDir: string): string | undefined {
  const link = join(dumpDir, "parent");
  let st;
  try {
    st = lstatSync(link);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (!st.isFile()) return link; // a symlink (the OS follows it, relative to dumpDir) or a directory
  // Strip the newline or NUL a hand-made file may end with; the path is relative to dumpDir.
  const target = readFileSync(link, "utf8").replace(/[\s\0]+$/, "");
  if (target === "") {
    throw new ImageError({ kind: "bad-payload", file: link, expected: "the path of the parent dump directory" });
  }
  return resolve(dumpDir, target);
}

/** Opens `file` in `dir` (fs errors such as ENOENT propagate), then its parents. */
function openDump(dir: string, file: string, options: OpenPageReaderOptions, seen: Set<string>): SyncPageReader {
  const path = join(dir, file);
  const real = realpathSync(dir);
  if (seen.has(real)) {
    throw new ImageError({ kind: "bad-payload", file: join(dir, "parent"), expected: "a parent chain without cycles" });
  }
  seen.add(real);
  const image = decodeImage(asBytes(readFileSync(path)), { fileName: file, expect: "PAGEMAP" });
  const pagesPath = join(dir, `pages-${image.entries[0].pagesId}.img`);
  const parentDir = options.parents === false ? undefined : parentDumpDir(dir);
  // Like CRIU (try_open_parent), a parent without this pagemap (or a dangling link) means no
  // parent: the process may not have existed at pre-dump time.
  const parentPath = parentDir === undefined ? undefined : join(parentDir, file);
  return createPageReader({
    pagemap: image.entries,
    pages: fileRange(pagesPath),
    pagesSize: statSync(pagesPath).size,
    pageSize: options.pageSize,
    missing: options.missing,
    parent: parentPath && existsSync(parentPath) ? openDump(parentDir!, file, options, seen) : undefined,
    name: path,
  });
}

/** Reads a range of a file, opening it per call so no descriptor outlives the read. */
function fileRange(path: string): SyncPageSource {
  return (offset, length) => {
    const out = new Uint8Array(length);
    const fd = openSync(path, "r");
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) break; // end of file: the caller reports the short read
        done += n;
      }
      return done === length ? out : out.subarray(0, done);
    } finally {
      closeSync(fd);
    }
  };
}
