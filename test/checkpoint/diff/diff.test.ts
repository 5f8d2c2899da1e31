// diffCheckpoints on the corpus: a checkpoint against itself, the same checkpoint as archive and
// as dump directory, and the busybox container against the forensics one (facts from both
// SCENARIO.md files).
import { describe, expect, it } from "vitest";
import { countChanges, diffCheckpoints } from "../../../src/index";
import { BUSYBOX, FORENSICS, FORENSICS_IMAGES, open } from "./open";

const NONE = { processes: 0, files: 0, sockets: 0, maps: 0, pages: 0 };

describe("diffCheckpoints", () => {
  it.each([BUSYBOX, FORENSICS, FORENSICS_IMAGES])("finds nothing between %s and itself", async (path) => {
    const d = await diffCheckpoints(await open(path), await open(path));
    expect(countChanges(d)).toEqual(NONE);
    expect(d.processes.unchanged.length).toBeGreaterThan(0);
    expect(d.memory.tasks.every((t) => t.pages !== null && t.pages.resident.a === t.pages.resident.b && t.pages.error === null)).toBe(true);
    // Plain data: a JSON round trip keeps it whole.
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it("finds nothing between an archive and its own images as a dump directory", async () => {
    const d = await diffCheckpoints(await open(FORENSICS), await open(FORENSICS_IMAGES));
    expect(countChanges(d)).toEqual(NONE);
    expect(d.sameContainer).toBeNull();
    expect(d.memory.tasks.map((t) => [t.pid, t.pages?.resident.a])).toEqual([[1, 22], [6, 16], [7, 16]]);
  });

  it("tells the busybox container from the forensics one", async () => {
    const d = await diffCheckpoints(await open(BUSYBOX), await open(FORENSICS));
    expect(d.sameContainer).toBe(false);
    expect([d.a.container?.name, d.b.container?.name]).toEqual(["corpus-bb", "corpus-fx"]);
    const p = d.processes;
    expect(p.added.map((x) => [x.pid, x.comm])).toEqual([[6, "fx-child"]]);
    expect(p.removed.map((x) => [x.pid, x.comm])).toEqual([[8, "sleep"], [9, "sleep"]]);
    expect(p.changed.map((c) => c.pid)).toEqual([1, 7]);
    const [one, seven] = p.changed;
    expect(one!.fields.find((f) => f.field === "comm")).toEqual({ field: "comm", a: "sleep", b: "forensics" });
    expect(one!.environment.added).toEqual(["APP_MODE=forensics", "SECRET_TOKEN=tok-4f9a2c"]);
    expect(one!.environment.changed).toEqual([{ name: "HOSTNAME", a: "HOSTNAME=626cd9980e82", b: "HOSTNAME=5e1433bac4be" }]);
    expect(one!.threads.added).toEqual([{ tid: 8, comm: "fx-worker" }]);
    expect(seven!.fields.find((f) => f.field === "ppid")).toEqual({ field: "ppid", a: 1, b: 6 });
    // The forensics program's sockets: the TCP listener and both ends of its connection are new.
    expect(d.sockets.added.filter((s) => s.protocol === "TCP").map((s) => [s.pid, s.fd, s.state, s.local, s.peer, s.inqBytes])).toEqual([
      [1, 5, "ESTABLISHED", "127.0.0.1:7070", "127.0.0.1:47370", 35],
      [1, 7, "LISTEN", "127.0.0.1:7070", "", null], // a listener has no tcp-stream image
      [6, 3, "ESTABLISHED", "127.0.0.1:47370", "127.0.0.1:7070", 33],
    ]);
    // PID 7's fd 3 was busybox httpd's TCP listener; it is the abstract UNIX listener now.
    const fd3 = d.sockets.changed.find((c) => c.pid === 7 && c.fd === 3)!;
    expect([fd3.a.protocol, fd3.b.protocol, fd3.b.local]).toEqual(["TCP", "UNIX", "@forensics-abstract-7070"]);
    // PID 1's fd 3: /var/log/forensics.log, open for writing at position 39.
    const log = d.files.changed.find((c) => c.pid === 1 && c.fd === 3)!;
    expect([log.b.path, log.b.position]).toEqual(["/var/log/forensics.log", 39]);
    expect(d.memory.tasks.find((t) => t.pid === 1)!.pages!.resident).toEqual({ a: 17, b: 22 });
    // Deterministic order: pid, then fd.
    const keys = d.files.opened.map((e) => [e.pid, e.fd]);
    expect(keys).toEqual([...keys].sort((x, y) => (x[0] as number) - (y[0] as number) || rank(x[1]!) - rank(y[1]!)));
  });
});

const rank = (fd: number | string) => (typeof fd === "number" ? fd : fd === "cwd" ? 1e9 : 1e9 + 1);
