import { constants, write as writeFd } from "node:fs";
import { access, lstat, open, readlink, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Stats } from "node:fs";
import { syncDirectory } from "../node/files";
import { removeOnSignal, release } from "./cleanup";
import { CliError, namedError } from "./errors";
import { sleep, waitingNotice } from "./wait";

// Where a command's output goes (`-o PATH`, or standard output), chosen by what is there:
// - nothing, or a regular file: written atomically, to a temporary file in the same directory
//   renamed over the path once complete (an existing file's mode, and as root its owner, kept);
//   a read-only file (no write bit) or a file in a read-only directory is refused, root or not;
// - a symbolic link: followed, its final target replaced as above, the link kept;
// - a character device (/dev/null, /dev/full, a terminal), a FIFO, /dev/stdout and the like:
//   opened and written in place; a FIFO with no reader is waited for (with a notice on stderr);
// - anything else (a directory, a socket): an error naming the path.
// Every error names the path the user gave, or "stdout", never the temporary name.

/** An open output. Call commit() after the last write, or abort() on failure. */
export interface Output {
  /** The path as given, or "stdout". */
  readonly name: string;
  /** True when written to a temporary file renamed into place by commit(). */
  readonly atomic: boolean;
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the output final: for a file, flushes it and renames it into place. */
  commit(): Promise<void>;
  /** Drops what was written to a temporary file; a target written in place keeps what it got. */
  abort(): Promise<void>;
}

/** Writes `data` (bytes, text or chunks) to `path` (standard output when undefined or "-"). */
export async function writeOutput(path: string | undefined, data: Uint8Array | string | AsyncIterable<Uint8Array>): Promise<void> {
  const output = await openOutput(path);
  try {
    if (typeof data === "string") await output.write(Buffer.from(data, "utf8"));
    else if (data instanceof Uint8Array) await output.write(data);
    else for await (const chunk of data) await output.write(chunk);
    await output.commit();
  } catch (err) {
    await output.abort();
    throw err;
  }
}

export async function openOutput(path: string | undefined): Promise<Output> {
  if (path === undefined || path === "-") return standardOutput("stdout", process.stdout);
  if (/^\/(?:dev\/(?:stdout|fd\/1)|proc\/self\/fd\/1)$/.test(path)) return standardOutput(path, process.stdout);
  if (/^\/(?:dev\/(?:stderr|fd\/2)|proc\/self\/fd\/2)$/.test(path)) return standardOutput(path, process.stderr);
  const fd = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path)?.[1];
  // One of crit's own descriptors (a pipe, a socket, a file the shell opened): written as it is.
  if (fd !== undefined) return descriptorOutput(path, Number(fd));
  try {
    const target = await followLinks(path);
    // Another open descriptor (/dev/fd/N): whatever it is (a pipe, a file), written in place.
    if (target.descriptor) return inPlace(path, await open(target.path, constants.O_WRONLY));
    if (!target.stat) return await atomicFile(path, target.path, undefined);
    if (target.stat.isFile()) return await atomicFile(path, target.path, target.stat);
    if (target.stat.isFIFO()) return await fifo(path, target.path);
    if (target.stat.isCharacterDevice() || target.stat.isBlockDevice()) return inPlace(path, await open(target.path, constants.O_WRONLY));
    if (target.stat.isDirectory()) throw new CliError(`${path}: Is a directory`);
    throw new CliError(`${path}: not a file, device or FIFO; nothing written`);
  } catch (err) {
    throw namedError(err, path);
  }
}

/**
 * The file a path finally names (symbolic links followed, even to a target not there yet). The
 * links of /proc/PID/fd/ and /dev/fd/ are not followed: they name open descriptors ("pipe:[1234]"),
 * not paths.
 */
async function followLinks(path: string): Promise<{ path: string; stat?: Stats; descriptor?: boolean }> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    if (/^\/(?:proc\/[^/]+|dev)\/fd\/\d+$/.test(current)) return { path: current, descriptor: true };
    let link: Stats;
    try {
      link = await lstat(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { path: current };
      throw err;
    }
    if (!link.isSymbolicLink()) return { path: current, stat: link };
    current = resolve(dirname(current), await readlink(current));
  }
  throw new CliError(`${path}: Too many levels of symbolic links`);
}

