// The process tree: pstree.img joined with each task's core, ids, fs, mm and open files. A task
// whose images are missing or damaged keeps what could be read; exited tasks (dead, zombie) have
// only a core image and are shown with their state.

import type { creds_entry } from "../../gen/creds_pb";
import type { core_entry, task_kobj_ids_entry } from "../../gen/core_pb";
import type { CheckpointWarning } from "./errors";
import { joinPeers, type FileTable } from "./files";
import type { ImageSet } from "./image-set";
import { resourceLimits, taskTimers } from "./limits";
import { memoryMaps } from "./memory-maps";
import { pendingSignals, signalActions, signalsInMask } from "./signals";
import type { Credentials, NamespaceIds, Task, TaskStateName, Thread } from "./types";

/**
 * CRIU's TASK_* values in core images, named as CRIU (and checkpointctl, and this package's
 * pretty JSON) name them. A task that had exited and was not reaped is written as TASK_DEAD (2)
 * and restored as a zombie; 6 is compel's own zombie value.
 */
const STATES: Record<number, TaskStateName> = { 1: "Alive", 2: "Dead", 3: "Stopped", 4: "Helper", 5: "Thread", 6: "Zombie" };

export function taskStateName(code: number): TaskStateName {
  return STATES[code] ?? "Unknown";
}

/** Alive and stopped tasks have memory, files and namespaces; exited ones (dead, zombie) only a core. */
export function hasResources(task: Task): boolean {
  return task.state === "Alive" || task.state === "Stopped";
}

export function buildTasks(images: ImageSet, files: FileTable, warnings: CheckpointWarning[]): { tasks: Task[]; roots: Task[] } {
  const tasks: Task[] = [];
  const seen = new Set<number>();
  for (const entry of images.entries("pstree.img", "PSTREE") ?? []) {
    if (seen.has(entry.pid)) {
      warnings.push({ member: images.dir + "pstree.img", pid: entry.pid, message: `pid ${entry.pid} appears twice; the first entry is kept` });
      continue;
    }
    seen.add(entry.pid);
    const core = images.first(`core-${entry.pid}.img`, "CORE");
    if (!core) warnings.push({ member: images.dir + `core-${entry.pid}.img`, pid: entry.pid, message: "no core image: name and state unknown" });
    const stateCode = core?.tc?.taskState ?? 0;
    const task: Task = {
      pid: entry.pid,
      ppid: entry.ppid,
      pgid: entry.pgid,
      sid: entry.sid,
      comm: core?.tc?.comm ?? "",
      state: core ? taskStateName(stateCode) : "Unknown",
      stateCode,
      exitCode: core?.tc?.exitCode ?? 0,
      threads: [],
      children: [],
      argv: undefined,
      environ: undefined,
      creds: credentials(core?.threadCore?.creds),
      namespaces: undefined,
      fds: [],
      cwd: undefined,
      root: undefined,
      umask: undefined,
      exe: undefined,
      memoryMaps: [],
      limits: resourceLimits(core?.tc?.rlimits),
      signals: core?.tc && {
        blocked: signalsInMask(core.tc.blkSigset, core.tc.blkSigsetExtended),
        pending: pendingSignals(core.tc.signalsS),
        actions: signalActions(core.tc.sigactions),
      },
      timers: taskTimers(core?.tc?.timers),
    };
    task.threads = (entry.threads.length > 0 ? entry.threads : [entry.pid]).map((tid) => {
      const tcore = tid === entry.pid ? core : images.first(`core-${tid}.img`, "CORE");
      return thread(tid, tcore, tcore?.threadCore?.comm || (tid === entry.pid ? task.comm : ""), tid === entry.pid);
    });
    if (hasResources(task) || task.state === "Unknown") fillResources(task, images, files, warnings);
    tasks.push(task);
  }
  joinPeers(tasks);
  const byPid = new Map(tasks.map((t) => [t.pid, t]));
  const roots: Task[] = [];
  for (const t of tasks) {
    const parent = t.ppid !== t.pid ? byPid.get(t.ppid) : undefined;
    if (parent && !isAncestor(t, parent, byPid)) parent.children.push(t);
    else roots.push(t);
  }
  for (const t of tasks) t.children.sort((a, b) => a.pid - b.pid);
  roots.sort((a, b) => a.pid - b.pid);
  return { tasks, roots };
}

