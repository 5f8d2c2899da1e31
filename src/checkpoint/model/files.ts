// Open files resolved: fdinfo-N.img (per task's files_id) -> files.img by id -> the kind's
// entry, joined with what other images say about it (ghost files for deleted files, queued
// bytes of pipes and sockets, the other ends of pipes and socket pairs).

import type { fdinfo_entry, file_entry } from "../../gen/fdinfo_pb";
import { fdTypeName } from "../file-names";
import type { ImageSet } from "./image-set";
import { familyName, inetAddress, ipProtocolName, sockTypeName, stateName, unixAddress } from "./socket-names";
import type { FileDescriptor, OpenFile, PipeFile, UnixSocket } from "./types";

/** remap_type GHOST and LINKED: the file was unlinked while open. */
const REMAP_LINKED = 0;
const REMAP_GHOST = 1;
const O_ACCMODE = 3;

/** Lookups over the whole dump, built once. */
export class FileTable {
  private readonly byId = new Map<number, file_entry>();
  private readonly remaps = new Map<number, { remapId: number; type: number }>();
  private readonly pipeBytes = new Map<number, number>();
  private readonly fifoBytes = new Map<number, number>();
  private readonly skQueued = new Map<number, number>();
  private readonly memfdInodes = new Map<bigint, { name: string; size: bigint }>();
  private readonly ttyInfo = new Map<number, { type: string; index: number | undefined }>();

  constructor(private readonly images: ImageSet) {
    for (const f of images.entries("files.img", "FILES") ?? []) if (!this.byId.has(f.id)) this.byId.set(f.id, f);
    for (const r of images.entries("remap-fpath.img", "REMAP_FPATH") ?? []) this.remaps.set(r.origId, { remapId: r.remapId, type: r.remapType });
    for (const p of images.entries("pipes-data.img", "PIPES_DATA") ?? []) add(this.pipeBytes, p.entry.pipeId, p.entry.bytes);
    for (const p of images.entries("fifo-data.img", "FIFO_DATA") ?? []) add(this.fifoBytes, p.entry.pipeId, p.entry.bytes);
    for (const q of images.entries("sk-queues.img", "SK_QUEUES") ?? []) add(this.skQueued, q.entry.idFor, q.entry.length);
    for (const m of images.entries("memfd.img", "MEMFD_INODE") ?? []) this.memfdInodes.set(m.inodeId, { name: m.name, size: m.size });
    for (const t of images.entries("tty-info.img", "TTY_INFO") ?? []) {
      this.ttyInfo.set(t.id, { type: ttyTypeName(t.type), index: t.pty?.index });
    }
  }

  /** A task's descriptors, by fd number. */
  descriptors(fdinfo: readonly fdinfo_entry[]): FileDescriptor[] {
    return [...fdinfo]
      .sort((a, b) => a.fd - b.fd)
      .map((fd) => ({ fd: fd.fd, type: fdTypeName(fd.type), id: fd.id, flags: fd.flags, file: this.resolve(fd.id, fd.type) }));
  }

  /** A regular file's path by id (cwd, root, exe, mappings); undefined when unknown. */
  path(id: number): string | undefined {
    return this.byId.get(id)?.reg?.name;
  }