async function atomicFile(name: string, target: string, existing: Stats | undefined): Promise<Output> {
  // As root, access() allows writing anything: the mode bits say whether the owner meant it.
  if (existing && (existing.mode & 0o222) === 0) throw new CliError(`${name}: Permission denied (a read-only file: remove it or make it writable first)`);
  if (((await stat(dirname(target))).mode & 0o222) === 0) throw new CliError(`${name}: Permission denied (a read-only directory)`);
  if (existing) await access(target, constants.W_OK);
  // node:crypto only here: loading it costs every run a few milliseconds.
  const { randomBytes } = await import("node:crypto");
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  removeOnSignal(temp);
  let handle: FileHandle;
  try {
    // "wx": never follow or clobber something already at the temporary name. A new file gets
    // 0666 less the umask, as any file a shell redirection creates.
    handle = await open(temp, "wx", existing ? 0o600 : 0o666);
    if (existing) await keepOwnerAndMode(handle, existing);
  } catch (err) {
    release(temp);
    await unlink(temp).catch(() => undefined);
    throw namedError(err, name);
  }
  const close = closeOnce(handle);
  return {
    name,
    atomic: true,
    write: (chunk) => named(name, () => writeAll(handle, chunk)),
    commit: () =>
      named(name, async () => {
        await handle.sync();
        await close();
        await rename(temp, target);
        release(temp);
        await syncDirectory(dirname(target));
      }),
    abort: async () => {
      await close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      release(temp);
    },
  };
}

async function keepOwnerAndMode(handle: FileHandle, existing: Stats): Promise<void> {
  if (process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) await handle.chown(existing.uid, existing.gid);
  await handle.chmod(existing.mode & 0o7777);
}

/** A FIFO: opened without blocking (a FIFO with no reader is waited for, with a notice). */
async function fifo(name: string, target: string): Promise<Output> {
  const notice = waitingNotice(`${name}: waiting for a reader of the FIFO`);
  for (;;) {
    try {
      const handle = await open(target, constants.O_WRONLY | constants.O_NONBLOCK);
      notice.done();
      return inPlace(name, handle);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENXIO") throw err;
      notice.show();
      await sleep(50);
    }
  }
}

function inPlace(name: string, handle: FileHandle): Output {
  const close = closeOnce(handle);
  return {
    name,
    atomic: false,
    write: (chunk) => named(name, () => writeAll(handle, chunk)),
    commit: () => named(name, close),
    abort: () => close().catch(() => undefined),
  };
}

function descriptorOutput(name: string, fd: number): Output {
  const write = async (chunk: Uint8Array) => {
    for (let done = 0, wait = 1; done < chunk.length; ) {
      try {
        done += await new Promise<number>((ok, fail) => writeFd(fd, chunk, done, chunk.length - done, null, (err, n) => (err ? fail(err) : ok(n))));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw namedError(err, name);
        await sleep(wait);
        wait = Math.min(2 * wait, 20);
      }
    }
  };
  return { name, atomic: false, write, commit: async () => undefined, abort: async () => undefined };
}

/** Writes all of `chunk`; a non-blocking target that is full (EAGAIN) is waited for. */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let wait = 1;
  for (let done = 0; done < chunk.length; ) {
    try {
      done += (await handle.write(chunk, done, chunk.length - done)).bytesWritten;
      wait = 1;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      await sleep(wait);
      wait = Math.min(2 * wait, 20);
    }
  }
}

/** Standard output (or error), through Node's stream (which never blocks a thread on a slow pipe). */
function standardOutput(name: string, stream: NodeJS.WriteStream): Output {
  let failed: unknown;
  // Without a listener an 'error' event would end the process with a stack trace.
  stream.on("error", (err) => (failed ??= err));
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolveWrite, reject) => {
      if (failed) return reject(namedError(failed, name));
      try {
        stream.write(chunk, (err) => (err ? reject(namedError(err, name)) : resolveWrite()));
      } catch (err) {
        reject(namedError(err, name));
      }
    });
  return { name, atomic: false, write, commit: async () => undefined, abort: async () => undefined };
}

async function named<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw namedError(err, name);
  }
}

function closeOnce(handle: FileHandle): () => Promise<void> {
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
}
