// podman-busybox: the facts of its SCENARIO.md and of checkpointctl's output, through the model.
import { beforeAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import type { Checkpoint, OpenFile, Task } from "../../src/checkpoint/model/types";
import { podmanSource } from "../support/podman";

let cp: Checkpoint;
const task = (pid: number): Task => cp.tasks.find((t) => t.pid === pid)!;
const fd = (pid: number, n: number): OpenFile => task(pid).fds.find((d) => d.fd === n)!.file;

beforeAll(async () => {
  cp = await openCheckpoint(podmanSource("busybox"));
});

describe("podman-busybox model", () => {
  it("has the tree with command lines and environments", () => {
    expect(cp.warnings).toEqual([]);
    expect(cp.roots.map((t) => t.pid)).toEqual([1]);
    expect(task(1).children.map((t) => t.pid)).toEqual([7, 8, 9]);
    expect(cp.tasks.map((t) => [t.pid, t.comm, t.argv])).toEqual([
      [1, "sleep", ["sleep", "100000"]],
      [7, "httpd", ["httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/var/www"]],
      [8, "sleep", ["sleep", "100000"]],
      [9, "sleep", ["sleep", "100000"]],
    ]);
    for (const t of cp.tasks) {
      expect([...t.environ!].sort()).toEqual([
        "HOME=/root", "HOSTNAME=626cd9980e82", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PWD=/", "SHLVL=1", "TERM=xterm", "container=podman",
      ]);
    }
    expect(task(7).cwd).toBe("/var/www");
  });

  it("resolves the FIFO to its path with its data, and joins the pipe between 8 and 9", () => {
    expect(fd(1, 3)).toMatchObject({ kind: "fifo", path: "/tmp/f", queuedBytes: 10 }); // "fifo-data\n"
    expect(fd(8, 1)).toMatchObject({ kind: "pipe", pipeId: 113818, end: "write", queuedBytes: 17, peers: [{ pid: 9, fd: 0, end: "read" }] }); // "unread-pipe-data\n"
    expect(fd(9, 0)).toMatchObject({ kind: "pipe", pipeId: 113818, end: "read", peers: [{ pid: 8, fd: 1, end: "write" }] });
  });

  it("has httpd's listener", () => {
    expect(fd(7, 3)).toMatchObject({ kind: "inet", protocol: "TCP", state: "LISTEN", src: "127.0.0.1", srcPort: 8080, sendBuf: 16384, recvBuf: 131072 });
  });

  it("has the engine metadata, no network, and the root-fs diff", () => {
    const e = cp.engine!;
    expect([e.engine, e.containerName, e.image, e.created, e.networks, e.ip]).toEqual(["Podman", "corpus-bb", "localhost/corpus-busybox:latest", "2026-11-23T14:06:25Z", [], undefined]);
    expect(e.spec!.mounts.find((m) => m.destination === "/dev/shm")).toMatchObject({ type: "bind" });
    expect(cp.rootFs).toEqual({ added: ["tmp/f", "tmp/x"], deleted: [] });
    expect(cp.sizes).toEqual({ checkpoint: 326403, memoryPages: 266240, rootFsDiff: 2560 });
    expect(cp.netNamespaces).toEqual([]);
    expect(cp.unknownFiles).toEqual([]);
  });
});
