// `inspect --all --format json` against checkpointctl's JSON on the two Podman archives: the same
// value for every key checkpointctl resolved, the real value where it printed a placeholder.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { inspectCheckpoint, InspectError } from "../../src/checkpoint/views/inspect";
import { renderInspectTree } from "../../src/checkpoint/views/inspect-tree";
import { checkpointctlPath, podmanSource } from "../support/podman";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Checkpointctl's placeholders for files it did not resolve: "INETSK.7", "FIFO.5". */
const PLACEHOLDER = /^[A-Z]+\.\d+$/;

/** Every path where `ref` (checkpointctl) has a value that `ours` does not repeat; placeholders listed apart. */
function differences(ours: Json | undefined, ref: Json, path: string, placeholders: Map<string, Json | undefined>): string[] {
  if (typeof ref === "string" && PLACEHOLDER.test(ref)) {
    placeholders.set(path, ours);
    return [];
  }
  if (Array.isArray(ref)) {
    if (!Array.isArray(ours) || ours.length !== ref.length) return [`${path}: ${JSON.stringify(ours)?.slice(0, 80)} vs ${ref.length} items`];
    return ref.flatMap((r, i) => differences(ours[i], r, `${path}[${i}]`, placeholders));
  }
  if (ref !== null && typeof ref === "object") {
    if (ours === null || typeof ours !== "object" || Array.isArray(ours)) return [`${path}: not an object`];
    return Object.entries(ref).flatMap(([k, v]) => differences(ours[k], v, `${path}.${k}`, placeholders));
  }
  return ours === ref ? [] : [`${path}: ${JSON.stringify(ours)} vs ${JSON.stringify(ref)}`];
}

/** checkpointctl lists children in Go map order; both sides are compared sorted by pid. */
function sortChildren(node: Json): Json {
  if (Array.isArray(node)) return node.map(sortChildren);
  if (node === null || typeof node !== "object") return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = sortChildren(v);
  if (Array.isArray(out.children)) out.children = [...out.children].sort((a, b) => ((a as { pid: number }).pid - (b as { pid: number }).pid));
  return out;
}

async function inspectJson(name: "forensics" | "busybox"): Promise<Json> {
  const cp = await openCheckpoint(podmanSource(name));
  return sortChildren(JSON.parse(JSON.stringify([inspectCheckpoint(cp, { all: true })])) as Json);
}

