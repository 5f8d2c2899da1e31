// `inspect` as data: one object per checkpoint with checkpointctl's JSON keys and values
// (so that jq scripts written for checkpointctl keep working), real values where checkpointctl
// prints placeholders, and further facts under keys of their own. Renderers: inspect-tree.ts
// (checkpointctl's tree) and JSON.stringify.

import { hasResources } from "../model/tasks";
import type { Checkpoint, Task } from "../model/types";
import { inspectFiles, inspectSockets, type FdNode, type SkNode } from "./inspect-files";

export interface InspectOptions {
  psTree?: boolean;
  psTreeCmd?: boolean;
  psTreeEnv?: boolean;
  files?: boolean;
  sockets?: boolean;
  mounts?: boolean;
  stats?: boolean;
  metadata?: boolean;
  all?: boolean;
  /** Show the process tree (and files, sockets) from this task down. */
  pid?: number;
}

export interface PsNode {
  pid: number;
  command: string;
  cmdline?: string;
  task_state: string;
  environment_variables?: Record<string, string>;
  children?: PsNode[];
  // Ours:
  ppid: number;
  pgid: number;
  sid: number;
  threads: { tid: number; comm: string }[];
  exit_code?: number;
  argv?: string[];
  /** The environment as in memory: order kept, entries without '=' kept. */
  environment?: string[];
}

export interface InspectNode {
  container_name: string;
  image: string;
  id: string;
  runtime: string;
  created: string;
  checkpointed?: string;
  engine: string;
  ip?: string;
  mac?: string;
  networks?: { name: string; interfaces: Record<string, { ip?: string; mac?: string; gateway?: string }> }[];
  checkpoint_size: { total_size?: number; memory_pages_size?: number; root_fs_diff_size?: number };
  statistics?: Record<string, number>;
  metadata?: { pod_name?: string; kubernetes_namespace?: string; annotations?: Record<string, string> };
  process_tree?: PsNode;
  file_descriptors?: FdNode[];
  sockets?: SkNode[];
  mounts?: { destination: string; type: string; source: string; options: string[] }[];
  // Ours:
  source: string;
  root_fs_changes?: { added: string[]; deleted: string[] };
  mount_namespaces?: { id: number; mounts: { mnt_id: number; parent_mnt_id: number; mountpoint: string; root: string; source: string; fstype: string; options: string }[] }[];
  network_namespaces?: {
    id: number;
    ext_key?: string;
    devices: { ifindex: number; name: string; type: string; mtu: number; mac: string }[];
    addresses: { device?: string; ifindex: number; family: string; address: string; prefix_length: number; scope: string }[];
    routes: { destination: string; gateway?: string; device?: string; source?: string; table: string; protocol: string; scope: string; metric?: number }[];
  }[];
  unknown_files?: string[];
  warnings?: { member: string; pid?: number; message: string }[];
}

/** Which parts to show: checkpointctl's rules (--all is everything; the per-task parts need the tree). */
export function resolveOptions(o: InspectOptions): Required<Omit<InspectOptions, "pid">> & { pid?: number } {
  const all = o.all ?? false;
  const r = {
    psTreeCmd: all || (o.psTreeCmd ?? false),
    psTreeEnv: all || (o.psTreeEnv ?? false),
    files: all || (o.files ?? false),
    sockets: all || (o.sockets ?? false),
    mounts: all || (o.mounts ?? false),
    stats: all || (o.stats ?? false),
    metadata: all || (o.metadata ?? false),
    all,
    psTree: false,
    ...(o.pid === undefined ? {} : { pid: o.pid }),
  };
  r.psTree = all || (o.psTree ?? false) || r.psTreeCmd || r.psTreeEnv || r.files || r.sockets || o.pid !== undefined;
  return r;
}

