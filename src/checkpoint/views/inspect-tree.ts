// inspect as text: checkpointctl's tree layout over the inspect data, with readable socket
// names (a UNIX path without its NUL, "@name" for an abstract name) and the queued bytes.

import type { Checkpoint, Task } from "../model/types";
import { hasResources } from "../model/tasks";
import { describeFile } from "./describe-file";
import { cmdline, resolveOptions, type InspectNode, type InspectOptions } from "./inspect";
import { node, printTree, type TreeNode } from "./tree-print";
import { byteSize, bufferSize, duration } from "./units";

/** The text for one checkpoint, from its model and its inspect data (inspectCheckpoint's result). */
export function renderInspectTree(cp: Checkpoint, data: InspectNode, options: InspectOptions): string {
  const o = resolveOptions(options);
  const root = node(data.container_name || (cp.engine ? "Container" : cp.source.label));
  const add = (text: string, children: TreeNode[] = []) => root.children.push(node(text, children));
  if (cp.engine) {
    add(`Image: ${data.image}`);
    add(`ID: ${data.id}`);
    add(`Runtime: ${data.runtime}`);
    add(`Created: ${data.created}`);
    if (data.checkpointed) add(`Checkpointed: ${data.checkpointed}`);
    add(`Engine: ${data.engine}`);
    if (data.networks) {
      add(
        "Network Interfaces",
        data.networks.flatMap((n) =>
          Object.entries(n.interfaces).map(([name, i]) =>
            node(`${n.name} (${name})`, [
              ...(i.ip ? [node(`IP: ${i.ip}`)] : []),
              ...(i.mac ? [node(`MAC: ${i.mac}`)] : []),
              ...(i.gateway ? [node(`Gateway: ${i.gateway}`)] : []),
            ]),
          ),
        ),
      );
    } else {
      if (data.ip) add(`IP: ${data.ip}`);
      if (data.mac) add(`MAC: ${data.mac}`);
    }
  } else {
    add(`CRIU dump: image version ${cp.inventory.imageVersion}, ${cp.tasks.length} task${cp.tasks.length === 1 ? "" : "s"}`);
  }
  add(`Checkpoint size: ${byteSize(cp.sizes.checkpoint)}`, cp.sizes.memoryPages ? [node(`Memory pages size: ${byteSize(cp.sizes.memoryPages)}`)] : []);
  if (cp.sizes.rootFsDiff) add(`Root FS diff size: ${byteSize(cp.sizes.rootFsDiff)}`);
  if (o.stats && cp.stats.dump) {
    const d = cp.stats.dump;
    add("CRIU dump statistics", [
      node(`Freezing time: ${duration(d.freezingTime)}`),
      node(`Frozen time: ${duration(d.frozenTime)}`),
      node(`Memdump time: ${duration(d.memdumpTime)}`),
      node(`Memwrite time: ${duration(d.memwriteTime)}`),
      node(`Pages scanned: ${d.pagesScanned}`),
      node(`Pages written: ${d.pagesWritten}`),
    ]);
  }
  if (o.metadata && data.metadata) {
    const m = data.metadata;
    add("Metadata", [
      ...(m.pod_name ? [node(`Pod name: ${m.pod_name}`)] : []),
      ...(m.kubernetes_namespace ? [node(`Kubernetes namespace: ${m.kubernetes_namespace}`)] : []),
      ...(m.annotations ? [node("Annotations", Object.entries(m.annotations).map(([k, v]) => node(`${k}: ${v}`)))] : []),
    ]);
  }
  if (o.psTree) {
    const top = o.pid === undefined ? cp.roots : cp.tasks.filter((t) => t.pid === o.pid);
    add("Process tree", top.map((t) => taskNode(t, o)));
  }
  if (o.mounts && data.mounts) {
    add(
      "Overview of mounts",
      data.mounts.map((m) => node(`Destination: ${m.destination}`, [node(`Type: ${m.type}`), node(`Source: ${m.source}`)])),
    );
  } else if (o.mounts && cp.mountNamespaces.length > 0) {
    add(
      "Overview of mounts",
      cp.mountNamespaces.flatMap((ns) => ns.mounts.map((m) => node(`Destination: ${m.mountpoint}`, [node(`Type: ${m.fstype}`), node(`Source: ${m.source}`)]))),
    );
  }
  if (o.files && cp.rootFs && (cp.rootFs.added.length > 0 || cp.rootFs.deleted.length > 0)) {
    add("Root FS changes", [
      ...(cp.rootFs.added.length > 0 ? [node("Added or changed", cp.rootFs.added.map((f) => node(f)))] : []),
      ...(cp.rootFs.deleted.length > 0 ? [node("Deleted", cp.rootFs.deleted.map((f) => node(f)))] : []),
    ]);
  }
  if (cp.warnings.length > 0) add("Warnings", cp.warnings.map((w) => node(`${w.member ? `${w.member}: ` : ""}${w.message}`)));
  return `\nDisplaying container checkpoint tree view from ${cp.source.label}\n\n${printTree(root)}\n`;
}

