import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const TAIL_BYTES = 16 * 1024;

/** The last `lines` non-empty lines of a log file (reading at most its last 16 KiB), or undefined. */
export function readLogTail(path: string | undefined, lines = 20): string[] | undefined {
  if (path === undefined) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const text = buf.toString("utf8").split("\n");
    if (size > length) text.shift(); // a partial first line
    return text.filter((line) => line.trim() !== "").slice(-lines);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
