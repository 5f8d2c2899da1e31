// podman-forensics: the facts listed in its SCENARIO.md, read through the model.
import { beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import type { Checkpoint, OpenFile, Task } from "../../src/checkpoint/model/types";
import { podmanSource } from "../support/podman";

const ENV = [
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "TERM=xterm",
  "container=podman",
  "APP_MODE=forensics",
  "SECRET_TOKEN=tok-4f9a2c",
  "HOME=/root",
  "HOSTNAME=5e1433bac4be",
];

let cp: Checkpoint;
const task = (pid: number): Task => cp.tasks.find((t) => t.pid === pid)!;
const fd = (pid: number, n: number): OpenFile => task(pid).fds.find((d) => d.fd === n)!.file;

beforeAll(async () => {
  cp = await openCheckpoint(podmanSource("forensics"));
});

describe("podman-forensics model", () => {
  it("has no warnings and finds the images under checkpoint/", () => {
    expect(cp.warnings).toEqual([]);
    expect(cp.imagesDir).toBe("checkpoint/");
  });

  it("has the process tree with threads and their names", () => {
    expect(cp.roots.map((t) => t.pid)).toEqual([1]);
    expect(cp.tasks.map((t) => [t.pid, t.ppid, t.pgid, t.sid, t.state])).toEqual([
      [1, 0, 1, 1, "Alive"],
      [6, 1, 1, 1, "Alive"],
      [7, 6, 1, 1, "Alive"],
    ]);
    expect(task(1).children.map((t) => t.pid)).toEqual([6]);
    expect(task(6).children.map((t) => t.pid)).toEqual([7]);
    expect(task(1).threads.map((t) => [t.tid, t.comm])).toEqual([
      [1, "forensics"],
      [8, "fx-worker"],
    ]);
    expect([task(6).comm, task(7).comm]).toEqual(["fx-child", "fx-grandchild"]);
  });

  it("reads argv and the environment, in memory order, from every process's pages", () => {
    for (const pid of [1, 6, 7]) {
      expect(task(pid).argv).toEqual(["/usr/local/bin/forensics"]);
      expect(task(pid).environ).toEqual(ENV);
    }
  });

  it("has namespaces per task and the external net namespace", () => {
    expect(task(6).namespaces).toEqual({ pid: 9, net: 10, ipc: 11, uts: 12, mnt: 13, user: 7, cgroup: 8, time: 5 });
    expect(cp.netNamespaces).toEqual([{ id: 10, extKey: "extRootNetNS", devices: [], addresses: [], routes: [], hasAddressImage: false, nsids: [] }]);
    expect(task(1).creds?.uid).toBe(0);
  });

  it("resolves regular files, the deleted one with its ghost bytes", () => {
    expect(fd(1, 0)).toMatchObject({ kind: "regular", path: "/dev/null", flags: 0o100002, pos: 0n, deleted: false });
    expect(fd(1, 3)).toMatchObject({ kind: "regular", path: "/var/log/forensics.log", flags: 0o102001, pos: 39n, deleted: false });
    expect(fd(1, 4)).toMatchObject({ kind: "regular", path: "/tmp/scratch.tmp", flags: 0o100002, pos: 31n, deleted: true, ghostSize: 31n });
    expect([task(1).cwd, task(1).root, task(1).exe]).toEqual(["/", "/", "/usr/local/bin/forensics"]);
  });

  it("joins both ends of the pipe and counts its unread bytes", () => {
    expect(fd(1, 6)).toMatchObject({ kind: "pipe", pipeId: 359381, end: "write", queuedBytes: 28, peers: [{ pid: 6, fd: 5, end: "read" }] });
    expect(fd(6, 5)).toMatchObject({ kind: "pipe", pipeId: 359381, end: "read", queuedBytes: 28, peers: [{ pid: 1, fd: 6, end: "write" }] });
    expect(fd(7, 1)).toMatchObject({ kind: "pipe", pipeId: 359297, end: "write" });
  });

  it("has every TCP socket with addresses, state and queued bytes", () => {
    expect(fd(1, 5)).toMatchObject({ kind: "inet", protocol: "TCP", state: "ESTABLISHED", src: "127.0.0.1", srcPort: 7070, dst: "127.0.0.1", dstPort: 47370, inqBytes: 35, outqBytes: 0 });
    expect(fd(1, 7)).toMatchObject({ kind: "inet", protocol: "TCP", state: "LISTEN", src: "127.0.0.1", srcPort: 7070, dstPort: 0 });
    expect(fd(6, 3)).toMatchObject({ kind: "inet", protocol: "TCP", state: "ESTABLISHED", src: "127.0.0.1", srcPort: 47370, dst: "127.0.0.1", dstPort: 7070, inqBytes: 33, outqBytes: 0 });
  });

  it("has every UNIX socket: path, abstract name, the socketpair joined by inode with its queues", () => {
    expect(fd(1, 8)).toMatchObject({ kind: "unix", sockType: "STREAM", state: "LISTEN", ino: 359383, address: "/tmp/forensics.sock", abstract: false });
    expect(fd(1, 9)).toMatchObject({ kind: "unix", state: "ESTABLISHED", ino: 359384, peerIno: 359385, address: "", queuedBytes: 34, peers: [{ pid: 6, fd: 10 }] });
    expect(fd(6, 10)).toMatchObject({ kind: "unix", state: "ESTABLISHED", ino: 359385, peerIno: 359384, queuedBytes: 34, peers: [{ pid: 1, fd: 9 }] });
    expect(fd(7, 3)).toMatchObject({ kind: "unix", state: "LISTEN", ino: 359389, address: "@forensics-abstract-7070", abstract: true });
    expect(new TextDecoder().decode((fd(7, 3) as { name: Uint8Array }).name)).toBe("\0forensics-abstract-7070");
  });

  it("has the engine's metadata, the mounts from spec.dump and the root-fs diff", () => {
    const e = cp.engine!;
    expect([e.engine, e.containerName, e.image, e.runtime, e.created]).toEqual(["Podman", "corpus-fx", "localhost/corpus-forensics:latest", "runc", "2026-12-04T15:42:31Z"]);
    expect(e.networks[0]).toMatchObject({ name: "podman", interfaces: [{ name: "eth0", ip: "10.88.0.7/16", mac: "66:8a:1a:cb:aa:52", gateway: "10.88.0.1" }] });
    expect(e.spec!.process!.env).toContain("SECRET_TOKEN=tok-4f9a2c");
    expect(e.spec!.mounts.map((m) => m.destination)).toEqual([
      "/proc", "/dev", "/sys", "/dev/pts", "/dev/mqueue", "/etc/hostname", "/etc/resolv.conf", "/etc/hosts", "/dev/shm", "/run/.containerenv", "/sys/fs/cgroup",
    ]);
    expect(cp.rootFs).toEqual({ added: ["var/log/forensics.log"], deleted: [] });
    expect(cp.sizes).toEqual({ checkpoint: 271064, memoryPages: 221184, rootFsDiff: 2048 });
  });

  it("has the mount namespace of the images, dump statistics and memory maps", () => {
    expect(cp.mountNamespaces.map((ns) => [ns.id, ns.mounts.length])).toEqual([[13, 30]]);
    const root = cp.mountNamespaces[0]!.mounts.find((m) => m.mntId === 79)!;
    expect([root.mountpoint, root.fstype, root.source]).toEqual(["/", "overlay", "overlay"]);
    expect(cp.stats.dump).toMatchObject({ freezingTime: 23703, frozenTime: 592363, memdumpTime: 4366, memwriteTime: 478, pagesScanned: 77n, pagesWritten: 54n });
    const heap = task(1).memoryMaps.find((m) => m.start === 0x1f4d2000n)!;
    expect([heap.end, heap.backing, heap.protection]).toEqual([0x1f4f4000n, "[heap]", "rw-p"]);
    expect(heap.residentPages).toBeGreaterThanOrEqual(5);
  });
});
