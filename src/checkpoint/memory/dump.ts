// The images the memory reader and search need, read from a CheckpointSource: pstree.img (the
// tasks), core-N.img (their names), mm-N.img (their mappings), pagemap-N.img (where their pages
// are). Images sit at the source's root (a dump directory) or under `checkpoint/` (a container
// checkpoint archive); both are found. Pre-dump parents are further sources: given by the
// caller, or found inside this one as members under `parent/` (a dump directory copied whole).

import type { CheckpointSource, MemberInfo } from "../../source/source";
import { decodeImage } from "../../image/decode";
import type { EntriesOf } from "../../image/entries";
import type { ImageMagic } from "../../image/magic-table";
import { MemoryError } from "./errors";

export interface MemoryDumpOptions {
  /**
   * The pre-dump chain behind this dump, nearest parent first (CRIU's `parent` link, followed by
   * the caller: a source cannot reach outside itself). When absent, members under `parent/`
   * (and `parent/parent/`...) are used if the source has them. Pass [] to ignore parents.
   */
  parents?: readonly CheckpointSource[];
  /** Page size of the dumped machine (default 4096). */
  pageSize?: number;
}

/** One dump of a chain: its source and where its images are. */
export interface DumpLevel {
  source: CheckpointSource;
  /** "" or "checkpoint/", or "parent/" for a parent found inside the child's source. */
  prefix: string;
  /** Members by name relative to `prefix`. */
  members: ReadonlyMap<string, MemberInfo>;
}

/** A dump and its pre-dump parents (levels[0] is the dump itself). */
export interface MemoryDump {
  levels: readonly DumpLevel[];
  pageSize: number;
  /** Label of the top source, for messages. */
  label: string;
}

export async function openMemoryDump(source: CheckpointSource, options: MemoryDumpOptions = {}): Promise<MemoryDump> {
  const all = await source.members();
  const prefix = imagesPrefix(source, all);
  const levels: DumpLevel[] = [level(source, prefix, all)];
  if (options.parents) {
    for (const parent of options.parents) {
      const members = await parent.members();
      levels.push(level(parent, imagesPrefix(parent, members, true), members));
    }
  } else {
    // A parent carried inside the source: <prefix>parent/, <prefix>parent/parent/, ...
    for (let p = `${prefix}parent/`; all.some((m) => m.name === `${p}pstree.img` || m.name.startsWith(`${p}pagemap-`)); p += "parent/") {
      levels.push(level(source, p, all));
    }
  }
  return { levels, pageSize: options.pageSize ?? 4096, label: source.label };
}

/**
 * "" when the images are at the root, "checkpoint/" when under it; MemoryError otherwise. A dump
 * has pstree.img; a pre-dump (a parent) may hold only pagemaps and pages.
 */
function imagesPrefix(source: CheckpointSource, members: readonly MemberInfo[], parent = false): string {
  for (const prefix of ["", "checkpoint/"]) {
    const isImage = (name: string) => name === `${prefix}pstree.img` || (parent && name.startsWith(`${prefix}pagemap-`) && !name.slice(prefix.length).includes("/"));
    if (members.some((m) => isImage(m.name))) return prefix;
  }
  throw new MemoryError(
    "missing-image",
    `${source.label}: no ${parent ? "pagemap images" : "pstree.img"} at the top or under checkpoint/ (${members.length} members)`,
    "pstree.img",
  );
}

function level(source: CheckpointSource, prefix: string, all: readonly MemberInfo[]): DumpLevel {
  const members = new Map<string, MemberInfo>();
  for (const m of all) {
    if (!m.name.startsWith(prefix)) continue;
    const rest = m.name.slice(prefix.length);
    if (!rest.includes("/")) members.set(rest, m);
  }
  return { source, prefix, members };
}

/** Decodes image `name` of a level, or undefined when the level has no such member. */
export async function tryReadImage<M extends ImageMagic>(at: DumpLevel, name: string, magic: M): Promise<EntriesOf<M> | undefined> {
  const bytes = at.members.has(name) ? await at.source.read(at.prefix + name) : undefined;
  const entries = bytes === undefined ? undefined : decodeImage(bytes, { fileName: at.prefix + name, expect: magic }).entries;
  return entries as EntriesOf<M> | undefined;
}

export async function readImage<M extends ImageMagic>(at: DumpLevel, name: string, magic: M, pid?: number): Promise<EntriesOf<M>> {
  const entries = await tryReadImage(at, name, magic);
  if (entries === undefined) {
    throw new MemoryError("missing-image", `${at.source.label}: ${at.prefix}${name} not found${pid === undefined ? "" : ` (task ${pid})`}`, name, pid);
  }
  return entries;
}

/** A task of the process tree, with its name. */
export interface TaskInfo {
  pid: number;
  ppid: number;
  /** core-N.img's comm ("" when the core image is missing). */
  comm: string;
}

/** Every task in pstree.img order, with names from the core images. */
export async function listTasks(dump: MemoryDump): Promise<TaskInfo[]> {
  const top = dump.levels[0]!;
  const tree = await readImage(top, "pstree.img", "PSTREE");
  return Promise.all(
    tree.map(async ({ pid, ppid }) => {
      const core = await tryReadImage(top, `core-${pid}.img`, "CORE");
      return { pid, ppid, comm: core?.[0]?.tc?.comm ?? "" };
    }),
  );
}

/** The tasks in tree order (each parent before its children, children by pid). */
export function treeOrder(tasks: readonly TaskInfo[]): TaskInfo[] {
  const pids = new Set(tasks.map((t) => t.pid));
  const children = new Map<number, TaskInfo[]>();
  for (const t of tasks) {
    const parent = pids.has(t.ppid) && t.ppid !== t.pid ? t.ppid : 0;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out: TaskInfo[] = [];
  const seen = new Set<number>();
  const visit = (ppid: number) => {
    for (const t of (children.get(ppid) ?? []).sort((a, b) => a.pid - b.pid)) {
      if (seen.has(t.pid)) continue;
      seen.add(t.pid);
      out.push(t);
      visit(t.pid);
    }
  };
  visit(0);
  return out;
}
