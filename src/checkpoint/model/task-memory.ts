// argv and environment of every task, read from its memory pages: mm_arg_start..mm_arg_end and
// mm_env_start..mm_env_end (mm-PID.img) located through the pagemap (pagemap-PID.img) in
// pages-<pages_id>.img. All ranges of all tasks go to the source in ONE readRanges call, so a
// compressed archive is decompressed once. This module is the only place the model reads memory
// and the memory reader (src/checkpoint/memory/) take the ranges whose pages are held by a
// pre-dump parent: the parents given to openCheckpoint, or carried inside the source under
// `parent/`. Without them, such a range is a warning.

import { concatBytes } from "../../image/bytes";
import { pagemapLayout, type PageRun } from "../../image/pages";
import type { EntriesOf } from "../../image/entries";
import type { CheckpointSource, RangeRequest } from "../../source/source";
import { openMemoryDump } from "../memory/dump";
import { openTaskMemory } from "../memory/reader";
import { errorText, type CheckpointWarning } from "./errors";
import type { ImageSet } from "./image-set";

/** Larger argument or environment blocks than this are cut (Linux's own limit is similar). */
const MAX_BLOCK = 4 << 20;
const PAGE_SIZE = 4096;

export interface TaskStrings {
  argv: string[] | undefined;
  environ: string[] | undefined;
}

export interface Region {
  pid: number;
  what: "argv" | "environ";
  start: bigint;
  end: bigint;
}

/**
 * argv and environment of each pid asked; a task whose memory cannot be read gets undefined and a
 * warning. `parents` are the pre-dump chain behind the dump, nearest first (see openCheckpoint).
 */
export async function readTaskStrings(
  images: ImageSet,
  pids: readonly number[],
  warnings: CheckpointWarning[],
  parents?: readonly CheckpointSource[],
): Promise<Map<number, TaskStrings>> {
  const out = new Map<number, TaskStrings>();
  const plans: { region: Region; requests: RangeRequest[] }[] = [];
  const inParent: Region[] = [];
  for (const pid of pids) {
    out.set(pid, { argv: undefined, environ: undefined });
    let planned: ReturnType<typeof planTaskStrings>;
    try {
      planned = planTaskStrings(images.first(`mm-${pid}.img`, "MM"), images.entries(`pagemap-${pid}.img`, "PAGEMAP"), pid, images.dir, (name) => images.sizes.get(name));
    } catch (err) {
      warnings.push({ member: images.dir + `pagemap-${pid}.img`, pid, message: errorText(err) });
      continue;
    }
    for (const p of planned) {
      if (p.planned === IN_PARENT) inParent.push(p.region);
      else if (typeof p.planned === "string") warnings.push({ member: images.dir + `pagemap-${pid}.img`, pid, message: p.planned });
      else plans.push({ region: p.region, requests: p.planned });
    }
  }
  const requests = plans.flatMap((p) => p.requests);
  let bytes: Uint8Array[];
  try {
    bytes = requests.length === 0 ? [] : await images.source.readRanges(requests);
  } catch (err) {
    warnings.push({ member: requests[0]?.name ?? "", message: `reading argv and environment: ${errorText(err)}` });
    return out;
  }
  let at = 0;
  for (const { region, requests: reqs } of plans) {
    setStrings(out, region, concatBytes(bytes.slice(at, at + reqs.length)));
    at += reqs.length;
  }
  if (inParent.length) await readFromParents(images, inParent, out, warnings, parents);
  return out;
}

function setStrings(out: Map<number, TaskStrings>, region: Region, block: Uint8Array): void {
  const strings = out.get(region.pid)!;
  if (region.what === "argv") strings.argv = splitArgv(block);
  else strings.environ = splitEnviron(block);
}

