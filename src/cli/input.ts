import { constants, fstatSync, read as readFd, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import type { ReadIntoSource } from "../image/stream";
import { CliError, namedError } from "./errors";
import { progressOnStderr, type Progress } from "./progress";
import { sleep, waitingNotice } from "./wait";

// Where a command's input comes from (`-i PATH`, a positional path, or standard input), as a
// ReadIntoSource, so that commands can stream it and check its magic after the first bytes:
// - a regular file: read as it is, its size known;
// - a FIFO or a device (/dev/zero...): opened without blocking, so open() never hangs; a FIFO
//   with no writer yet is waited for, with a notice on stderr (and a signal still ends it);
// - standard input: Node's stream when it is a pipe, a socket or a terminal (never a thread
//   blocked in read(), which would keep the process from exiting on a signal).
// Errors name the path as given, or "<stdin>".

export interface Input {
  /** The path as given, or "<stdin>": for messages. */
  readonly name: string;
  /** The base name for the codec (raw images are known by it), undefined for standard input. */
  readonly fileName: string | undefined;
  /** The size of a regular file; undefined for anything else. */
  readonly size: number | undefined;
  /** True when standard input is a terminal. */
  readonly terminal: boolean;
  /** The bytes, read once, counted by the progress given to openInput. */
  readonly source: ReadIntoSource & { close(): Promise<void> };
  /** Reads everything left (for inputs small enough to hold whole). */
  readAll(): Promise<Uint8Array>;
}

/** Opens an input; with `quiet` false, reading it shows progress on a terminal (see progress.ts). */
export async function openInput(path: string | undefined, options: { quiet?: boolean } = {}): Promise<Input> {
  const quiet = options.quiet ?? false;
  if (path === undefined || path === "-") return standardInput(progressOnStderr("<stdin>", undefined, quiet));
  let info: Stats;
  let handle: FileHandle;
  try {
    info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${path}: Is a directory; expected an image file`);
    handle = await open(path, info.isFile() ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw namedError(err, path);
  }
  const read = info.isFile() ? (t: Uint8Array) => readOnce(handle, t) : info.isFIFO() ? fifoReader(path, handle) : (t: Uint8Array) => readPolling(handle, t);
  const size = info.isFile() ? info.size : undefined;
  return makeInput(path, basename(path), size, false, read, () => handle.close(), progressOnStderr(path, size, quiet));
}

function standardInput(progress: Progress): Input {
  const info = fstatSync(0);
  if (info.isFile()) {
    // A redirected file: read straight from the descriptor (a file read never blocks long).
    const read = (t: Uint8Array) => new Promise<number>((resolve, reject) => readFd(0, t, 0, t.length, null, (err, n) => (err ? reject(err) : resolve(n))));
    return makeInput("<stdin>", undefined, undefined, false, read, async () => undefined, progress);
  }
  const chunks = process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let rest: Uint8Array = new Uint8Array(0);
  const read = async (target: Uint8Array) => {
    if (rest.length === 0) {
      const next = await chunks.next();
      if (next.done) return 0;
      rest = next.value;
    }
    const n = Math.min(rest.length, target.length);
    target.set(rest.subarray(0, n));
    rest = rest.subarray(n);
    return n;
  };
  const close = async () => {
    process.stdin.destroy();
  };
  return makeInput("<stdin>", undefined, undefined, process.stdin.isTTY === true, read, close, progress);
}

function makeInput(
  name: string,
  fileName: string | undefined,
  size: number | undefined,
  terminal: boolean,
  read: (target: Uint8Array) => Promise<number>,
  release: () => Promise<void>,
  progress: Progress,
): Input {
  let closed = false;
  const readInto = async (target: Uint8Array) => {
    if (closed || target.length === 0) return 0;
    let n: number;
    try {
      n = await read(target);
    } catch (err) {
      throw namedError(err, name);
    }
    progress.add(n);
    return n;
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    progress.end();
    await release();
  };
  const source = size === undefined ? { readInto, close } : { readInto, close, size };
  return {
    name,
    fileName,
    size,
    terminal,
    source,
    readAll: async () => {
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const part = new Uint8Array(size === undefined ? 1 << 20 : Math.max(1, size - total));
        const n = await readInto(part);
        if (n === 0) break;
        parts.push(part.subarray(0, n));
        total += n;
      }
      await close();
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    },
  };
}

async function readOnce(handle: FileHandle, target: Uint8Array): Promise<number> {
  return (await handle.read(target, 0, target.length, null)).bytesRead;
}

/** A non-blocking read: when nothing is there yet (EAGAIN), wait a little and try again. */
async function readPolling(handle: FileHandle, target: Uint8Array): Promise<number> {
  for (let wait = 1; ; wait = Math.min(2 * wait, 20)) {
    try {
      return await readOnce(handle, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      await sleep(wait);
    }
  }
}

/**
 * A FIFO opened without blocking reads 0 while no writer has it open. Until a writer shows up
 * (its first bytes, or EAGAIN: open but nothing written yet), wait for one; after that, 0 is the
 * end. A writer that opens and closes without writing a byte is not seen: the wait goes on.
 */
function fifoReader(name: string, handle: FileHandle): (target: Uint8Array) => Promise<number> {
  let writerSeen = false;
  const notice = waitingNotice(`${name}: waiting for a writer to the FIFO`);
  return async (target) => {
    for (;;) {
      try {
        const n = await readOnce(handle, target);
        if (n > 0 || writerSeen) {
          writerSeen = true;
          return n;
        }
        notice.show();
        await sleep(50);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
        writerSeen = true;
        return readPolling(handle, target);
      }
    }
  };
}
