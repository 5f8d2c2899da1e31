// crit's explorers (`crit x DIR ps|fds|mems|rss`) as functions over a dump: each returns exactly
// the text crit 4.2 prints on stdout, trailing newline included, wherever crit works. Where crit
// crashes we do what it meant to do instead (see the comments marked "crit:").
//
// Every explorer throws ExploreError (kind "missing-image", naming the image and the task) when
// an image it needs is absent, with `output` holding what was printed up to then, and ImageError
// when an image is corrupt.

import { isFieldSet } from "@bufbuild/protobuf";
import { pagemap_entrySchema, type pagemap_entry } from "../gen/pagemap_pb";
import type { pstree_entry } from "../gen/pstree_pb";
import type { vma_entry } from "../gen/vma_pb";
import { DumpReader, ExploreError, type DumpSource } from "./dump-source";
import { FileNames } from "./file-names";
import { dec, hex, pad } from "./format";
import {
  VMA_ANON_SHARED,
  VMA_AREA_REGULAR,
  VMA_AREA_SOCKET,
  VMA_AREA_STACK,
  VMA_AREA_SYSVIPC,
  VMA_AREA_VDSO,
  VMA_AREA_VSYSCALL,
  VMA_FILE_PRIVATE,
  VMA_FILE_SHARED,
  MAP_GROWSDOWN,
  protectionText,
} from "./vma-status";


/** task_core_entry.task_state values of tasks that have exited (compel's TASK_DEAD, TASK_ZOMBIE). */
const TASK_DEAD = 2;
const TASK_ZOMBIE = 6;

/** crit hard-codes 4 KiB pages (`<< 12`) in rss; so do we, to print the same numbers. */
const PAGE_SHIFT = 12n;

/**
 * Indentation stops growing at this depth (real trees are a few levels deep): a damaged pstree
 * with a chain of thousands of tasks would otherwise print megabytes of spaces. Deeper tasks
 * show their depth in brackets before the command name.
 */
export const PS_MAX_INDENT = 64;

/**
 * `crit x DIR ps`: the process tree with pid, process group, session and command name. Tasks no
 * root leads to (their parents form a cycle) are an ExploreError "bad-dump" naming them, after
 * the tree of the others.
 */
export function explorePs(source: DumpSource): string {
  return run(source, (dump, out) => {
    const nodes = new Map<number, { task: pstree_entry; comm: string; kids: number[] }>();
    for (const task of pstree(dump)) {
      // Read once, not kept: a dump can hold 100,000 tasks.
      const core = dump.firstOnce(`core-${task.pid}.img`, "CORE", task.pid);
      // crit: a core without task_core_entry is a KeyError; we print an empty name.
      nodes.set(task.pid, { task, comm: core.tc?.comm ?? "", kids: [] });
    }
    // crit: keeps only the last task with ppid 0 as the root and crashes (KeyError) on a
    // parent missing from pstree.img. We print every such task as a root, in pstree order;
    // a regular dump has exactly one root, so the output is crit's.
    const roots: number[] = [];
    for (const [pid, node] of nodes) {
      const parent = node.task.ppid === 0 || node.task.ppid === pid ? undefined : nodes.get(node.task.ppid);
      if (parent) parent.kids.push(pid);
      else roots.push(pid);
    }
    out.push(`${pad("PID", 7)}${pad("PGID", 7)}${pad("SID", 7)}   COMM\n`);
    const shown = new Set<number>(); // a pid listed twice in a damaged pstree is shown once
    // Depth first, children in pstree order, with a stack instead of recursion (deep chains).
    const stack: [number, number][] = roots.map((pid): [number, number] => [pid, 0]).reverse();
    while (stack.length > 0) {
      const [pid, depth] = stack.pop()!;
      const node = nodes.get(pid);
      if (!node || shown.has(pid)) continue;
      shown.add(pid);
      const { task } = node;
      const indent = depth <= PS_MAX_INDENT ? " ".repeat(4 * depth) : `${" ".repeat(4 * PS_MAX_INDENT)}[${depth}] `;
      out.push(`${dec(task.pid, 7)}${dec(task.pgid, 7)}${dec(task.sid, 7)}   ${indent}${node.comm}\n`);
      for (let i = node.kids.length - 1; i >= 0; i--) stack.push([node.kids[i]!, depth + 1]);
    }
    const unreached = [...nodes.keys()].filter((pid) => !shown.has(pid));
    if (unreached.length > 0) {
      const list = unreached.slice(0, 10).join(", ") + (unreached.length > 10 ? `, ... (${unreached.length} tasks)` : "");
      throw new ExploreError("bad-dump", "pstree.img", `pstree.img: tasks ${list} have no root: their parents form a cycle`);
    }
  });
}

