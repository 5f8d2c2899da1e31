// inspect's file_descriptors and sockets, per task: checkpointctl's keys, then ours.

import type { FileDescriptor, Task } from "../model/types";
import { describeFile } from "./describe-file";
import { bufferSize } from "./units";

export interface OpenFileNode {
  type: string;
  fd: string;
  path: string;
  // Ours:
  kind?: string;
  flags?: number;
  pos?: number;
  deleted?: boolean;
  deleted_bytes?: number;
  pipe_id?: number;
  end?: string;
  queued_bytes?: number;
  peers?: { pid: number; fd: number }[];
  inode?: number;
}

export interface FdNode {
  pid: number;
  open_files?: OpenFileNode[];
}

export interface SkData {
  type?: string;
  address?: string;
  state?: string;
  src?: string;
  src_port?: number;
  dst?: string;
  dst_port?: number;
  send_buf?: string;
  recv_buf?: string;
  // Ours:
  fd: number;
  family?: string;
  socket_type?: string;
  inode?: number;
  peer_inode?: number;
  peers?: { pid: number; fd: number }[];
  inq_bytes?: number;
  outq_bytes?: number;
  queued_bytes?: number;
  protocol_number?: number;
  ns_id?: number;
}

export interface SkNode {
  pid: number;
  open_sockets?: { protocol?: string; data: SkData }[];
}

export function inspectFiles(tasks: readonly Task[]): FdNode[] {
  return tasks.map((t) => {
    const files: OpenFileNode[] = t.fds.map(openFile);
    if (t.cwd !== undefined || t.fds.length > 0) files.push({ type: "", fd: "cwd", path: t.cwd ?? "" });
    if (t.root !== undefined || t.fds.length > 0) files.push({ type: "", fd: "root", path: t.root ?? "" });
    return files.length > 0 ? { pid: t.pid, open_files: files } : { pid: t.pid };
  });
}

function openFile(d: FileDescriptor): OpenFileNode {
  const n: OpenFileNode = { type: d.type, fd: `${d.type} ${d.fd}`, path: describeFile(d.file), kind: d.file.kind };
  const f = d.file;
  if (f.kind === "regular") {
    n.flags = f.flags;
    n.pos = Number(f.pos);
    if (f.deleted) {
      n.deleted = true;
      if (f.ghostSize !== undefined) n.deleted_bytes = Number(f.ghostSize);
    }
  } else if (f.kind === "pipe" || f.kind === "fifo") {
    Object.assign(n, { pipe_id: f.pipeId, end: f.end, queued_bytes: f.queuedBytes, peers: f.peers.map(({ pid, fd }) => ({ pid, fd })) });
  } else if (f.kind === "unix" || f.kind === "inet") {
    n.inode = f.ino;
  }
  return n;
}

/** Tasks with sockets, each socket as checkpointctl shows it plus queued bytes, peers and inodes. */
export function inspectSockets(tasks: readonly Task[]): SkNode[] {
  const out: SkNode[] = [];
  for (const t of tasks) {
    const sockets = t.fds.flatMap((d) => {
      const s = socket(d);
      return s ? [s] : [];
    });
    if (sockets.length > 0) out.push({ pid: t.pid, open_sockets: sockets });
  }
  return out;
}

function socket(d: FileDescriptor): { protocol?: string; data: SkData } | undefined {
  const f = d.file;
  switch (f.kind) {
    case "inet":
      return {
        protocol: f.protocol,
        data: dropUndefined({
          type: f.protocol,
          state: f.state,
          src: f.src,
          src_port: f.srcPort || undefined,
          dst: f.dst,
          dst_port: f.dstPort || undefined,
          send_buf: bufferSize(f.sendBuf),
          recv_buf: bufferSize(f.recvBuf),
          fd: d.fd,
          family: f.family,
          socket_type: f.sockType,
          inode: f.ino,
          inq_bytes: f.inqBytes,
          outq_bytes: f.outqBytes,
          ns_id: f.nsId,
        }),
      };
    case "unix":
      return {
        data: dropUndefined({
          type: "UNIX",
          address: f.name.length > 0 ? new TextDecoder().decode(f.name) : undefined,
          state: f.state,
          send_buf: bufferSize(f.sendBuf),
          recv_buf: bufferSize(f.recvBuf),
          fd: d.fd,
          socket_type: f.sockType,
          inode: f.ino,
          peer_inode: f.peerIno || undefined,
          peers: f.peers.length > 0 ? f.peers : undefined,
          queued_bytes: f.queuedBytes,
          ns_id: f.nsId,
        }),
      };
    case "netlink":
      return { protocol: "NETLINK", data: { send_buf: bufferSize(f.sendBuf), recv_buf: bufferSize(f.recvBuf), fd: d.fd, state: f.state, protocol_number: f.protocol, ns_id: f.nsId } };
    case "packet":
      return { protocol: "PACKET", data: { send_buf: bufferSize(f.sendBuf), recv_buf: bufferSize(f.recvBuf), fd: d.fd, protocol_number: f.protocol, ns_id: f.nsId } };
    default:
      return undefined;
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
