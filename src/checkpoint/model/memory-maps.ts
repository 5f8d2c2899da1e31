// A task's memory mappings (mm-PID.img vmas) with what backs them and how many of their pages
// the dump holds (pagemap-PID.img), in address order.

import type { mm_entry } from "../../gen/mm_pb";
import { pagemapLayout } from "../../image/pages";
import type { pagemap_entry, pagemap_head } from "../../schema/all";
import {
  VMA_ANON_PRIVATE,
  VMA_ANON_SHARED,
  VMA_AREA_AIORING,
  VMA_AREA_HEAP,
  VMA_AREA_MEMFD,
  VMA_AREA_SOCKET,
  VMA_AREA_STACK,
  VMA_AREA_SYSVIPC,
  VMA_AREA_VDSO,
  VMA_AREA_VSYSCALL,
  VMA_AREA_VVAR,
  VMA_FILE_PRIVATE,
  VMA_FILE_SHARED,
  MAP_SHARED,
  protectionText,
} from "../vma-status";
import type { MemoryMap } from "./types";

const PAGE = 4096n;

export function memoryMaps(mm: mm_entry, pagemap: readonly (pagemap_head | pagemap_entry)[] | undefined, path: (id: number) => string | undefined): MemoryMap[] {
  let runs: { start: bigint; end: bigint }[] = [];
  if (pagemap) {
    try {
      runs = pagemapLayout(pagemap).filter((r) => r.present || r.inParent).map((r) => ({ start: r.vaddr, end: r.vaddr + r.nrPages * PAGE }));
    } catch {
      runs = []; // the pagemap's own warning comes from the memory reader
    }
  }
  let ri = 0;
  return [...mm.vmas]
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    .map((vma) => {
      while (ri < runs.length && runs[ri]!.end <= vma.start) ri++;
      let resident = 0n;
      for (let j = ri; j < runs.length && runs[j]!.start < vma.end; j++) {
        const lo = runs[j]!.start > vma.start ? runs[j]!.start : vma.start;
        const hi = runs[j]!.end < vma.end ? runs[j]!.end : vma.end;
        if (hi > lo) resident += (hi - lo) / PAGE;
      }
      const prot = protectionText(vma.prot) + (vma.flags & MAP_SHARED ? "s" : "p");
      return {
        start: vma.start,
        end: vma.end,
        protection: prot,
        prot: vma.prot,
        flags: vma.flags,
        status: vma.status,
        backing: backing(vma.status, vma.shmid, path),
        pgoff: vma.pgoff,
        residentPages: Number(resident),
      };
    });
}

function backing(status: number, shmid: bigint, path: (id: number) => string | undefined): string {
  if (status & (VMA_FILE_PRIVATE | VMA_FILE_SHARED | VMA_AREA_MEMFD)) {
    return (shmid <= 0xffffffffn ? path(Number(shmid)) : undefined) ?? `[file ${shmid}]`;
  }
  if (status & VMA_AREA_HEAP) return "[heap]";
  if (status & VMA_AREA_STACK) return "[stack]";
  if (status & VMA_AREA_VDSO) return "[vdso]";
  if (status & VMA_AREA_VVAR) return "[vvar]";
  if (status & VMA_AREA_VSYSCALL) return "[vsyscall]";
  if (status & VMA_AREA_SYSVIPC) return "[sysvipc]";
  if (status & VMA_AREA_SOCKET) return "[packet ring]";
  if (status & VMA_AREA_AIORING) return "[aio]";
  if (status & VMA_ANON_SHARED) return "[shmem]";
  if (status & VMA_ANON_PRIVATE) return "[anon]";
  return "";
}