  private resolve(id: number, type: number): OpenFile {
    const f = this.byId.get(id);
    if (!f) return { kind: "missing", reason: `file id ${id} is not in files.img` };
    if (f.reg) {
      const r = f.reg;
      const remap = this.remaps.get(r.id);
      const deleted = remap !== undefined && (remap.type === REMAP_GHOST || remap.type === REMAP_LINKED);
      let ghostSize: bigint | undefined;
      if (remap?.type === REMAP_GHOST) {
        const head = this.images.entries(`ghost-file-${remap.remapId.toString(16)}.img`, "GHOST_FILE")?.[0];
        if (head && "entry" in head && head.entry.$typeName === "ghost_file_entry") ghostSize = "data" in head && head.data ? BigInt(head.data.length) : head.entry.size;
      }
      return { kind: "regular", path: r.name, flags: r.flags, pos: r.pos, size: r.size || undefined, mntId: r.mntId, deleted, ghostSize };
    }
    if (f.pipe) return pipe("pipe", f.pipe.pipeId, f.pipe.flags, undefined, this.pipeBytes.get(f.pipe.pipeId) ?? 0);
    if (f.fifo) {
      const reg = this.byId.get(f.fifo.regfId)?.reg;
      return pipe("fifo", f.fifo.pipeId, reg?.flags ?? O_ACCMODE, reg?.name, this.fifoBytes.get(f.fifo.pipeId) ?? 0);
    }
    if (f.isk) {
      const s = f.isk;
      return {
        kind: "inet",
        family: familyName(s.family),
        protocol: ipProtocolName(s.proto),
        sockType: sockTypeName(s.type),
        state: stateName(s.state),
        src: inetAddress(s.family, s.srcAddr),
        srcPort: s.srcPort,
        dst: inetAddress(s.family, s.dstAddr),
        dstPort: s.dstPort,
        ino: s.ino,
        nsId: s.nsId,
        sendBuf: s.opts?.soSndbuf ?? 0,
        recvBuf: s.opts?.soRcvbuf ?? 0,
        ...this.tcpQueues(s.ino),
      };
    }
    if (f.usk) {
      const s = f.usk;
      const { address, abstract } = unixAddress(s.name);
      const sk: UnixSocket = {
        kind: "unix",
        sockType: sockTypeName(s.type),
        state: stateName(s.state),
        ino: s.ino,
        peerIno: s.peer,
        name: s.name,
        address,
        abstract,
        mntId: s.mntId,
        nsId: s.nsId,
        sendBuf: s.opts?.soSndbuf ?? 0,
        recvBuf: s.opts?.soRcvbuf ?? 0,
        queuedBytes: this.skQueued.get(s.id) ?? 0,
        peers: [],
      };
      return sk;
    }
    if (f.nlsk) {
      const s = f.nlsk;
      return { kind: "netlink", protocol: s.protocol, portid: s.portid, state: stateName(s.state), nsId: s.nsId, sendBuf: s.opts?.soSndbuf ?? 0, recvBuf: s.opts?.soRcvbuf ?? 0 };
    }
    if (f.psk) {
      const s = f.psk;
      return { kind: "packet", sockType: s.type, protocol: s.protocol, ifindex: s.ifindex, nsId: s.nsId, sendBuf: s.opts?.soSndbuf ?? 0, recvBuf: s.opts?.soRcvbuf ?? 0 };
    }
    if (f.efd) return { kind: "eventfd", counter: f.efd.counter, flags: f.efd.flags };
    if (f.epfd) return { kind: "epoll", targets: f.epfd.tfd.map((t) => ({ fd: t.tfd, events: t.events })).sort((a, b) => a.fd - b.fd) };
    if (f.sgfd) return { kind: "signalfd", sigmask: f.sgfd.sigmask };
    if (f.tfd) return { kind: "timerfd", clockid: f.tfd.clockid, ticks: f.tfd.ticks };
    if (f.ify) return { kind: "inotify", watches: f.ify.wd.map((w) => ({ wd: w.wd, inode: w.iIno, mask: w.mask })).sort((a, b) => a.wd - b.wd) };
    if (f.ffy) return { kind: "fanotify", marks: f.ffy.mark.length };
    if (f.memfd) {
      const inode = this.memfdInodes.get(BigInt(f.memfd.inodeId));
      return { kind: "memfd", name: inode?.name ?? "", size: inode?.size, pos: f.memfd.pos };
    }
    if (f.tty) {
      const info = this.ttyInfo.get(f.tty.ttyInfoId);
      return { kind: "tty", index: info?.index, ttyType: info?.type ?? "", path: this.byId.get(f.tty.regfId)?.reg?.name };
    }
    if (f.nsf) return { kind: "namespace", nsId: f.nsf.nsId, nsCflag: f.nsf.nsCflag };
    return { kind: "other", typeName: fdTypeName(type) };
  }

  private tcpQueues(ino: number): { inqBytes: number | undefined; outqBytes: number | undefined } {
    const entries = this.images.entries(`tcp-stream-${ino.toString(16)}.img`, "TCP_STREAM");
    const e = entries?.[0];
    return e ? { inqBytes: e.entry.inqLen, outqBytes: e.entry.outqLen } : { inqBytes: undefined, outqBytes: undefined };
  }
}

function pipe(kind: "pipe" | "fifo", pipeId: number, flags: number, path: string | undefined, queuedBytes: number): PipeFile {
  const mode = flags & O_ACCMODE;
  return { kind, pipeId, end: mode === 0 ? "read" : mode === 1 ? "write" : "both", path, queuedBytes, peers: [] };
}

function add(map: Map<number, number>, key: number, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

const TTY_TYPES: Record<number, string> = { 1: "PTY", 2: "CONSOLE", 3: "VT", 4: "CTTY", 5: "EXT_TTY", 6: "SERIAL" };
function ttyTypeName(type: number): string {
  return TTY_TYPES[type] ?? String(type);
}

/** Joins both ends: each pipe's other holders, each UNIX socket's peer holders. */
export function joinPeers(tasks: readonly { pid: number; fds: FileDescriptor[] }[]): void {
  const pipes = new Map<string, { pid: number; fd: number; end: PipeFile["end"] }[]>();
  const unixByIno = new Map<number, { pid: number; fd: number }[]>();
  for (const t of tasks) {
    for (const d of t.fds) {
      const f = d.file;
      if (f.kind === "pipe" || f.kind === "fifo") push(pipes, `${f.kind}:${f.pipeId}`, { pid: t.pid, fd: d.fd, end: f.end });
      else if (f.kind === "unix") push(unixByIno, f.ino, { pid: t.pid, fd: d.fd });
    }
  }
  for (const t of tasks) {
    for (const d of t.fds) {
      const f = d.file;
      if (f.kind === "pipe" || f.kind === "fifo") f.peers = (pipes.get(`${f.kind}:${f.pipeId}`) ?? []).filter((p) => p.pid !== t.pid || p.fd !== d.fd);
      else if (f.kind === "unix" && f.peerIno !== 0) f.peers = unixByIno.get(f.peerIno) ?? [];
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