describe("inspect --all --format json", () => {
  it("agrees with checkpointctl on podman-forensics, and resolves its placeholders", async () => {
    const ours = await inspectJson("forensics");
    const ref = sortChildren(JSON.parse(readFileSync(checkpointctlPath("forensics", "inspect-all-json.txt"), "utf8")) as Json);
    const placeholders = new Map<string, Json | undefined>();
    expect(differences(ours, ref, "", placeholders)).toEqual([]);
    expect(Object.fromEntries(placeholders)).toEqual({
      "[0].file_descriptors[0].open_files[5].path": "tcp[127.0.0.1:7070 -> 127.0.0.1:47370]",
      "[0].file_descriptors[0].open_files[7].path": "tcp[127.0.0.1:7070]",
      "[0].file_descriptors[1].open_files[3].path": "tcp[127.0.0.1:47370 -> 127.0.0.1:7070]",
    });
    const [node] = ours as { sockets: { pid: number; open_sockets: { data: Record<string, Json> }[] }[] }[];
    // Where checkpointctl left UNIX sockets without state and type, and had no queued bytes.
    expect(node!.sockets[0]!.open_sockets.map((s) => [s.data.state, s.data.socket_type, s.data.inq_bytes ?? s.data.queued_bytes])).toEqual([
      ["ESTABLISHED", "STREAM", 35],
      ["LISTEN", "STREAM", undefined], // CRIU keeps no queues for a listener
      ["LISTEN", "STREAM", 0],
      ["ESTABLISHED", "STREAM", 34],
    ]);
    expect(node!.sockets[0]!.open_sockets[3]!.data.peers).toEqual([{ pid: 6, fd: 10 }]);
  });

  it("agrees with checkpointctl on podman-busybox, with the FIFO's path", async () => {
    const ours = await inspectJson("busybox");
    const ref = sortChildren(JSON.parse(readFileSync(checkpointctlPath("busybox", "inspect-all-json.txt"), "utf8")) as Json);
    const placeholders = new Map<string, Json | undefined>();
    expect(differences(ours, ref, "", placeholders)).toEqual([]);
    expect(Object.fromEntries(placeholders)).toEqual({
      "[0].file_descriptors[0].open_files[3].path": "/tmp/f",
      "[0].file_descriptors[1].open_files[3].path": "tcp[127.0.0.1:8080]",
    });
  });

  it("keeps the environment in memory order under `environment`", async () => {
    const [node] = (await inspectJson("busybox")) as { process_tree: { pid: number; environment: string[]; environment_variables: Record<string, string> } }[];
    expect(node!.process_tree.environment).toEqual([
      "PWD=/", "HOSTNAME=626cd9980e82", "SHLVL=1", "HOME=/root", "container=podman", "TERM=xterm", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ].sort((a, b) => node!.process_tree.environment.indexOf(a) - node!.process_tree.environment.indexOf(b)));
    expect(Object.keys(node!.process_tree.environment_variables)).toEqual(node!.process_tree.environment.map((e) => e.split("=")[0]));
  });

  it("shows a subtree with -p and refuses a pid that is not there", async () => {
    const cp = await openCheckpoint(podmanSource("forensics"));
    const node = inspectCheckpoint(cp, { psTree: true, files: true, pid: 6 });
    expect(node.process_tree?.pid).toBe(6);
    expect(node.process_tree?.children?.map((c) => c.pid)).toEqual([7]);
    expect(node.file_descriptors?.map((f) => f.pid)).toEqual([6, 7]);
    expect(() => inspectCheckpoint(cp, { pid: 99 })).toThrow(InspectError);
  });
});

describe("inspect tree", () => {
  /** The lines without the tree's drawing: checkpointctl's map order shuffles which line comes last. */
  const normalise = (text: string) => text.split("\n").map((l) => l.replace(/^[│├└─ ]+/, ""));

  it("prints checkpointctl's header and summary for podman-forensics byte for byte", async () => {
    const cp = await openCheckpoint(podmanSource("forensics"));
    const ours = renderInspectTree(cp, inspectCheckpoint(cp, {}), {}).replace("from podman-forensics", "from podman-forensics.tar.zst");
    expect(ours).toBe(readFileSync(checkpointctlPath("forensics", "inspect.txt"), "utf8"));
  });

  it("prints the same lines as checkpointctl's --all, apart from what it left unresolved", async () => {
    const cp = await openCheckpoint(podmanSource("busybox"));
    const ours = normalise(renderInspectTree(cp, inspectCheckpoint(cp, { all: true }), { all: true }).replace("from podman-busybox", "from podman-busybox.tar.gz"));
    const ref = normalise(readFileSync(checkpointctlPath("busybox", "inspect-all.txt"), "utf8"));
    const onlyRef = ref.filter((l) => !ours.includes(l));
    // checkpointctl's placeholders, and the pipe whose unread bytes we add; everything else is the same text.
    expect(onlyRef).toEqual(["[FIFO 3]  FIFO.5", "[INETSK 3]  INETSK.10", "[PIPE 1]  pipe[113818]", "[PIPE 0]  pipe[113818]"]);
    expect(ours).toContain("[PIPE 1]  pipe[113818] (17 bytes queued)");
    expect(ours).toContain("[FIFO 3]  /tmp/f (10 bytes queued)");
    expect(ours).toContain("[INETSK 3]  tcp[127.0.0.1:8080]");
  });
});
