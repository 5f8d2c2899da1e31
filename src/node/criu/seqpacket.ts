import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CriuError } from "./errors";

/**
 * SOCK_SEQPACKET sockets for Node, from node-unix-socket (a prebuilt N-API module, loaded only
 * here and only when a CRIU client first needs a socket, so that the package root never loads it).
 */
export interface SeqpacketSocket {
  on(event: "data", listener: (data: Buffer) => void): this;
  on(event: "end" | "close" | "connect", listener: () => void): this;
  on(event: "error", listener: (err: Error) => void): this;
  write(buf: Buffer, offset?: number, length?: number, cb?: () => void): void;
  connect(path: string, cb?: () => void): void;
  destroy(): void;
}

interface SeqpacketServer {
  listen(path: string, backlog?: number): void;
  close(): void;
  on(event: string, listener: (...args: never[]) => void): this;
  removeAllListeners(event: string): this;
  listenerCount(event: string): number;
}

interface SocketModule {
  SeqpacketSocket: new (fd?: number) => SeqpacketSocket;
  SeqpacketServer: new () => SeqpacketServer;
}

let loaded: Promise<SocketModule> | undefined;

export function loadSeqpacket(): Promise<SocketModule> {
  loaded ??= import("node-unix-socket").then(
    (mod: unknown) => {
      const m = ((mod as { default?: unknown }).default ?? mod) as Partial<SocketModule>;
      if (typeof m.SeqpacketSocket !== "function" || typeof m.SeqpacketServer !== "function")
        throw new Error("node-unix-socket has no SeqpacketSocket/SeqpacketServer");
      return m as SocketModule;
    },
    (err: unknown) => {
      loaded = undefined;
      throw new CriuError(
        "socket-unavailable",
        `the CRIU client needs the optional package node-unix-socket (SOCK_SEQPACKET sockets), which does not load here: ${String((err as Error)?.message ?? err)}`,
        { cause: err },
      );
    },
  );
  return loaded;
}

/** A socket wrapping an fd that the caller hands over (closed with the socket). */
export async function seqpacketFromFd(fd: number): Promise<SeqpacketSocket> {
  const { SeqpacketSocket } = await loadSeqpacket();
  return new SeqpacketSocket(fd);
}

/** A socket connected to a `criu service` listening on `path`. */
export async function connectSeqpacket(path: string): Promise<SeqpacketSocket> {
  const { SeqpacketSocket } = await loadSeqpacket();
  const socket = new SeqpacketSocket();
  return new Promise((resolve, reject) => {
    const failed = (err: unknown) => {
      destroySoon(socket);
      reject(new CriuError("connect-failed", `cannot connect to the CRIU service socket ${path}: ${String((err as Error)?.message ?? err)}`, { cause: err }));
    };
    socket.on("error", failed);
    try {
      socket.connect(path, () => resolve(socket));
    } catch (err) {
      failed(err);
    }
  });
}

/**
 * A connected pair: `local` for this process and `remoteFd`, a raw blocking fd for a child
 * process (criu swrk). node-unix-socket has no socketpair(), so the pair is made by a listener on
 * a path in a fresh private directory (removed at once) and one connect. The raw fd of the
 * accepted end comes from the server's internal `_connection` event, checked to exist first.
 */
export async function seqpacketPair(): Promise<{ local: SeqpacketSocket; remoteFd: number }> {
  const { SeqpacketSocket, SeqpacketServer } = await loadSeqpacket();
  const dir = mkdtempSync(join(tmpdir(), "criu-rpc-"));
  const path = join(dir, "swrk.sock");
  const server = new SeqpacketServer();
  const local = new SeqpacketSocket();
  try {
    if (server.listenerCount("_connection") !== 1)
      throw new CriuError("socket-unavailable", "this node-unix-socket version hands accepted sockets over differently; the CRIU client was written for 0.2.7");
    server.removeAllListeners("_connection");
    const accepted = new Promise<number>((resolve) => server.on("_connection", (fd: never) => resolve(fd as number)));
    server.listen(path, 1);
    const connected = new Promise<void>((resolve, reject) => {
      local.on("error", reject);
      local.connect(path, resolve);
    });
    const [remoteFd] = await Promise.all([withDeadline(accepted, 10_000), withDeadline(connected, 10_000)]);
    return { local, remoteFd };
  } catch (err) {
    destroySoon(local);
    if (err instanceof CriuError) throw err;
    throw new CriuError("socket-unavailable", `cannot make a seqpacket socket pair: ${String((err as Error)?.message ?? err)}`, { cause: err });
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Destroys a socket on the next turn of the event loop: node-unix-socket 0.2.7 aborts the process
 * when a socket is destroyed from inside its own data callback while more data is queued.
 */
export function destroySoon(socket: SeqpacketSocket): void {
  setImmediate(() => {
    try {
      socket.destroy();
    } catch {
      // already destroyed
    }
  });
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
