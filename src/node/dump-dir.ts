// Node-only: a dump directory on disk as a DumpSource for the explorers. Files are read when an
// explorer asks for them, so exploring `ps` never touches pages-*.img.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DumpSource } from "../checkpoint/dump-source";
import { asBytes } from "./files";

/**
 * Opens the dump directory `path` (CRIU's -D). `read(name)` returns the file's bytes, or
 * undefined when it does not exist; other errors (permissions, a directory in its place) are
 * thrown. Names are plain file names: a name with a path separator or ".." is refused, so a
 * damaged image cannot make the reader wander out of the directory.
 */
export function openDumpDir(path: string): DumpSource {
  return {
    read(name: string): Uint8Array | undefined {
      if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
        throw new RangeError(`not a plain image file name: ${JSON.stringify(name)}`);
      }
      try {
        return asBytes(readFileSync(join(path, name)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    },
  };
}
