// Text and JSON for memparse's views. The text follows checkpointctl's memparse layouts (its
// size table, hexdump rows and search table), with a PID and a mapping column added to the
// search table since hits come from every task.

import type { Mapping } from "./mappings";
import type { MemoryHit } from "./search";
import type { HexRow, TaskMemorySize } from "./views";

/** checkpointctl's sizes: "0 B", "512 B", "88.0 KiB", "1.5 MiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let unit = 0;
  let div = 1024;
  while (bytes / div >= 1024 && unit < 5) {
    div *= 1024;
    unit++;
  }
  return `${(bytes / div).toFixed(1)} ${"KMGTPE"[unit]}iB`;
}

/** Columns padded to the widest cell plus three spaces (Go's tabwriter as checkpointctl sets it); headers upper-cased and underlined. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header.map((h) => h.toUpperCase()), header.map((h) => "-".repeat(h.length)), ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3))).join("") + "\n").join("");
}

export function renderSizes(label: string, sizes: readonly TaskMemorySize[]): string {
  const rows = sizes.map((s) => [String(s.pid), s.comm, formatSize(s.memory), formatSize(s.sharedMemory)]);
  return `\nDisplaying processes memory sizes from ${label}\n\n${table(["PID", "Process name", "Memory size", "Shared memory size"], rows)}`;
}

export function sizesJson(sizes: readonly TaskMemorySize[]): object[] {
  return sizes.map((s) => ({
    pid: s.pid,
    process_name: s.comm,
    memory_size: s.memory,
    shared_memory_size: s.sharedMemory,
    in_dump: s.inDump,
    in_parents: s.inParents,
    not_dumped: s.missing,
    ...(s.note === undefined ? {} : { note: s.note }),
  }));
}

export function hexdumpHeader(pid: number, label: string): string {
  return (
    `\nDisplaying memory pages content for process ID ${pid} from checkpoint: ${label}\n\n` +
    "Address           Hexadecimal                                       ASCII            \n" +
    `${"-".repeat(85)}\n`
  );
}

export function renderHexRow(row: HexRow): string {
  if (row.kind === "repeat") return "*\n";
  if (row.kind === "missing") return `${hex16(row.address)}  <${row.length} bytes not in the dump: ${row.why}>\n`;
  let hex = "";
  for (const b of row.bytes) hex += `${b.toString(16).padStart(2, "0")} `;
  return `${hex16(row.address)}  ${hex} |${printable(row.bytes)}|\n`;
}

export function hexRowJson(row: HexRow): object {
  if (row.kind === "repeat") return { repeat: true };
  if (row.kind === "missing") return { address: `0x${row.address.toString(16)}`, missing: Number(row.length), why: row.why };
  return { address: `0x${row.address.toString(16)}`, hex: toHex(row.bytes) };
}

export function renderHits(hits: readonly MemoryHit[]): string {
  const rows = hits.map((h, i) => [String(h.pid), hex16(h.address), describeMapping(h), printable(h.before) + printable(h.match) + printable(h.after), String(i + 1)]);
  return table(["PID", "Address", "Mapping", "Match", "Instance"], rows);
}

export function hitJson(hit: MemoryHit): object {
  return {
    pid: hit.pid,
    address: `0x${hit.address.toString(16)}`,
    length: hit.match.length,
    match: toHex(hit.match),
    match_text: printable(hit.match),
    before: toHex(hit.before),
    after: toHex(hit.after),
    mapping: hit.mapping ? mappingJson(hit.mapping) : null,
    offset_in_mapping: hit.offsetInMapping === undefined ? null : `0x${hit.offsetInMapping.toString(16)}`,
    lazy: hit.lazy,
    dump_level: hit.level,
  };
}

function mappingJson(m: Mapping): object {
  return {
    start: `0x${m.start.toString(16)}`,
    end: `0x${m.end.toString(16)}`,
    protection: m.protection,
    shared: m.shared,
    kind: m.kind,
    ...(m.path === undefined ? {} : { path: m.path }),
    file_offset: `0x${m.fileOffset.toString(16)}`,
  };
}

/** "heap rw- +0x3200", "/usr/lib/libc.so.6 r-x +0x1000 (lazy)". */
function describeMapping(hit: MemoryHit): string {
  const m = hit.mapping;
  const lazy = hit.lazy ? " (lazy)" : "";
  if (!m) return `-${lazy}`;
  return `${m.path ?? m.kind} ${m.protection} +0x${hit.offsetInMapping!.toString(16)}${lazy}`;
}

function hex16(n: bigint): string {
  return n.toString(16).padStart(16, "0");
}

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Printable ASCII as is, every other byte as "." (the hexdump's ASCII column). */
export function printable(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b >= 32 && b < 127 ? String.fromCharCode(b) : ".";
  return out;
}