/** A thread's own state; the main thread's blocked mask is the one in task_core (CRIU stores it there). */
function thread(tid: number, core: core_entry | undefined, comm: string, main: boolean): Thread {
  const tc = core?.threadCore;
  const sas = tc?.sas;
  const mask = main ? core?.tc : tc;
  return {
    tid,
    comm,
    creds: credentials(tc?.creds),
    blocked: mask ? signalsInMask(mask.blkSigset, mask.blkSigsetExtended) : [],
    pending: pendingSignals(tc?.signalsP, tid),
    altStack: sas && sas.ssSize > 0n ? { base: "0x" + sas.ssSp.toString(16), size: Number(sas.ssSize), flags: sas.ssFlags } : undefined,
    parentDeathSignal: tc?.pdeathSig ?? 0,
  };
}

/** True when `task` is already above `parent` (a ppid cycle in a damaged pstree). */
function isAncestor(task: Task, parent: Task, byPid: Map<number, Task>): boolean {
  const seen = new Set<number>();
  for (let p: Task | undefined = parent; p && !seen.has(p.pid); p = byPid.get(p.ppid)) {
    if (p.pid === task.pid) return true;
    seen.add(p.pid);
  }
  return false;
}

function fillResources(task: Task, images: ImageSet, files: FileTable, warnings: CheckpointWarning[]): void {
  const { pid } = task;
  const need = (name: string) => {
    if (!images.has(name) && task.state !== "Unknown") warnings.push({ member: images.dir + name, pid, message: `task ${pid}: image not found` });
  };
  const ids = images.first(`ids-${pid}.img`, "IDS");
  if (!ids) need(`ids-${pid}.img`);
  task.namespaces = ids && namespaceIds(ids);
  if (ids) {
    const fdinfo = images.entries(`fdinfo-${ids.filesId}.img`, "FDINFO");
    if (fdinfo) task.fds = files.descriptors(fdinfo);
    else need(`fdinfo-${ids.filesId}.img`);
  }
  const fs = images.first(`fs-${pid}.img`, "FS");
  if (fs) {
    task.cwd = files.path(fs.cwdId);
    task.root = files.path(fs.rootId);
    task.umask = fs.umask;
  } else need(`fs-${pid}.img`);
  const mm = images.first(`mm-${pid}.img`, "MM");
  if (mm) {
    task.exe = files.path(mm.exeFileId);
    task.memoryMaps = memoryMaps(mm, images.entries(`pagemap-${pid}.img`, "PAGEMAP"), (id) => files.path(id));
  } else need(`mm-${pid}.img`);
}

export function namespaceIds(ids: task_kobj_ids_entry): NamespaceIds {
  return { pid: ids.pidNsId, net: ids.netNsId, ipc: ids.ipcNsId, uts: ids.utsNsId, mnt: ids.mntNsId, user: ids.userNsId, cgroup: ids.cgroupNsId, time: ids.timeNsId };
}

function credentials(c: creds_entry | undefined): Credentials | undefined {
  if (!c) return undefined;
  const caps = (words: readonly number[]) => words.map((w) => (w >>> 0).toString(16).padStart(8, "0")).reverse().join("");
  return {
    uid: c.uid,
    gid: c.gid,
    euid: c.euid,
    egid: c.egid,
    suid: c.suid,
    sgid: c.sgid,
    fsuid: c.fsuid,
    fsgid: c.fsgid,
    groups: [...c.groups],
    capEff: caps(c.capEff),
    capPrm: caps(c.capPrm),
    capInh: caps(c.capInh),
    capBnd: caps(c.capBnd),
    noNewPrivs: c.noNewPrivs !== 0,
    lsmProfile: c.lsmProfile || undefined,
  };
}