/** Regions whose pages (some or all) a pre-dump parent holds, read through the memory reader. */
async function readFromParents(
  images: ImageSet,
  regions: readonly Region[],
  out: Map<number, TaskStrings>,
  warnings: CheckpointWarning[],
  parents: readonly CheckpointSource[] | undefined,
): Promise<void> {
  const warn = (r: Region, why: string) => warnings.push({ member: images.dir + `pagemap-${r.pid}.img`, pid: r.pid, message: `${r.what}: ${why}` });
  let dump;
  try {
    dump = await openMemoryDump(images.source, parents ? { parents } : {});
  } catch (err) {
    for (const r of regions) warn(r, `in the parent dump's pages, which cannot be opened: ${errorText(err)}`);
    return;
  }
  if (dump.levels.length < 2) {
    for (const r of regions) warn(r, `address 0x${r.start.toString(16)} is in the parent dump's pages, and no parent dump was given`);
    return;
  }
  for (const region of regions) {
    try {
      const memory = await openTaskMemory(dump, region.pid);
      const end = region.end - region.start > BigInt(MAX_BLOCK) ? region.start + BigInt(MAX_BLOCK) : region.end;
      setStrings(out, region, await memory.read(region.start, Number(end - region.start)));
    } catch (err) {
      warn(region, errorText(err));
    }
  }
}

const IN_PARENT = "in-parent";

/**
 * Where one task's argv and environment are in its pages image (`dir` + pages-ID.img): per region,
 * the ranges, IN_PARENT, or why they cannot be read; nothing without its mm and pagemap entries.
 * A pagemap whose runs are damaged throws.
 */
export function planTaskStrings(
  mm: EntriesOf<"MM">[number] | undefined,
  pagemap: EntriesOf<"PAGEMAP"> | undefined,
  pid: number,
  dir: string,
  sizeOf: (pagesImage: string) => number | undefined,
): { region: Region; planned: RangeRequest[] | string }[] {
  if (!mm || !pagemap) return [];
  const head = pagemap[0];
  if (!head || head.$typeName !== "pagemap_head") return [];
  const runs = pagemapLayout(pagemap, PAGE_SIZE, `pagemap-${pid}.img`);
  const pages = `pages-${head.pagesId}.img`;
  const regions: Region[] = [
    { pid, what: "argv", start: mm.mmArgStart, end: mm.mmArgEnd },
    { pid, what: "environ", start: mm.mmEnvStart, end: mm.mmEnvEnd },
  ];
  return regions.map((region) => ({ region, planned: plan(runs, region, dir + pages, sizeOf(pages)) }));
}

/** The page-file ranges holding [start, end), IN_PARENT when a parent dump holds some, or why they cannot be read. */
function plan(runs: readonly PageRun[], region: Region, pagesMember: string, pagesSize: number | undefined): RangeRequest[] | string {
  const { start, what } = region;
  let end = region.end;
  if (end < start) return `${what}: mm ${what === "argv" ? "arg" : "env"} end 0x${end.toString(16)} before its start 0x${start.toString(16)}`;
  if (end - start > BigInt(MAX_BLOCK)) end = start + BigInt(MAX_BLOCK);
  const requests: RangeRequest[] = [];
  let addr = start;
  const size = BigInt(PAGE_SIZE);
  let i = 0;
  while (addr < end) {
    while (i < runs.length && runs[i]!.vaddr + runs[i]!.nrPages * size <= addr) i++;
    const run = runs[i];
    if (!run || run.vaddr > addr) return `${what}: address 0x${addr.toString(16)} is not in the dump's pages`;
    if (!run.present) return run.inParent ? IN_PARENT : `${what}: address 0x${addr.toString(16)} is not present (lazy)`;
    const runEnd = run.vaddr + run.nrPages * size;
    const stop = end < runEnd ? end : runEnd;
    const offset = Number(run.pagesOffset! + (addr - run.vaddr));
    const length = Number(stop - addr);
    if (pagesSize !== undefined && offset + length > pagesSize) return `${what}: ${pagesMember} ends at ${pagesSize}, before offset ${offset + length}`;
    requests.push({ name: pagesMember, offset, length });
    addr = stop;
  }
  return requests;
}


const utf8 = new TextDecoder("utf-8");

/** NUL-separated arguments; the final NUL ends the last one rather than starting an empty one. */
export function splitArgv(block: Uint8Array): string[] {
  const text = utf8.decode(block);
  const parts = text.split("\0");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** NUL-separated entries in memory order, empty ones dropped (the block's end padding). */
export function splitEnviron(block: Uint8Array): string[] {
  return utf8.decode(block).split("\0").filter((s) => s !== "");
}
