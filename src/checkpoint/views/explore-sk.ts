// `crit x DUMP sk`: go-criu's socket explorer. Its JSON (four-space indent, Go's escaping) for
// every task with sockets, in pstree order, each socket in fd order with go-criu's keys and
// values, its quirks included (a packet socket's "type" is its protocol number).

import type { Checkpoint, FileDescriptor } from "../model/types";
import { ipProtocolName } from "../model/socket-names";
import { bufferSize } from "./units";

export interface ExploredSocket {
  fd: number;
  fd_type: string;
  family?: string;
  protocol?: string;
  type?: string;
  state?: string;
  src_addr?: string;
  src_port?: number;
  dest_addr?: string;
  dest_port?: number;
  send_buf: string;
  recv_buf: string;
}

export function exploreSockets(cp: Checkpoint): { pid: number; sockets: ExploredSocket[] }[] {
  return cp.tasks
    .map((t) => ({ pid: t.pid, sockets: t.fds.flatMap((d) => socket(d)) }))
    .filter((t) => t.sockets.length > 0);
}

/** The text go-criu's `crit x DIR sk` prints. */
export function exploreSk(cp: Checkpoint): string {
  return `${goJson(JSON.stringify(exploreSockets(cp), null, 4))}\n`;
}

function socket(d: FileDescriptor): ExploredSocket[] {
  const f = d.file;
  const bufs = (send: number, recv: number) => ({ send_buf: bufferSize(send), recv_buf: bufferSize(recv) });
  switch (f.kind) {
    case "inet":
      return [
        drop({
          fd: d.fd,
          fd_type: d.type,
          family: f.family === "IPv4" ? "IPV4" : f.family === "IPv6" ? "IPV6" : f.family,
          protocol: f.protocol,
          type: f.sockType,
          state: f.state,
          src_addr: f.src,
          src_port: f.srcPort || undefined,
          dest_addr: f.dst,
          dest_port: f.dstPort || undefined,
          ...bufs(f.sendBuf, f.recvBuf),
        }),
      ];
    case "unix":
      return [drop({ fd: d.fd, fd_type: d.type, type: f.sockType, state: f.state, src_addr: f.name.length > 0 ? new TextDecoder().decode(f.name) : undefined, ...bufs(f.sendBuf, f.recvBuf) })];
    case "netlink":
      return [{ fd: d.fd, fd_type: d.type, protocol: ipProtocolName(f.protocol), state: f.state, ...bufs(f.sendBuf, f.recvBuf) }];
    case "packet":
      return [{ fd: d.fd, fd_type: d.type, protocol: String(f.protocol), type: String(f.protocol), ...bufs(f.sendBuf, f.recvBuf) }];
    default:
      return [];
  }
}

function drop<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as T;
}

/**
 * Go's encoding/json escapes <, >, & and the line separators that JSON.stringify leaves, and
 * writes a byte that is not UTF-8 as \ufffd (TextDecoder made it U+FFFD; a name holding a real
 * U+FFFD is written escaped too, where Go would write it as is).
 */
function goJson(text: string): string {
  return text.replace(/[<>&\u2028\u2029\ufffd]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
