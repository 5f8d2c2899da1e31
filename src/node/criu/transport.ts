import { spawn, type ChildProcess } from "node:child_process";
import { closeSync } from "node:fs";
import { CriuError } from "./errors";
import { connectSeqpacket, destroySoon, seqpacketFromFd, seqpacketPair, type SeqpacketSocket } from "./seqpacket";

/** Where a call's CRIU is: a `criu swrk` child of ours, a `criu service` socket, or a given fd. */
export type CriuTarget =
  | { mode: "swrk"; binary: string; extraFds?: readonly number[] }
  | { mode: "service"; socketPath: string }
  | { mode: "fd"; fd: number };

/** How the CRIU child ended (swrk mode). */
export interface CriuExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** One connection to CRIU: one protobuf message per datagram, in both directions. */
export interface CriuTransport {
  send(message: Uint8Array): Promise<void>;
  /** The next datagram; rejects with a CriuError (closed-early, criu-died) when none will come. */
  receive(): Promise<Uint8Array>;
  /** Closes the socket and, in swrk mode, waits for the child (killed after `graceMs`). */
  close(graceMs?: number): Promise<CriuExit | undefined>;
  /** Kills the swrk child at once (timeouts). */
  kill(): void;
}

/** The fd number `criu swrk` is given its end of the socket pair on. */
const SWRK_FD = 3;
const STDERR_KEEP = 8192;

export async function openTransport(target: CriuTarget): Promise<CriuTransport> {
  switch (target.mode) {
    case "service":
      return new SocketTransport(await connectSeqpacket(target.socketPath));
    case "fd":
      return new SocketTransport(await seqpacketFromFd(target.fd));
    case "swrk":
      return spawnSwrk(target.binary, target.extraFds ?? []);
  }
}

async function spawnSwrk(binary: string, extraFds: readonly number[]): Promise<CriuTransport> {
  const { local, remoteFd } = await seqpacketPair();
  let child: ChildProcess;
  try {
    // fd 3 is CRIU's socket; the caller's extra fds follow as 4, 5, ... (for inherit_fd).
    child = spawn(binary, ["swrk", String(SWRK_FD)], {
      stdio: ["ignore", "ignore", "pipe", remoteFd, ...extraFds],
    });
  } catch (err) {
    destroySoon(local);
    throw new CriuError("binary-missing", `cannot start CRIU (${binary}): ${String((err as Error).message)}`, { cause: err });
  } finally {
    closeSync(remoteFd);
  }
  return new SocketTransport(local, new SwrkChild(child, binary));
}

/** The `criu swrk` process: its exit, the tail of its stderr, and a spawn failure. */
class SwrkChild {
  readonly exited: Promise<CriuExit>;
  spawnError: CriuError | undefined;
  private stderr = "";
  private done = false;

  constructor(
    private readonly child: ChildProcess,
    binary: string,
  ) {
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEEP);
    });
    this.exited = new Promise((resolve) => {
      child.once("error", (err: NodeJS.ErrnoException) => {
        const missing = err.code === "ENOENT" || err.code === "EACCES";
        this.spawnError = new CriuError(
          missing ? "binary-missing" : "criu-died",
          missing ? `CRIU binary not found or not executable: ${binary} (${err.code})` : `CRIU (${binary}) failed: ${err.message}`,
          { cause: err },
        );
        if (child.pid === undefined) this.finish(resolve, { exitCode: null, signal: null });
      });
      child.once("exit", (exitCode, signal) => this.finish(resolve, { exitCode, signal }));
    });
  }

  private finish(resolve: (exit: CriuExit) => void, exit: CriuExit): void {
    if (this.done) return;
    this.done = true;
    // A page server or a restored task may still hold the stderr pipe: don't keep our end open.
    setImmediate(() => this.child.stderr?.destroy());
    resolve(exit);
  }

  stderrTail(lines = 20): string[] {
    return this.stderr.split("\n").filter((line) => line.trim() !== "").slice(-lines);
  }

  kill(): void {
    if (!this.done) this.child.kill("SIGKILL");
  }
}

type Waiter = { resolve: (message: Uint8Array) => void; reject: (err: CriuError) => void };

class SocketTransport implements CriuTransport {
  private readonly queue: Uint8Array[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly endListeners: ((err: CriuError) => void)[] = [];
  private ended: Promise<CriuError> | undefined;
  private closed = false;

  constructor(
    private readonly socket: SeqpacketSocket,
    private readonly child?: SwrkChild,
  ) {
    socket.on("data", (data) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(new Uint8Array(data));
      else this.queue.push(new Uint8Array(data));
    });
    socket.on("end", () => this.markEnded());
    socket.on("close", () => this.markEnded());
    socket.on("error", (err) => this.markEnded(err));
    void child?.exited.then(() => this.markEnded());
  }

  private markEnded(cause?: Error): void {
    if (this.ended) return;
    this.ended = this.endError(cause);
    const waiters = this.waiters.splice(0);
    const listeners = this.endListeners.splice(0);
    void this.ended.then((err) => {
      waiters.forEach((waiter) => waiter.reject(err));
      listeners.forEach((listener) => listener(err));
    });
  }

  /** Why no answer will come: CRIU's exit status when it died, else an early close. */
  private async endError(cause?: Error): Promise<CriuError> {
    const exit = this.child ? await Promise.race([this.child.exited, sleep(2000)]) : undefined;
    if (this.child?.spawnError) return this.child.spawnError;
    const stderrTail = this.child?.stderrTail();
    if (exit && (exit.exitCode !== 0 || exit.signal !== null)) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
      const last = stderrTail?.at(-1);
      return new CriuError("criu-died", `CRIU ${how} before it answered${last ? `: ${last}` : ""}`, { ...exit, stderrTail, cause });
    }
    return new CriuError("closed-early", `CRIU closed the socket before it answered${cause ? `: ${cause.message}` : ""}`, { ...exit, stderrTail, cause });
  }

  private whenEnded(): Promise<CriuError> {
    if (this.ended) return this.ended;
    return new Promise((resolve) => this.endListeners.push(resolve));
  }

  async send(message: Uint8Array): Promise<void> {
    if (this.ended) throw await this.ended;
    const buf = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    // A write to a closed peer never calls back: the end of the socket settles the send too.
    const written = new Promise<void>((resolve, reject) => {
      try {
        this.socket.write(buf, 0, buf.length, resolve);
      } catch (err) {
        this.markEnded(err as Error);
        reject(err);
      }
    });
    const ended = this.whenEnded().then((err) => Promise.reject(err));
    try {
      await Promise.race([written, ended]);
    } catch (err) {
      throw err instanceof CriuError ? err : await this.whenEnded();
    } finally {
      ended.catch(() => undefined);
    }
  }

  receive(): Promise<Uint8Array> {
    const next = this.queue.shift();
    if (next) return Promise.resolve(next);
    if (this.ended) return this.ended.then((err) => Promise.reject(err));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async close(graceMs = 10_000): Promise<CriuExit | undefined> {
    if (!this.closed) {
      this.closed = true;
      destroySoon(this.socket);
    }
    if (!this.child) return undefined;
    const exit = await Promise.race([this.child.exited, sleep(graceMs)]);
    if (exit) return exit;
    this.child.kill();
    return this.child.exited;
  }

  kill(): void {
    this.child?.kill();
  }
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
