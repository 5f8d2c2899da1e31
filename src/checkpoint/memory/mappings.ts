// A task's memory mappings (mm-N.img's VMAs) as data: what an address of a search hit lies in.

import type { mm_entry } from "../../gen/mm_pb";
import type { vma_entry } from "../../gen/vma_pb";
import { DumpReader, dumpSourceFromFiles } from "../dump-source";
import {
  MAP_GROWSDOWN,
  VMA_ANON_SHARED,
  VMA_AREA_SOCKET,
  VMA_AREA_STACK,
  VMA_AREA_SYSVIPC,
  VMA_AREA_VDSO,
  VMA_AREA_VSYSCALL,
  VMA_FILE_PRIVATE,
  VMA_FILE_SHARED,
  VMA_AREA_MEMFD,
  MAP_SHARED,
  protectionText,
} from "../vma-status";
import { FileNames } from "../file-names";
import { tryReadImage, type DumpLevel } from "./dump";
import { firstEndingAfter } from "./layout";


export type MappingKind = "file" | "anon" | "heap" | "stack" | "shmem" | "sysvipc" | "packet" | "vdso" | "vsyscall";

export interface Mapping {
  start: bigint;
  end: bigint;
  /** "rwx" with "-" for what is not allowed, as in /proc/PID/maps. */
  protection: string;
  /** MAP_SHARED (else private). */
  shared: boolean;
  kind: MappingKind;
  /** The backing file, for file mappings. */
  path?: string;
  /** Offset in the backing file or shared object, in bytes. */
  fileOffset: bigint;
  /** The shared-memory object whose pages are in pagemap-shmem-<shmid>.img (kind "shmem", and memfd file mappings). */
  shmid?: bigint;
}

/** The mappings of every task that has an mm image, by pid. */
export async function loadMappings(top: DumpLevel, pids: readonly number[]): Promise<Map<number, Mapping[]>> {
  const names = await fileNames(top);
  const memfds = await memfdObjects(top);
  const out = new Map<number, Mapping[]>();
  for (const pid of pids) {
    const mm = await tryReadImage(top, `mm-${pid}.img`, "MM");
    if (mm?.[0]) out.set(pid, mm[0].vmas.map((vma) => describeMapping(vma, mm[0]!, names, memfds)));
  }
  return out;
}

/** The mapping holding `addr` (mappings ascending, as in mm-N.img), or undefined. */
export function mappingAt(mappings: readonly Mapping[], addr: bigint): Mapping | undefined {
  const m = mappings[firstEndingAfter(mappings, addr)];
  return m && m.start <= addr && addr < m.end ? m : undefined;
}

function describeMapping(vma: vma_entry, mm: mm_entry, names: FileNames, memfds: ReadonlyMap<bigint, { path: string; shmid: bigint }>): Mapping {
  const st = vma.status;
  const protection = protectionText(vma.prot);
  const base = { start: vma.start, end: vma.end, protection, shared: (vma.flags & MAP_SHARED) !== 0, fileOffset: vma.pgoff };
  let kind: MappingKind;
  if (st & VMA_AREA_SYSVIPC) kind = "sysvipc";
  else if (st & VMA_ANON_SHARED) return { ...base, kind: "shmem", shmid: vma.shmid };
  else if (st & VMA_AREA_SOCKET) kind = "packet";
  else if (st & VMA_AREA_MEMFD && memfds.has(vma.shmid)) return { ...base, kind: "file", ...memfds.get(vma.shmid)! };
  else if (st & (VMA_FILE_PRIVATE | VMA_FILE_SHARED)) return { ...base, kind: "file", path: names.path(vma.shmid) };
  else if (st & VMA_AREA_VDSO) kind = "vdso";
  else if (st & VMA_AREA_VSYSCALL) kind = "vsyscall";
  else if (st & VMA_AREA_STACK || vma.flags & MAP_GROWSDOWN) kind = "stack";
  else if (vma.start < mm.mmBrk && vma.end > mm.mmStartBrk) kind = "heap";
  else kind = "anon";
  return { ...base, kind };
}

/** memfd files by file id: "memfd:NAME" and the shared-memory object holding their pages (files.img -> memfd.img). */
async function memfdObjects(top: DumpLevel): Promise<Map<bigint, { path: string; shmid: bigint }>> {
  const out = new Map<bigint, { path: string; shmid: bigint }>();
  const inodes = await tryReadImage(top, "memfd.img", "MEMFD_INODE");
  const files = inodes && (await tryReadImage(top, "files.img", "FILES"));
  for (const file of files ?? []) {
    const inode = file.memfd && inodes!.find((i) => BigInt(i.inodeId) === BigInt(file.memfd!.inodeId));
    if (inode) out.set(BigInt(file.id), { path: `memfd:${inode.name}`, shmid: BigInt(inode.shmid) });
  }
  return out;
}

/** File paths by id, from files.img (or pre-v3.4 reg-files.img), as crit's explorers find them. */
async function fileNames(top: DumpLevel): Promise<FileNames> {
  const files = new Map<string, Uint8Array>();
  for (const name of ["files.img", "reg-files.img"]) {
    if (top.members.has(name)) files.set(name, await top.source.read(top.prefix + name));
  }
  return new FileNames(new DumpReader(dumpSourceFromFiles(files)));
}
