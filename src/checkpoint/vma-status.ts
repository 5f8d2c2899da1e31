/** vma_entry.status bits (criu/include/image.h, VMA_AREA_*): what a mapping is and how CRIU restores it. */
export const VMA_AREA_REGULAR = 1 << 0;
export const VMA_AREA_STACK = 1 << 1;
export const VMA_AREA_VSYSCALL = 1 << 2;
export const VMA_AREA_VDSO = 1 << 3;
export const VMA_AREA_HEAP = 1 << 5;
export const VMA_FILE_PRIVATE = 1 << 6;
export const VMA_FILE_SHARED = 1 << 7;
export const VMA_ANON_SHARED = 1 << 8;
export const VMA_ANON_PRIVATE = 1 << 9;
export const VMA_AREA_SYSVIPC = 1 << 10;
export const VMA_AREA_SOCKET = 1 << 11;
export const VMA_AREA_VVAR = 1 << 12;
export const VMA_AREA_AIORING = 1 << 13;
export const VMA_AREA_MEMFD = 1 << 14;

/** vma_entry.flags: MAP_GROWSDOWN, how crit guesses a thread stack. */
export const MAP_GROWSDOWN = 0x0100;

/** vma_entry.flags MAP_SHARED (checkpointctl counts these mappings as shared memory). */
export const MAP_SHARED = 0x01;

/** vma_entry.prot as /proc/PID/maps writes it: "r", "w", "x" or "-" for each. */
export function protectionText(prot: number): string {
  return (prot & 1 ? "r" : "-") + (prot & 2 ? "w" : "-") + (prot & 4 ? "x" : "-");
}
