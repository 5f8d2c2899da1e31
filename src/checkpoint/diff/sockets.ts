// Sockets per task, matched by (pid, fd): added, removed, and changed in protocol, state,
// addresses or queued bytes.

import type { FileDescriptor, Task } from "../model/types";
import { byPidFd, differingFields, matchBy } from "./match";
import type { SocketEntry, SocketsDiff } from "./types";

export function diffSockets(a: readonly Task[], b: readonly Task[]): SocketsDiff {
  const m = matchBy(a.flatMap(socketEntries), b.flatMap(socketEntries), (s) => `${s.pid}/${s.fd}`, byPidFd);
  const out: SocketsDiff = { added: m.onlyB, removed: m.onlyA, changed: [], unchanged: [] };
  for (const { a: sa, b: sb } of m.both) {
    const fields = differingFields(sa, sb, ["protocol", "family", "sockType", "state", "local", "peer", "inqBytes", "outqBytes"]);
    if (fields.length > 0) out.changed.push({ pid: sa.pid, fd: sa.fd, a: sa, b: sb, fields });
    else out.unchanged.push(sb);
  }
  return out;
}

export function socketEntries(t: Task): SocketEntry[] {
  return t.fds.flatMap((d) => {
    const s = socketEntry(t.pid, d);
    return s ? [s] : [];
  });
}

const utf8 = new TextDecoder("utf-8");

function socketEntry(pid: number, d: FileDescriptor): SocketEntry | undefined {
  const f = d.file;
  const base = { pid, fd: d.fd, src: "", srcPort: 0, dst: "", dstPort: 0, name: "", inqBytes: null, outqBytes: null };
  switch (f.kind) {
    case "inet": {
      const ep = (addr: string, port: number) => (f.family === "IPv6" ? `[${addr}]:${port}` : `${addr}:${port}`);
      const peerless = f.dstPort === 0 && /^(0\.0\.0\.0|::)?$/.test(f.dst);
      return {
        ...base,
        protocol: f.protocol,
        family: f.family,
        sockType: f.sockType,
        state: f.state,
        inode: f.ino,
        local: ep(f.src, f.srcPort),
        peer: peerless ? "" : ep(f.dst, f.dstPort),
        inqBytes: f.inqBytes ?? null,
        outqBytes: f.outqBytes ?? null,
        src: f.src,
        srcPort: f.srcPort,
        dst: f.dst,
        dstPort: f.dstPort,
      };
    }
    case "unix":
      return {
        ...base,
        protocol: "UNIX",
        family: "UNIX",
        sockType: f.sockType,
        state: f.state,
        inode: f.ino,
        local: f.address,
        peer: f.peerIno ? `ino ${f.peerIno}` : "",
        inqBytes: f.queuedBytes,
        name: utf8.decode(f.name),
      };
    case "netlink":
      return { ...base, protocol: "NETLINK", family: "NETLINK", sockType: "", state: f.state, inode: 0, local: `protocol ${f.protocol} portid ${f.portid}`, peer: "" };
    case "packet":
      return { ...base, protocol: "PACKET", family: "PACKET", sockType: String(f.sockType), state: "", inode: 0, local: `protocol 0x${f.protocol.toString(16)} ifindex ${f.ifindex}`, peer: "" };
    default:
      return undefined;
  }
}
