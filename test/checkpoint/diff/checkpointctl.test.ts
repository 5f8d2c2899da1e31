// crit diff's JSON against checkpointctl's on edited copies of the forensics archive (see
// test/fixtures/diff/README.md): the same entries under its keys (its lists come in random
// order, so they are compared sorted), and the changes it misses under ours.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffCheckpoints } from "../../../src/index";
import { diffJson } from "../../../src/checkpoint/diff/render-json";
import { fixturePath } from "../../support/fixtures";
import { FORENSICS, open } from "./open";

const OPTIONS = { files: true, sockets: true, psTreeCmd: true, psTreeEnv: true };
type Json = Record<string, Record<string, unknown[]> & Record<string, unknown>>;

async function both(a: string, b: string, peer: string): Promise<{ ours: Json; theirs: Json }> {
  const ours = diffJson(await diffCheckpoints(await open(a), await open(b), { pages: false }), OPTIONS) as Json;
  return { ours, theirs: JSON.parse(readFileSync(fixturePath(`diff/${peer}`), "utf8")) as Json };
}

/** A list sorted, with checkpointctl's INETSK.<id> placeholder paths left out (ours name the socket). */
const sorted = (list: unknown[] | undefined) =>
  (list ?? [])
    .map((e) => {
      const { path, ...rest } = e as { path?: string; type?: string };
      return rest.type === "INETSK" || path === undefined ? JSON.stringify(rest) : JSON.stringify({ ...rest, path });
    })
    .sort();

const B = fixturePath("diff/forensics-mutated-b.tar.zst");
const C = fixturePath("diff/forensics-mutated-c.tar.zst");

describe("crit diff JSON and checkpointctl's", () => {
  it("agree on a task, an fd and a socket removed, and report the renamed thread and changed environment it misses", async () => {
    const { ours, theirs } = await both(FORENSICS, B, "checkpointctl-a-b.json");
    for (const key of ["container_id", "container_name", "image", "memory_changes"]) expect(ours[key]).toEqual(theirs[key]);
    expect(ours.checkpoint_a).toMatchObject(theirs.checkpoint_a!);
    expect(ours.checkpoint_b).toMatchObject(theirs.checkpoint_b!);
    for (const part of ["process_changes", "file_changes", "socket_changes"]) {
      for (const list of ["added", "removed"]) expect(sorted(ours[part]![list]), `${part}.${list}`).toEqual(sorted(theirs[part]![list]));
    }
    expect(sorted(ours.socket_changes!.unchanged)).toEqual(sorted(theirs.socket_changes!.unchanged));
    expect(sorted(ours.file_changes!.unchanged)).toEqual(sorted(theirs.file_changes!.unchanged));
    // checkpointctl calls PID 6 (comm fx-child -> fx-kid) and PID 1 (APP_MODE changed) unchanged.
    expect(sorted(theirs.process_changes!.unchanged).length).toBe(2);
    expect((ours.process_changes!.modified as { pid: number }[]).map((p) => p.pid)).toEqual([1, 6]);
    const changes = ours.process_changes!.changes as { pid: number; fields: unknown[]; environment: { changed: unknown[] } }[];
    expect(changes[1]!.fields).toEqual([{ field: "comm", a: "fx-child", b: "fx-kid" }]);
    expect(changes[0]!.environment.changed).toEqual([{ name: "APP_MODE", a: "APP_MODE=forensics", b: "APP_MODE=forensicX" }]);
    expect((ours.summary as unknown as string).split("\n").slice(2)).toEqual((theirs.summary as unknown as string).split("\n").slice(2));
  });

  it("agree on a renamed file, a moved listener, a changed command line and the pages' size", async () => {
    const { ours, theirs } = await both(C, FORENSICS, "checkpointctl-c-a.json");
    expect(ours.memory_changes).toEqual(theirs.memory_changes);
    expect(ours.memory_changes).toEqual({ size_change_bytes: -8192, size_change_mb: -8192 / 1048576 });
    for (const part of ["process_changes", "socket_changes"]) {
      for (const list of ["added", "removed", "unchanged"]) expect(sorted(ours[part]![list]), `${part}.${list}`).toEqual(sorted(theirs[part]![list]));
    }
    // The listener's fd: checkpointctl shows it as INETSK.9 in both, so unchanged; ours names its
    // address, which changed, so it is removed and added like the renamed file.
    const listener = JSON.stringify({ type: "INETSK", pid: 1, fd: "INETSK 7" });
    const files = ours.file_changes!;
    expect(sorted(files.added)).toEqual([listener, ...sorted(theirs.file_changes!.added)].sort());
    expect(sorted(files.removed)).toEqual([listener, ...sorted(theirs.file_changes!.removed)].sort());
    expect([listener, ...sorted(files.unchanged)].sort()).toEqual(sorted(theirs.file_changes!.unchanged));
    expect(ours.process_changes!.modified).toEqual(theirs.process_changes!.modified);
    const summary = (theirs.summary as unknown as string).replace("Files: +1 -1", "Files: +2 -2");
    expect(ours.summary).toEqual(summary);
    // What checkpointctl leaves out: the file's position, and the listener's port as a change of one socket.
    const file = (ours.file_changes!.changed as { pid: number; fd: number; fields: string[]; a: { position: number }; b: { position: number } }[])[0]!;
    expect([file.pid, file.fd, file.fields, file.a.position, file.b.position]).toEqual([1, 3, ["path", "position"], 99, 39]);
    const socket = (ours.socket_changes!.changed as { pid: number; fd: number; fields: string[] }[])[0]!;
    expect([socket.pid, socket.fd, socket.fields]).toEqual([1, 7, ["local"]]);
  });
});
