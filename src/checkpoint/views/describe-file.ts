// What an open file is, in one line, as checkpointctl's "path" of an open file: crit's forms
// where crit's explorer resolves the file (a path, pipe[N], unix[ino (peer) name]) and real ones
// where checkpointctl prints a placeholder (TYPE.id): a FIFO's path, a socket's addresses.

import type { InetSocket, OpenFile } from "../model/types";

const latin1 = new TextDecoder("utf-8");

export function describeFile(file: OpenFile): string {
  switch (file.kind) {
    case "regular":
      return file.path;
    case "pipe":
      return `pipe[${file.pipeId}]`;
    case "fifo":
      return file.path ?? `fifo[${file.pipeId}]`;
    case "unix":
      // As crit and checkpointctl write it: the name's bytes as they are (NULs included).
      return `unix[${file.ino} (${file.peerIno}) ${latin1.decode(file.name)}]`;
    case "inet":
      return `${file.protocol.toLowerCase()}[${inetEnds(file)}]`;
    case "netlink":
      return `netlink[protocol ${file.protocol} portid ${file.portid}]`;
    case "packet":
      return `packet[protocol 0x${file.protocol.toString(16)} ifindex ${file.ifindex}]`;
    case "eventfd":
      return "anon_inode:[eventfd]";
    case "epoll":
      return "anon_inode:[eventpoll]";
    case "signalfd":
      return "anon_inode:[signalfd]";
    case "timerfd":
      return "anon_inode:[timerfd]";
    case "inotify":
      return "anon_inode:inotify";
    case "fanotify":
      return "anon_inode:[fanotify]";
    case "memfd":
      return `/memfd:${file.name} (deleted)`;
    case "tty":
      return file.path ?? `tty[${file.ttyType}${file.index === undefined ? "" : ` ${file.index}`}]`;
    case "namespace":
      return `ns[${file.nsId}]`;
    case "other":
      return file.typeName;
    case "missing":
      return `? (${file.reason})`;
  }
}

/** "127.0.0.1:7070 -> 127.0.0.1:47370", or the local end alone when there is no peer. */
export function inetEnds(s: InetSocket): string {
  const ep = (addr: string, port: number) => (s.family === "IPv6" ? `[${addr}]:${port}` : `${addr}:${port}`);
  const local = ep(s.src, s.srcPort);
  return s.dstPort === 0 && /^(0\.0\.0\.0|::)$/.test(s.dst) ? local : `${local} -> ${ep(s.dst, s.dstPort)}`;
}