/** The inspect data of one checkpoint. Throws InspectError when `pid` is not a task of it. */
export function inspectCheckpoint(cp: Checkpoint, options: InspectOptions): InspectNode {
  const o = resolveOptions(options);
  const e = cp.engine;
  const node: InspectNode = {
    container_name: e?.containerName ?? "",
    image: e?.image ?? "",
    id: e?.id ?? "",
    runtime: e?.runtime ?? "",
    created: e?.created ?? "",
    ...(e?.checkpointed ? { checkpointed: e.checkpointed } : {}),
    engine: e?.engine ?? "",
    ...(e?.ip ? { ip: e.ip } : {}),
    ...(e?.mac ? { mac: e.mac } : {}),
    checkpoint_size: omitZero({ total_size: cp.sizes.checkpoint, memory_pages_size: cp.sizes.memoryPages, root_fs_diff_size: cp.sizes.rootFsDiff }),
    source: cp.source.label,
  };
  if (e && e.networks.length > 0) {
    node.networks = e.networks.map((n) => ({
      name: n.name,
      interfaces: Object.fromEntries(n.interfaces.map((i) => [i.name, omitEmpty({ ip: i.ip, mac: i.mac, gateway: i.gateway })])),
    }));
  }
  if (o.stats && cp.stats.dump) {
    const d = cp.stats.dump;
    node.statistics = omitZero({
      freezing_time: d.freezingTime,
      frozen_time: d.frozenTime,
      memdump_time: d.memdumpTime,
      memwrite_time: d.memwriteTime,
      pages_scanned: Number(d.pagesScanned),
      pages_written: Number(d.pagesWritten),
    });
  }
  if (o.metadata && e) {
    node.metadata = omitEmpty({
      pod_name: e?.podName,
      kubernetes_namespace: e?.namespace,
      annotations: e?.spec && Object.keys(e.spec.annotations).length > 0 ? e.spec.annotations : undefined,
    });
  }
  const top = o.pid === undefined ? cp.roots : [findTask(cp, o.pid)];
  const shown = top.flatMap(subtree);
  if (o.psTree && top.length > 0) node.process_tree = psNode(top[0]!, o);
  if (o.files) node.file_descriptors = inspectFiles(shown);
  if (o.sockets) node.sockets = inspectSockets(shown);
  if (o.mounts) {
    if (e?.spec) node.mounts = e.spec.mounts.map((m) => ({ destination: m.destination, type: m.type, source: m.source, options: m.options }));
    node.mount_namespaces = cp.mountNamespaces.map((ns) => ({
      id: ns.id,
      mounts: ns.mounts.map((m) => ({ mnt_id: m.mntId, parent_mnt_id: m.parentMntId, mountpoint: m.mountpoint, root: m.root, source: m.source, fstype: m.fstype, options: m.options })),
    }));
  }
  if (o.sockets) {
    node.network_namespaces = cp.netNamespaces.map((ns) => ({
      id: ns.id,
      ...(ns.extKey ? { ext_key: ns.extKey } : {}),
      devices: ns.devices.map((d) => ({ ifindex: d.ifindex, name: d.name, type: d.type, mtu: d.mtu, mac: d.mac })),
      addresses: ns.addresses.map((a) => ({ device: a.device, ifindex: a.ifindex, family: a.family, address: a.address, prefix_length: a.prefixLength, scope: a.scope })),
      routes: ns.routes.map((r) => ({
        destination: r.destination,
        gateway: r.gateway,
        device: r.device,
        source: r.source,
        table: r.table,
        protocol: r.protocol,
        scope: r.scope,
        metric: r.metric,
      })),
    }));
  }
  if (o.files && cp.rootFs) node.root_fs_changes = cp.rootFs;
  if (o.all && cp.unknownFiles.length > 0) node.unknown_files = cp.unknownFiles;
  if (cp.warnings.length > 0) node.warnings = cp.warnings.map((w) => ({ ...w }));
  return node;
}

/** A `-p PID` that names no task. */
export class InspectError extends Error {
  override readonly name = "InspectError";
}

function findTask(cp: Checkpoint, pid: number): Task {
  const t = cp.tasks.find((x) => x.pid === pid);
  if (!t) throw new InspectError(`no process with PID ${pid} (use \`inspect --ps-tree\` to view all PIDs)`);
  return t;
}

/** The task and its descendants, parents before children, children by pid. */
export function subtree(task: Task): Task[] {
  const out: Task[] = [];
  const seen = new Set<number>();
  const walk = (t: Task) => {
    if (seen.has(t.pid)) return;
    seen.add(t.pid);
    out.push(t);
    t.children.forEach(walk);
  };
  walk(task);
  return out;
}

function psNode(t: Task, o: ReturnType<typeof resolveOptions>): PsNode {
  const n: PsNode = { pid: t.pid, command: t.comm, task_state: t.state, ppid: t.ppid, pgid: t.pgid, sid: t.sid, threads: t.threads.map((x) => ({ tid: x.tid, comm: x.comm })) };
  // Exited tasks have no memory and no children of their own (they were reparented).
  if (!hasResources(t)) return { ...n, exit_code: t.exitCode };
  if (o.psTreeCmd && t.argv) {
    n.cmdline = cmdline(t.argv);
    n.argv = t.argv;
  }
  if (o.psTreeEnv && t.environ) {
    n.environment_variables = environmentMap(t.environ);
    n.environment = t.environ;
  }
  if (t.children.length > 0) n.children = t.children.map((c) => psNode(c, o));
  return n;
}

/** checkpointctl's command line: the argument block with each NUL shown as a space. */
export function cmdline(argv: readonly string[]): string {
  return argv.map((a) => `${a} `).join("");
}

/** NAME=value entries as an object in memory order; entries without a name are only in `environment`. */
export function environmentMap(environ: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of environ) {
    const i = entry.indexOf("=");
    if (i > 0) map[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return map;
}

function omitZero<T extends Record<string, number>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0)) as Partial<T>;
}

function omitEmpty<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}