function taskNode(t: Task, o: ReturnType<typeof resolveOptions>): TreeNode {
  const alive = t.state === "Alive";
  const meta = alive ? String(t.pid) : `${t.pid} (${t.state})`;
  const text = o.psTreeCmd && t.argv && t.argv.length > 0 && hasResources(t) ? cmdline(t.argv) : t.comm;
  const n = node(text, [], meta);
  if (!hasResources(t)) return n;
  if (o.psTreeEnv && t.environ && t.environ.length > 0) n.children.push(node("Environment variables", t.environ.map((e) => node(e))));
  if (o.files) {
    const files = t.fds.map((d) => node(fileText(d.file), [], `${d.type} ${d.fd}`));
    if (t.cwd !== undefined) files.push(node(t.cwd, [], "cwd"));
    if (t.root !== undefined) files.push(node(t.root, [], "root"));
    if (files.length > 0) n.children.push(node("Open files", files));
  }
  if (o.sockets) {
    const sockets = t.fds.flatMap((d) => socketLine(d.file));
    if (sockets.length > 0) n.children.push(node("Open sockets", sockets));
  }
  for (const c of t.children) n.children.push(taskNode(c, o));
  return n;
}

function fileText(f: Task["fds"][number]["file"]): string {
  if (f.kind === "unix") return `unix[${f.ino} (${f.peerIno}) ${f.address}]`;
  if (f.kind === "regular" && f.deleted) return `${f.path} (deleted${f.ghostSize === undefined ? "" : `, ${f.ghostSize} bytes kept`})`;
  if ((f.kind === "pipe" || f.kind === "fifo") && f.queuedBytes > 0) return `${describeFile(f)} (${f.queuedBytes} bytes queued)`;
  return describeFile(f);
}

function socketLine(f: Task["fds"][number]["file"]): TreeNode[] {
  const bufs = (send: number, recv: number) => `↑ ${bufferSize(send)} ↓ ${bufferSize(recv)}`;
  switch (f.kind) {
    case "inet": {
      const queued = f.inqBytes === undefined ? "" : `, queued in ${f.inqBytes} B out ${f.outqBytes ?? 0} B`;
      const ends = `${f.src}:${f.srcPort} -> ${f.dst}:${f.dstPort}`;
      return [node(`${ends} (${bufs(f.sendBuf, f.recvBuf)}${queued})`, [], `${f.protocol} (${f.state})`)];
    }
    case "unix": {
      const name = f.address || "(unnamed)";
      const peer = f.peerIno ? `, peer ${f.peerIno}${f.peers.length > 0 ? ` (${f.peers.map((p) => `pid ${p.pid} fd ${p.fd}`).join(", ")})` : ""}` : "";
      const queued = f.queuedBytes > 0 ? `, ${f.queuedBytes} B queued` : "";
      // checkpointctl's meta is "UNIX (type)", which it leaves empty.
      return [node(`${name} (${f.state}, ino ${f.ino}${peer}${queued})`, [], `UNIX (${f.sockType})`)];
    }
    case "netlink":
      return [node(bufs(f.sendBuf, f.recvBuf), [], `NETLINK (${f.state})`)];
    case "packet":
      return [node(bufs(f.sendBuf, f.recvBuf), [], "PACKET")];
    default:
      return [];
  }
}