/** `crit x DIR fds`: every task's open files, then its cwd and root. */
export function exploreFds(source: DumpSource): string {
  return run(source, (dump, out) => {
    const names = new FileNames(dump);
    for (const { pid } of pstree(dump)) {
      // crit: opens ids-PID.img for every task and dies on zombies, which have only a core
      // image. An exited task has no files: we print its pid alone.
      if (exited(dump, pid)) {
        out.push(`${pid}\n`);
        continue;
      }
      const ids = dump.first(`ids-${pid}.img`, "IDS", pid);
      const fds = dump.entries(`fdinfo-${ids.filesId}.img`, "FDINFO", pid);
      out.push(`${pid}\n`);
      for (const fd of fds) out.push(`\t${dec(fd.fd, 7)}: ${names.describe(fd.type, fd.id)}\n`);
      const fs = dump.first(`fs-${pid}.img`, "FS", pid);
      out.push(`\t${pad("cwd", 7)}: ${names.path(fs.cwdId)}\n`);
      out.push(`\t${pad("root", 7)}: ${names.path(fs.rootId)}\n`);
    }
  });
}

/** `crit x DIR mems`: every task's executable and memory mappings. */
export function exploreMems(source: DumpSource): string {
  return run(source, (dump, out) => {
    const names = new FileNames(dump);
    // Small numbers for shared-memory ids, shared by all tasks, numbered in order of appearance.
    const shmNumbers = new Map<bigint, number>();
    const shm = (id: bigint) => {
      let n = shmNumbers.get(id);
      if (n === undefined) shmNumbers.set(id, (n = shmNumbers.size + 1));
      return hex(n);
    };
    for (const { pid } of pstree(dump)) {
      // crit: dies on zombies (no mm-PID.img); an exited task has no memory to list.
      if (exited(dump, pid)) {
        out.push(`${pid}\n`);
        continue;
      }
      const mm = dump.first(`mm-${pid}.img`, "MM", pid);
      out.push(`${pid}\n`);
      out.push(`\t${pad("exe", -36)}    ${names.path(mm.exeFileId)}\n`);
      for (const vma of mm.vmas) {
        const prot = protectionText(vma.prot);
        out.push(`\t${pad(`${hex(vma.start, 8)}-${hex(vma.end, 8)}`, -36)}${prot}${describeVma(vma, names, shm)}\n`);
      }
    }
  });
}

/** What follows a mapping's protection in `mems`; " *" marks a mapping CRIU does not restore as is. */
function describeVma(vma: vma_entry, names: FileNames, shm: (id: bigint) => string): string {
  const st = vma.status;
  let text: string;
  // "ips" (for ipc) is crit's typo, kept so that the output stays crit's.
  if (st & VMA_AREA_SYSVIPC) text = ` ips[${shm(vma.shmid)}]`;
  else if (st & VMA_ANON_SHARED) text = ` shmem[${shm(vma.shmid)}]`;
  else if (st & VMA_AREA_SOCKET) text = ` packet[${shm(vma.shmid)}]`;
  else if (st & (VMA_FILE_PRIVATE | VMA_FILE_SHARED)) {
    text = ` ${names.path(vma.shmid)}`;
    if (vma.pgoff !== 0n) text += ` + 0x${hex(vma.pgoff)}`;
    if (st & VMA_FILE_SHARED) text += " (s)";
  } else if (st & VMA_AREA_STACK) text = " [stack]";
  else if (st & VMA_AREA_VSYSCALL) text = " [vsyscall]";
  else if (st & VMA_AREA_VDSO) text = " [vdso]";
  else if (vma.flags & MAP_GROWSDOWN) text = " [stack?]";
  else text = "";
  return st & VMA_AREA_REGULAR ? text : `${text} *`;
}

/** `crit x DIR rss`: every task's dumped page runs, each with the mappings it falls in. */
export function exploreRss(source: DumpSource): string {
  return run(source, (dump, out) => {
    const names = new FileNames(dump);
    const gap = `\n\t${" ".repeat(23)}`;
    for (const { pid } of pstree(dump)) {
      // crit: dies on zombies (no mm-PID.img); an exited task has no pages.
      if (exited(dump, pid)) {
        out.push(`${pid}\n`);
        continue;
      }
      const vmas = dump.first(`mm-${pid}.img`, "MM", pid).vmas;
      const pagemap = dump.entries(`pagemap-${pid}.img`, "PAGEMAP", pid);
      out.push(`${pid}\n`);
      // Both lists are in ascending address order; vmi walks the mappings once.
      let vmi = 0;
      let shownVmi = -1;
      for (const pm of pagemap.slice(1) as pagemap_entry[]) {
        const pages = nrPages(pm);
        const pstr = `\t${hex(pm.vaddr)} / ${dec(pages, -8)}`;
        while (vmi < vmas.length && vmas[vmi]!.end <= pm.vaddr) vmi++;
        const runEnd = pm.vaddr + (pages << PAGE_SHIFT);
        let vstr = "";
        while (vmi < vmas.length && vmas[vmi]!.start < runEnd) {
          const vma = vmas[vmi]!;
          if (vmi === shownVmi) vstr += " ~"; // the same mapping as the previous run's
          else {
            vstr += ` ${hex(vma.start, 8)} / ${dec((vma.end - vma.start) >> PAGE_SHIFT, -8)}`;
            if (vma.status & (VMA_FILE_PRIVATE | VMA_FILE_SHARED)) vstr += ` ${names.path(vma.shmid)}`;
            shownVmi = vmi;
          }
          vstr += gap;
          vmi++;
        }
        // Step back: the next run may lie in the last mapping seen. crit steps back even when
        // no mapping was seen, and a run before the first mapping then sends its index to -1
        // (Python reads that as the last mapping); we stop at 0. Real dumps never have such runs.
        vmi = Math.max(vmi - 1, 0);
        out.push(`${pad(pstr, -24)}${vstr}\n`);
      }
    }
  });
}

/**
 * A pagemap entry's page count. crit: reads only nr_pages, which CRIU writes since v4.2, so
 * it fails with KeyError on older dumps; those have compat_nr_pages (field 2) instead.
 */
function nrPages(pm: pagemap_entry): bigint {
  return isFieldSet(pm, pagemap_entrySchema.field.nrPages) ? pm.nrPages : BigInt(pm.compatNrPages);
}

function pstree(dump: DumpReader): pstree_entry[] {
  return dump.entries("pstree.img", "PSTREE");
}

/**
 * Whether the task had exited (a zombie) when dumped: CRIU then writes only core-PID.img, no
 * ids, fs, mm or pagemap image. Without a core image we cannot tell, and treat it as alive,
 * so that the image actually missing is the one reported.
 */
function exited(dump: DumpReader, pid: number): boolean {
  const state = dump.tryOnce(`core-${pid}.img`, "CORE")?.[0]?.tc?.taskState;
  return state === TASK_DEAD || state === TASK_ZOMBIE;
}

/** Runs an explorer, collecting its lines; an ExploreError carries the lines printed so far. */
function run(source: DumpSource, body: (dump: DumpReader, out: string[]) => void): string {
  const out: string[] = [];
  try {
    body(new DumpReader(source), out);
  } catch (err) {
    if (err instanceof ExploreError) err.output = out.join("");
    throw err;
  }
  return out.join("");
}
